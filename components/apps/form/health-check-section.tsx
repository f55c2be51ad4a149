"use client";

import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { MAX_HEALTH_RETRIES } from "@/server/apps/spec";

import { type THealthType, argvOf } from "../app-form-model";
import { ArgvPreview } from "./command-section";
import { NUMBER_INPUT, type TSectionProps, bindText } from "./section-props";

/** The first TCP port the form declares, as the probe's port when none is set yet. */
function firstTcpPort(props: TSectionProps): string {
  const row = props.form.portRows.find((port) => port.protocol === "tcp" && port.containerPort);

  return row?.containerPort.trim() ?? "";
}

/** How Berth tells a ready replica from a broken one; none means running counts as healthy. */
export function HealthCheckSection(props: TSectionProps) {
  const { form, set, errors, isDisabled } = props;
  const type = form.healthType;

  const setType = (next: THealthType) => {
    set("healthType", next);
    if ((next === "http" || next === "tcp") && form.healthPort.trim() === "") {
      set("healthPort", firstTcpPort(props));
    }
  };

  return (
    <>
      <SelectField
        label="Health check"
        name="healthCheck.type"
        value={type}
        onChange={(event) => setType(event.target.value as THealthType)}
        errors={errors.fields["healthCheck.type"]}
        disabled={isDisabled}
        hint="Replicas take traffic, and updates go on, only once they pass it."
      >
        <option value="none">None</option>
        <option value="http">HTTP: a GET answers 2xx or 3xx</option>
        <option value="tcp">TCP: a port accepts connections</option>
        <option value="command">Command: a program in the container exits 0</option>
      </SelectField>
      {type === "none" ? null : (
        <div className="grid gap-4 sm:grid-cols-2">
          {type === "http" ? (
            <TextField
              label="Health check path"
              placeholder="/healthz"
              {...bindText(props, "healthPath", "healthCheck.path")}
            />
          ) : null}
          {type === "http" || type === "tcp" ? (
            <TextField
              label="Health check port"
              placeholder="8080"
              hint="One of the app's TCP container ports."
              {...NUMBER_INPUT}
              {...bindText(props, "healthPort", "healthCheck.port")}
            />
          ) : null}
          {type === "command" ? (
            <TextAreaField
              label="Health check command"
              rows={3}
              placeholder={"pg_isready\n-U\npostgres"}
              hint={<ArgvPreview argv={argvOf(form.healthCommand)} />}
              className="sm:col-span-2"
              {...bindText(props, "healthCommand", "healthCheck.command")}
            />
          ) : null}
          <TextField
            label="Interval (ms)"
            hint="Time between two checks."
            {...NUMBER_INPUT}
            {...bindText(props, "healthIntervalMs", "healthCheck.intervalMs")}
          />
          <TextField
            label="Timeout (ms)"
            hint="Shorter than the interval."
            {...NUMBER_INPUT}
            {...bindText(props, "healthTimeoutMs", "healthCheck.timeoutMs")}
          />
          <TextField
            label="Retries"
            min={1}
            max={MAX_HEALTH_RETRIES}
            hint="Failures in a row before a replica is unhealthy."
            {...NUMBER_INPUT}
            {...bindText(props, "healthRetries", "healthCheck.retries")}
          />
          <TextField
            label="Start period (ms)"
            min={0}
            hint="Failures this soon after start do not count."
            {...NUMBER_INPUT}
            {...bindText(props, "healthStartPeriodMs", "healthCheck.startPeriodMs")}
          />
        </div>
      )}
    </>
  );
}
