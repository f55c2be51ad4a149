import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from "react";

import { cx } from "./cx";

/** An input's look without its width, for inputs sized by their row. */
export const inputBaseClass = cx(
  "block min-w-0 rounded-md border border-line-strong bg-surface px-3 py-2 text-sm",
  "text-fg placeholder:text-faint shadow-xs",
  "focus:border-accent focus:outline-none focus-visible:outline-2 focus-visible:outline-focus",
  "disabled:cursor-not-allowed disabled:bg-sunken disabled:text-muted",
  "aria-invalid:border-danger",
);

export const inputClass = cx(inputBaseClass, "w-full");

type TFieldFrameProps = {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: readonly string[];
  children: ReactNode;
  className?: string;
};

/** Label above, hint and errors below; the errors sit beside the field they are about. */
function FieldFrame({ id, label, hint, errors, children, className }: TFieldFrameProps) {
  return (
    <div className={cx("min-w-0", className)}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-muted">
          {hint}
        </p>
      ) : null}
      {errors && errors.length > 0 ? (
        <p id={`${id}-error`} className="mt-1 text-xs font-medium break-words text-danger">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** Ties a control to its frame: the label's id, and its hint and errors for screen readers. */
function controlProps(id: string, hint: ReactNode, errors?: readonly string[]) {
  const hasErrors = errors !== undefined && errors.length > 0;
  const described = [hint ? `${id}-hint` : "", hasErrors ? `${id}-error` : ""].filter(Boolean);

  return {
    id,
    "aria-invalid": hasErrors ? true : undefined,
    "aria-describedby": described.length > 0 ? described.join(" ") : undefined,
  };
}

type TCommonProps = {
  label: ReactNode;
  hint?: ReactNode;
  errors?: readonly string[];
  className?: string;
};

export function TextField({
  label,
  hint,
  errors,
  className,
  ...props
}: TCommonProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();

  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors} className={className}>
      <input className={inputClass} {...controlProps(id, hint, errors)} {...props} />
    </FieldFrame>
  );
}

export function TextAreaField({
  label,
  hint,
  errors,
  className,
  ...props
}: TCommonProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();

  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors} className={className}>
      <textarea
        className={cx(inputClass, "font-mono text-xs")}
        {...controlProps(id, hint, errors)}
        {...props}
      />
    </FieldFrame>
  );
}

export function SelectField({
  label,
  hint,
  errors,
  className,
  children,
  ...props
}: TCommonProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();

  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors} className={className}>
      <select className={cx(inputClass, "pr-8")} {...controlProps(id, hint, errors)} {...props}>
        {children}
      </select>
    </FieldFrame>
  );
}
