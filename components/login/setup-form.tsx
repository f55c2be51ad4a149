"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { MIN_PASSWORD_LENGTH } from "@/components/auth/password-rules";
import { checkNewUser } from "@/components/auth/user-rules";
import { useToast } from "@/components/providers/toast-provider";
import { useTRPC } from "@/components/trpc/client";
import {
  type TFieldErrors,
  berthCode,
  errorMessage,
  fieldErrorsOf,
} from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

type TSetupInput = { username: string; password: string; confirm: string };

/** The same checks as the server, plus the confirmation that only a form can make. */
export function validateSetup(input: TSetupInput): TFieldErrors {
  const errors = checkNewUser(input);
  if (input.confirm !== input.password) {
    errors.confirm = ["does not match the password"];
  }

  return errors;
}

/** First run: creates the first admin and signs them in. */
export function SetupForm({ onCreated }: { onCreated: () => void }) {
  const trpc = useTRPC();
  const [input, setInput] = useState<TSetupInput>({ username: "", password: "", confirm: "" });
  const [clientErrors, setClientErrors] = useState<TFieldErrors>({});
  const queryClient = useQueryClient();
  const notify = useToast();
  const setup = useMutation(
    trpc.user.setup.mutationOptions({
      onSuccess: onCreated,
      onError: (error) => {
        if (berthCode(error) === "ALREADY_SET_UP") {
          // Someone else finished set-up first: switch this page to signing in.
          notify("info", errorMessage(error));
          void queryClient.invalidateQueries(trpc.user.setupStatus.queryFilter());
        }
      },
    }),
  );

  const serverErrors = fieldErrorsOf(setup.error);
  const errors = { ...serverErrors, ...clientErrors };
  const hasServerFieldErrors = Object.keys(serverErrors).length > 0;

  const field = (key: keyof TSetupInput) => ({
    name: key,
    value: input[key],
    onChange: (event: { target: { value: string } }) =>
      setInput((current) => ({ ...current, [key]: event.target.value })),
    errors: errors[key],
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateSetup(input);
    setClientErrors(found);
    if (Object.keys(found).length > 0) {
      return;
    }
    setup.mutate({ username: input.username.trim(), password: input.password });
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Create the first admin">
      {setup.error && !hasServerFieldErrors ? (
        <Notice tone="danger" role="alert" title="Could not create the admin">
          {errorMessage(setup.error)}
        </Notice>
      ) : null}
      <TextField
        label="User name"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        hint="Lowercase letters, digits and '-', e.g. admin or jane-doe."
        {...field("username")}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        {...field("password")}
      />
      <TextField
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        {...field("confirm")}
      />
      <Button type="submit" variant="primary" className="w-full" isBusy={setup.isPending}>
        {setup.isPending ? "Creating…" : "Create admin and sign in"}
      </Button>
    </form>
  );
}
