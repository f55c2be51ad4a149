"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { MIN_PASSWORD_LENGTH, passwordLengthError } from "@/components/auth/password-rules";
import { useToast } from "@/components/providers/toast-provider";
import { useTRPC } from "@/components/trpc/client";
import { type TFieldErrors, errorMessage, fieldErrorsOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";

type TPasswordForm = { current: string; next: string; confirm: string };

const EMPTY: TPasswordForm = { current: "", next: "", confirm: "" };

function checkPasswords(form: TPasswordForm): TFieldErrors {
  const errors: TFieldErrors = {};
  if (form.current === "") {
    errors.current = ["is required"];
  }
  const nextError = passwordLengthError(form.next);
  if (nextError) {
    errors.next = [nextError];
  }
  if (form.confirm !== form.next) {
    errors.confirm = ["does not match the new password"];
  }

  return errors;
}

/** Changes the signed-in user's password; other sessions of theirs are signed out. */
export function PasswordPanel() {
  const trpc = useTRPC();
  const notify = useToast();
  const [form, setForm] = useState<TPasswordForm>(EMPTY);
  const [clientErrors, setClientErrors] = useState<TFieldErrors>({});
  const change = useMutation(
    trpc.user.changePassword.mutationOptions({
      onSuccess: () => {
        setForm(EMPTY);
        notify("success", "Password changed. Your other sessions were signed out.");
      },
    }),
  );

  const errors = { ...fieldErrorsOf(change.error), ...clientErrors };
  const hasFieldErrors = Object.keys(fieldErrorsOf(change.error)).length > 0;
  const field = (key: keyof TPasswordForm) => ({
    value: form[key],
    onChange: (event: { target: { value: string } }) =>
      setForm((current) => ({ ...current, [key]: event.target.value })),
    errors: key === "next" ? errors.next : errors[key],
    type: "password",
    disabled: change.isPending,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkPasswords(form);
    setClientErrors(found);
    if (Object.keys(found).length === 0) {
      change.mutate({ current: form.current, next: form.next });
    }
  };

  return (
    <Panel title="Change my password">
      <form
        onSubmit={submit}
        noValidate
        aria-label="Change my password"
        className="max-w-md space-y-4"
      >
        {change.error && !hasFieldErrors ? (
          <Notice tone="danger" role="alert">
            {errorMessage(change.error)}
          </Notice>
        ) : null}
        <TextField label="Current password" autoComplete="current-password" {...field("current")} />
        <TextField
          label="New password"
          autoComplete="new-password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          {...field("next")}
        />
        <TextField label="Confirm new password" autoComplete="new-password" {...field("confirm")} />
        <Button type="submit" variant="primary" isBusy={change.isPending}>
          Change password
        </Button>
      </form>
    </Panel>
  );
}
