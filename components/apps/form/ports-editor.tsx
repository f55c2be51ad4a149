"use client";

import { cx } from "@/components/ui/cx";
import { inputBaseClass } from "@/components/ui/field";
import { MAX_PORTS, PROTOCOLS } from "@/server/apps/spec";

import { EMPTY_PORT_ROW, type TPortRow, type TProtocol } from "../app-form-model";
import { RowList } from "./row-list";
import { NUMBER_INPUT, type TSectionProps, rowInputProps, rowMessages } from "./section-props";

const PORT_LABELS = {
  containerPort: "Container port",
  protocol: "Protocol",
  hostPort: "Host port",
  name: "Name",
};

/**
 * The ports the app listens on. A blank row is skipped, so the one a new form starts with
 * keeps ports optional.
 */
export function PortsEditor(props: TSectionProps) {
  const { form, set, errors, isDisabled } = props;
  const input = (row: TPortRow, field: string) => ({
    disabled: isDisabled,
    ...rowInputProps(errors, "ports", row.rowId, field),
  });

  return (
    <RowList
      rows={form.portRows}
      onChange={(rows) => set("portRows", rows)}
      item="Port"
      addLabel="Add port"
      emptyText="No ports: the app is reached by no one, which suits workers."
      maxRows={MAX_PORTS}
      newRow={(rowId) => ({ rowId, ...EMPTY_PORT_ROW })}
      errorsOf={(row) => rowMessages(errors, "ports", row.rowId, PORT_LABELS)}
      errors={errors.fields.ports}
      isDisabled={isDisabled}
      renderRow={(row, name, update) => (
        <>
          <input
            aria-label={`${name} container port (optional)`}
            placeholder="container port, e.g. 8080"
            value={row.containerPort}
            onChange={(event) => update({ containerPort: event.target.value })}
            className={cx(inputBaseClass, "w-52 grow")}
            {...NUMBER_INPUT}
            {...input(row, "containerPort")}
          />
          <select
            aria-label={`${name} protocol`}
            value={row.protocol}
            onChange={(event) => update({ protocol: event.target.value as TProtocol })}
            className={cx(inputBaseClass, "w-24 pr-8")}
            {...input(row, "protocol")}
          >
            {PROTOCOLS.map((protocol) => (
              <option key={protocol} value={protocol}>
                {protocol}
              </option>
            ))}
          </select>
          <input
            aria-label={`${name} host port (optional)`}
            placeholder="host port"
            value={row.hostPort}
            onChange={(event) => update({ hostPort: event.target.value })}
            className={cx(inputBaseClass, "w-28")}
            {...NUMBER_INPUT}
            {...input(row, "hostPort")}
          />
          <input
            aria-label={`${name} name (optional)`}
            placeholder="name, e.g. http"
            autoCapitalize="none"
            spellCheck={false}
            value={row.name}
            onChange={(event) => update({ name: event.target.value })}
            className={cx(inputBaseClass, "w-32")}
            {...input(row, "name")}
          />
        </>
      )}
    />
  );
}
