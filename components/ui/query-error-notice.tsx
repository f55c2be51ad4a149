import type { ReactNode } from "react";

import { errorMessage } from "@/components/trpc/errors";

import { Button } from "./button";
import { Notice } from "./notice";

type TQueryErrorNoticeProps = {
  /** What failed, e.g. "Nodes could not be loaded"; without it, only the reason shows. */
  title?: ReactNode;
  error: unknown;
  onRetry: () => void;
};

/** A query that failed: why, in words a user can act on, and a button to ask again. */
export function QueryErrorNotice({ title, error, onRetry }: TQueryErrorNoticeProps) {
  return (
    <Notice
      tone="danger"
      role="alert"
      title={title}
      actions={
        <Button size="sm" onClick={onRetry}>
          Retry
        </Button>
      }
    >
      {errorMessage(error)}
    </Notice>
  );
}
