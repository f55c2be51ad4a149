"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useSession } from "@/components/auth/session";
import { formatDateTime } from "@/components/format";
import { useToast } from "@/components/providers/toast-provider";
import { type TUserView, useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/errors";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { cx } from "@/components/ui/cx";
import { inputBaseClass } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";
import { SkeletonRows } from "@/components/ui/skeleton";

import { CreateUserForm } from "./create-user-form";
import { RoleOptions, isRole } from "./role-options";

function UserRow({ user, onDelete }: { user: TUserView; onDelete: (user: TUserView) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const me = useSession();
  const isMe = me.kind === "user" && me.name === user.username;
  const setRole = useMutation(
    trpc.user.update.mutationOptions({
      onSuccess: (_, input) => notify("success", `${user.username} is now ${input.role}.`),
      // A refusal (e.g. the last admin) leaves the select showing the role the server keeps.
      onError: (error) => notify("error", errorMessage(error)),
      onSettled: () => void queryClient.invalidateQueries(trpc.user.find.queryFilter()),
    }),
  );

  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3" data-testid="user-row">
      <div className="min-w-0 flex-1">
        <p className="flex items-center gap-2 text-sm font-medium wrap-anywhere">
          {user.username}
          {isMe ? <Badge tone="info">you</Badge> : null}
        </p>
        <p className="text-xs text-muted">Since {formatDateTime(user.createdAt)}</p>
      </div>
      <select
        aria-label={`Role of ${user.username}`}
        value={setRole.isPending ? (setRole.variables?.role ?? user.role) : user.role}
        disabled={setRole.isPending}
        onChange={(event) => {
          if (isRole(event.target.value)) {
            setRole.mutate({ id: user.id, role: event.target.value });
          }
        }}
        className={cx(inputBaseClass, "w-32 py-1.5")}
      >
        <RoleOptions />
      </select>
      <Button
        size="sm"
        variant="ghost"
        className="text-danger"
        onClick={() => onDelete(user)}
        disabled={isMe}
        title={isMe ? "You cannot delete yourself" : undefined}
        aria-label={`Delete user ${user.username}`}
      >
        Delete
      </Button>
    </li>
  );
}

/** Admins: everyone who can sign in, their roles, and new accounts. */
export function UsersPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const users = useQuery(trpc.user.find.queryOptions());
  const [deleting, setDeleting] = useState<TUserView | null>(null);
  const remove = useMutation(
    trpc.user.delete.mutationOptions({
      onSuccess: () => {
        notify("success", `User ${deleting?.username ?? ""} deleted.`);
        setDeleting(null);
        void queryClient.invalidateQueries(trpc.user.find.queryFilter());
      },
    }),
  );

  return (
    <Panel title="Users" description="People who can sign in, and what they may do." isFlush>
      {users.isPending ? (
        <SkeletonRows rows={2} label="Loading users" />
      ) : users.isError ? (
        <div className="p-4">
          <Notice tone="danger" role="alert">
            {errorMessage(users.error)}
          </Notice>
        </div>
      ) : (
        <ul className="divide-y divide-line border-b border-line" aria-label="Users">
          {users.data.map((user) => (
            <UserRow key={user.id} user={user} onDelete={setDeleting} />
          ))}
        </ul>
      )}
      <div className="p-4">
        <CreateUserForm />
      </div>
      <ConfirmDialog
        isOpen={deleting !== null}
        title={`Delete ${deleting?.username ?? "user"}?`}
        confirmLabel="Delete user"
        isDanger
        isBusy={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
      >
        They can no longer sign in. What they did stays in the event log.
      </ConfirmDialog>
    </Panel>
  );
}
