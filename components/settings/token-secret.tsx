"use client";

import { useState } from "react";

import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { inputClass } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

/** How long "Copied" shows on the button after a copy. */
const COPIED_FEEDBACK_MS = 2_000;

type TTokenSecretProps = { name: string; token: string; onDone: () => void };

/** The new token's secret, shown this once, with a copy button and a clear warning. */
export function TokenSecret({ name, token, onDone }: TTokenSecretProps) {
  const [copyState, setCopyState] = useState<"idle" | "copied" | "failed">("idle");

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token);
      setCopyState("copied");
      window.setTimeout(() => setCopyState("idle"), COPIED_FEEDBACK_MS);
    } catch {
      // Clipboard access can be refused (insecure origin, permissions): the text stays selectable.
      setCopyState("failed");
    }
  };

  return (
    <Notice tone="warn" title={`Copy the token ${name} now`}>
      <p>Berth keeps only a digest of it and will never show it again.</p>
      <div className="mt-3 flex flex-wrap gap-2">
        <input
          readOnly
          value={token}
          aria-label="New API token"
          data-testid="new-token-secret"
          onFocus={(event) => event.currentTarget.select()}
          className={cx(inputClass, "min-w-0 flex-1 basis-64 font-mono text-xs")}
        />
        <Button onClick={() => void copy()}>{copyState === "copied" ? "Copied" : "Copy"}</Button>
        <Button variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
      {copyState === "failed" ? (
        <p role="alert" className="mt-2 text-xs text-danger">
          The browser refused the clipboard. Select the text and copy it by hand.
        </p>
      ) : null}
      <p className="mt-2 text-xs">
        Use it as <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>.
      </p>
    </Notice>
  );
}
