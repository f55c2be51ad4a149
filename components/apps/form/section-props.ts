import { type TAppForm, type TFormErrors, rowField } from "../app-form-model";

/** What every section of the app form gets: the form, a setter, its errors, and if it is busy. */
export type TSectionProps = {
  form: TAppForm;
  set: <TKey extends keyof TAppForm>(key: TKey, value: TAppForm[TKey]) => void;
  errors: TFormErrors;
  isDisabled: boolean;
};

type TTextKey = {
  [TKey in keyof TAppForm]: TAppForm[TKey] extends string ? TKey : never;
}[keyof TAppForm];

/** Binds a text field of the form; `errorKey` is where `TFormErrors` keeps its messages. */
export function bindText(props: TSectionProps, key: TTextKey, errorKey: string) {
  const { form, set, errors, isDisabled } = props;

  return {
    name: errorKey,
    value: form[key],
    onChange: (event: { target: { value: string } }) => set(key, event.target.value as never),
    errors: errors.fields[errorKey],
    disabled: isDisabled,
    autoCapitalize: "none",
    spellCheck: false,
  };
}

/** Props of a whole-number input. */
export const NUMBER_INPUT = { type: "number", inputMode: "numeric" } as const;

type TListPath = Parameters<typeof rowField>[0];

/** A row's messages, each led by the name of its field: "Host port: must be ...". */
export function rowMessages(
  errors: TFormErrors,
  list: TListPath,
  rowId: string,
  labels: Record<string, string>,
): string[] {
  return Object.entries(labels).flatMap(([field, label]) =>
    (errors.fields[rowField(list, rowId, field)] ?? []).map((message) => `${label}: ${message}`),
  );
}

/** Marks a row's input invalid when its field has errors, and ties it to the row's messages. */
export function rowInputProps(errors: TFormErrors, list: TListPath, rowId: string, field: string) {
  const hasErrors = (errors.fields[rowField(list, rowId, field)] ?? []).length > 0;

  return {
    "aria-invalid": hasErrors ? true : undefined,
    "aria-describedby": hasErrors ? `${rowId}-error` : undefined,
  };
}
