"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";

import { LOGIN_PATH } from "@/components/auth/login-redirect";
import { useToast } from "@/components/providers/toast-provider";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";

export function SignOutButton() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const signOut = useMutation(
    trpc.user.signOut.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        // A full load closes the live streams and forgets everything this session saw.
        window.location.replace(LOGIN_PATH);
      },
      onError: (error) => notify("error", errorMessage(error)),
    }),
  );

  return (
    <Button size="sm" variant="ghost" onClick={() => signOut.mutate()} isBusy={signOut.isPending}>
      Sign out
    </Button>
  );
}
