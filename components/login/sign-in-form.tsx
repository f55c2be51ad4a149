"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { useTRPC } from "@/components/trpc/client";
import { berthCode, errorMessage, fieldErrorsOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

/** Username and password. Wrong credentials show beside the password; rate limits on top. */
export function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  const trpc = useTRPC();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useMutation(trpc.user.signIn.mutationOptions({ onSuccess: onSignedIn }));

  const fieldErrors = fieldErrorsOf(signIn.error);
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;
  const isRateLimited = berthCode(signIn.error) === "RATE_LIMITED";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ username: username.trim(), password });
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Sign in">
      {signIn.error && !hasFieldErrors ? (
        <Notice
          tone={isRateLimited ? "warn" : "danger"}
          role="alert"
          title={isRateLimited ? "Too many attempts" : "Could not sign in"}
        >
          {errorMessage(signIn.error)}
        </Notice>
      ) : null}
      <TextField
        label="User name"
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={username}
        onChange={(event) => setUsername(event.target.value)}
        errors={fieldErrors.username}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        errors={fieldErrors.password}
      />
      <Button type="submit" variant="primary" className="w-full" isBusy={signIn.isPending}>
        {signIn.isPending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
