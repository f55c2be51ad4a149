"use client";

import { cx } from "@/components/ui/cx";
import { inputBaseClass } from "@/components/ui/field";
import { MAX_VOLUMES } from "@/server/apps/spec";

import { EMPTY_VOLUME_ROW, type TVolumeRow } from "../app-form-model";
import { RowList } from "./row-list";
import { type TSectionProps, rowInputProps, rowMessages } from "./section-props";

const VOLUME_LABELS = {
  kind: "Kind",
  source: "Source",
  mountPath: "Mount path",
  readOnly: "Read-only",
};

/** Named volumes, created on the node on first use; host paths (bind mounts) need an admin. */
export function VolumesEditor(props: TSectionProps) {
  const { form, set, errors, isDisabled } = props;
  const input = (row: TVolumeRow, field: string) => ({
    disabled: isDisabled,
    ...rowInputProps(errors, "volumes", row.rowId, field),
  });

  return (
    <RowList
      rows={form.volumeRows}
      onChange={(rows) => set("volumeRows", rows)}
      item="Volume"
      addLabel="Add volume"
      emptyText="No volumes: files written in the container go when it is replaced."
      maxRows={MAX_VOLUMES}
      newRow={(rowId) => ({ rowId, ...EMPTY_VOLUME_ROW })}
      errorsOf={(row) => rowMessages(errors, "volumes", row.rowId, VOLUME_LABELS)}
      errors={errors.fields.volumes}
      isDisabled={isDisabled}
      renderRow={(row, name, update) => {
        const isBind = row.kind === "bind";

        return (
          <>
            <select
              aria-label={`${name} kind`}
              value={row.kind}
              onChange={(event) => update({ kind: event.target.value as TVolumeRow["kind"] })}
              className={cx(inputBaseClass, "w-40 pr-8")}
              {...input(row, "kind")}
            >
              <option value="volume">Named volume</option>
              <option value="bind">Host path (admins)</option>
            </select>
            <input
              aria-label={`${name} ${isBind ? "host path" : "name"}`}
              placeholder={isBind ? "/srv/data" : "name, e.g. data"}
              autoCapitalize="none"
              spellCheck={false}
              value={row.source}
              onChange={(event) => update({ source: event.target.value })}
              className={cx(inputBaseClass, "w-36 grow font-mono text-xs")}
              {...input(row, "source")}
            />
            <input
              aria-label={`${name} mount path`}
              placeholder="mount path, e.g. /data"
              autoCapitalize="none"
              spellCheck={false}
              value={row.mountPath}
              onChange={(event) => update({ mountPath: event.target.value })}
              className={cx(inputBaseClass, "w-44 grow font-mono text-xs")}
              {...input(row, "mountPath")}
            />
            <label className="flex h-9 items-center gap-1.5 text-sm">
              <input
                type="checkbox"
                checked={row.isReadOnly}
                onChange={(event) => update({ isReadOnly: event.target.checked })}
                {...input(row, "readOnly")}
              />
              <span>
                Read-only<span className="sr-only">, {name.toLowerCase()}</span>
              </span>
            </label>
          </>
        );
      }}
    />
  );
}
