"use client";

import { cx } from "@/components/ui/cx";
import { SelectField, TextField, inputBaseClass } from "@/components/ui/field";
import { CONSTRAINT_OPERATORS, MAX_CONSTRAINTS, MAX_REPLICAS } from "@/server/apps/spec";

import {
  EMPTY_CONSTRAINT_ROW,
  type TConstraintRow,
  type TOperator,
  type TStrategy,
} from "../app-form-model";
import { RowList } from "./row-list";
import {
  NUMBER_INPUT,
  type TSectionProps,
  bindText,
  rowInputProps,
  rowMessages,
} from "./section-props";

const CONSTRAINT_LABELS = { key: "Label key", operator: "Operator", value: "Value" };

function ConstraintsEditor(props: TSectionProps) {
  const { form, set, errors, isDisabled } = props;
  const list = "placement.constraints";
  const input = (row: TConstraintRow, field: string) => ({
    disabled: isDisabled,
    autoCapitalize: "none",
    spellCheck: false,
    ...rowInputProps(errors, list, row.rowId, field),
  });

  return (
    <RowList
      rows={form.constraintRows}
      onChange={(rows) => set("constraintRows", rows)}
      item="Constraint"
      addLabel="Add constraint"
      emptyText="No constraints: any ready node may run the app."
      maxRows={MAX_CONSTRAINTS}
      newRow={(rowId) => ({ rowId, ...EMPTY_CONSTRAINT_ROW })}
      errorsOf={(row) => rowMessages(errors, list, row.rowId, CONSTRAINT_LABELS)}
      errors={errors.fields[list]}
      isDisabled={isDisabled}
      renderRow={(row, name, update) => (
        <>
          <input
            aria-label={`${name} label key`}
            placeholder="label key, e.g. zone"
            value={row.key}
            onChange={(event) => update({ key: event.target.value })}
            className={cx(inputBaseClass, "w-36 grow font-mono text-xs")}
            {...input(row, "key")}
          />
          <select
            aria-label={`${name} operator`}
            value={row.operator}
            onChange={(event) => update({ operator: event.target.value as TOperator })}
            className={cx(inputBaseClass, "w-24 pr-8")}
            {...input(row, "operator")}
          >
            {CONSTRAINT_OPERATORS.map((operator) => (
              <option key={operator} value={operator}>
                {operator}
              </option>
            ))}
          </select>
          <input
            aria-label={`${name} ${row.operator === "in" ? "values, comma-separated" : "value"}`}
            placeholder={row.operator === "in" ? "eu-1, eu-2" : "value, e.g. eu-1"}
            value={row.value}
            onChange={(event) => update({ value: event.target.value })}
            className={cx(inputBaseClass, "w-40 grow font-mono text-xs")}
            {...input(row, "value")}
          />
        </>
      )}
    />
  );
}

/** Which nodes may run the app and how its replicas spread over them. */
export function PlacementSection(props: TSectionProps) {
  const { form, set, errors, isDisabled } = props;

  return (
    <>
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label="Strategy"
          name="placement.strategy"
          value={form.strategy}
          onChange={(event) => set("strategy", event.target.value as TStrategy)}
          errors={errors.fields["placement.strategy"]}
          disabled={isDisabled}
          hint="Spread keeps load even; binpack fills nodes first."
        >
          <option value="spread">Spread</option>
          <option value="binpack">Binpack</option>
        </SelectField>
        <TextField
          label="Max replicas per node (optional)"
          min={1}
          max={MAX_REPLICAS}
          hint="1 keeps every replica on its own node."
          {...NUMBER_INPUT}
          {...bindText(props, "maxPerNode", "placement.maxPerNode")}
        />
        <TextField
          label="Spread across label (optional)"
          placeholder="zone"
          hint="A node label whose values the replicas are spread across."
          {...bindText(props, "spreadBy", "placement.spreadBy")}
        />
        <TextField
          label="Keep away from apps (optional)"
          placeholder="db, cache"
          hint="App names, separated by commas: never on the same node as these."
          {...bindText(props, "antiAffinity", "placement.antiAffinity")}
        />
      </div>
      <fieldset className="min-w-0">
        <legend className="mb-1 text-sm font-medium">Node constraints</legend>
        <p className="mb-2 text-xs text-muted">
          Node labels a node must have: zone == eu-1, disk != hdd, or zone in eu-1, eu-2.
        </p>
        <ConstraintsEditor {...props} />
      </fieldset>
    </>
  );
}
