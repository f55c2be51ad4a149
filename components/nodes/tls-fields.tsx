"use client";

import type { TFieldErrors } from "@/components/trpc/errors";
import { TextAreaField } from "@/components/ui/field";
import { ChevronIcon } from "@/components/ui/icons";

import type { TTlsForm } from "./node-form-model";
import { cx } from "@/components/ui/cx";

type TTlsFieldsProps = {
  tls: TTlsForm;
  onChange: (tls: TTlsForm) => void;
  errors: TFieldErrors;
  isOpen: boolean;
  onToggle: (isOpen: boolean) => void;
  isDisabled?: boolean;
};

const PEM_PLACEHOLDER = "-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----";

/** The collapsible TLS section: CA, client certificate and client key, pasted as PEM. */
export function TlsFields({
  tls,
  onChange,
  errors,
  isOpen,
  onToggle,
  isDisabled,
}: TTlsFieldsProps) {
  const field = (name: keyof TTlsForm) => ({
    value: tls[name],
    onChange: (event: { target: { value: string } }) =>
      onChange({ ...tls, [name]: event.target.value }),
    errors: errors[`tls.${name}`],
    rows: 4,
    spellCheck: false,
    disabled: isDisabled,
  });

  return (
    <details
      open={isOpen}
      onToggle={(event) => onToggle(event.currentTarget.open)}
      className="group rounded-md border border-line"
    >
      <summary className="flex cursor-pointer list-none items-start gap-2 px-3 py-2.5 text-sm">
        <ChevronIcon
          className={cx(
            "mt-0.5 size-4 shrink-0 text-muted transition-transform group-open:rotate-90",
          )}
        />
        <span>
          <span className="font-medium">TLS client certificates</span>{" "}
          <span className="text-muted">(optional, for tcp://host:2376)</span>
        </span>
      </summary>
      <div className="space-y-3 border-t border-line p-3">
        <p className="text-xs text-muted">
          Leave empty for a socket or plain tcp://. Once one is filled, all three are needed. The
          key is stored encrypted and never shown again.
        </p>
        {errors.tls ? (
          <p className="text-xs font-medium text-danger">{errors.tls.join(" ")}</p>
        ) : null}
        <TextAreaField label="CA certificate" placeholder={PEM_PLACEHOLDER} {...field("ca")} />
        <TextAreaField
          label="Client certificate"
          placeholder={PEM_PLACEHOLDER}
          {...field("cert")}
        />
        <TextAreaField
          label="Client key"
          placeholder="-----BEGIN PRIVATE KEY-----"
          {...field("key")}
        />
      </div>
    </details>
  );
}
