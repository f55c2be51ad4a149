"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { type TRole, useTRPC } from "@/components/trpc/client";
import { errorMessage, fieldErrorsOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

import { ROLE_HINTS, RoleOptions, isRole } from "./role-options";
import { TokenSecret } from "./token-secret";

/** Creates an API token for scripts and CI, then shows its secret once. */
export function CreateTokenForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [role, setRole] = useState<TRole>("viewer");
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const create = useMutation(
    trpc.token.create.mutationOptions({
      onSuccess: (result, input) => {
        setCreated({ name: input.name.trim(), token: result.token });
        setName("");
        void queryClient.invalidateQueries(trpc.token.find.queryFilter());
      },
    }),
  );

  const errors = fieldErrorsOf(create.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name, role });
  };

  return (
    <div className="space-y-3">
      {created ? (
        <TokenSecret name={created.name} token={created.token} onDone={() => setCreated(null)} />
      ) : null}
      <form onSubmit={submit} noValidate aria-label="Create API token" className="space-y-3">
        <h3 className="text-sm font-semibold">Create token</h3>
        {create.error && Object.keys(errors).length === 0 ? (
          <Notice tone="danger" role="alert">
            {errorMessage(create.error)}
          </Notice>
        ) : null}
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField
            label="Token name"
            placeholder="ci-deploy"
            autoComplete="off"
            value={name}
            onChange={(event) => setName(event.target.value)}
            errors={errors.name}
          />
          <SelectField
            label="Token role"
            value={role}
            onChange={(event) => {
              if (isRole(event.target.value)) {
                setRole(event.target.value);
              }
            }}
            errors={errors.role}
            hint={ROLE_HINTS[role]}
          >
            <RoleOptions />
          </SelectField>
        </div>
        <Button type="submit" variant="primary" isBusy={create.isPending}>
          Create token
        </Button>
      </form>
    </div>
  );
}
