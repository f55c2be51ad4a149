"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { checkNewUser } from "@/components/auth/user-rules";
import { useToast } from "@/components/providers/toast-provider";
import { type TRole, useTRPC } from "@/components/trpc/client";
import { type TFieldErrors, errorMessage, fieldErrorsOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

import { ROLE_HINTS, RoleOptions, isRole } from "./role-options";

type TUserForm = { username: string; password: string; role: TRole };

const EMPTY: TUserForm = { username: "", password: "", role: "viewer" };

/** Adds a user with a starting password and a role. */
export function CreateUserForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [form, setForm] = useState<TUserForm>(EMPTY);
  const [clientErrors, setClientErrors] = useState<TFieldErrors>({});
  const create = useMutation(
    trpc.user.create.mutationOptions({
      onSuccess: () => {
        notify("success", `User ${form.username.trim()} created as ${form.role}.`);
        setForm(EMPTY);
        void queryClient.invalidateQueries(trpc.user.find.queryFilter());
      },
    }),
  );

  const serverErrors = fieldErrorsOf(create.error);
  const errors = { ...serverErrors, ...clientErrors };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkNewUser(form);
    setClientErrors(found);
    if (Object.keys(found).length === 0) {
      create.mutate({ ...form, username: form.username.trim() });
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Create user" className="space-y-3">
      <h3 className="text-sm font-semibold">Create user</h3>
      {create.error && Object.keys(serverErrors).length === 0 ? (
        <Notice tone="danger" role="alert">
          {errorMessage(create.error)}
        </Notice>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField
          label="User name"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={form.username}
          onChange={(event) => setForm({ ...form, username: event.target.value })}
          errors={errors.username}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={(event) => setForm({ ...form, password: event.target.value })}
          errors={errors.password}
          hint="They can change it after signing in."
        />
        <SelectField
          label="Role"
          value={form.role}
          onChange={(event) => {
            if (isRole(event.target.value)) {
              setForm({ ...form, role: event.target.value });
            }
          }}
          errors={errors.role}
          hint={ROLE_HINTS[form.role]}
        >
          <RoleOptions />
        </SelectField>
      </div>
      <Button type="submit" variant="primary" isBusy={create.isPending}>
        Create user
      </Button>
    </form>
  );
}
