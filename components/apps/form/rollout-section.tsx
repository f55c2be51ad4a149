"use client";

import { SelectField, TextField } from "@/components/ui/field";
import { LB_POLICIES } from "@/server/apps/spec";

import type { TLbChoice } from "../app-form-model";
import { NUMBER_INPUT, type TSectionProps, bindText } from "./section-props";

/** How updates replace replicas, how crashes are retried, and how the gateway picks one. */
export function RolloutSection(props: TSectionProps) {
  const { form, set, errors, isDisabled } = props;
  const autoRollbackErrors = errors.fields["update.autoRollback"];

  return (
    <>
      <fieldset className="min-w-0">
        <legend className="mb-2 text-sm font-medium">Update policy</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Max surge"
            min={0}
            hint="Replicas that may run above the desired count during an update."
            {...NUMBER_INPUT}
            {...bindText(props, "maxSurge", "update.maxSurge")}
          />
          <TextField
            label="Max unavailable"
            min={0}
            hint="Replicas that may be missing below the desired count during an update."
            {...NUMBER_INPUT}
            {...bindText(props, "maxUnavailable", "update.maxUnavailable")}
          />
        </div>
        <label className="mt-3 flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-0.5"
            checked={form.isAutoRollback}
            onChange={(event) => set("isAutoRollback", event.target.checked)}
            disabled={isDisabled}
          />
          <span>Roll back automatically when new replicas fail their health checks</span>
        </label>
        {autoRollbackErrors ? (
          <p className="mt-1 text-xs font-medium text-danger">{autoRollbackErrors.join(" ")}</p>
        ) : null}
      </fieldset>
      <fieldset className="min-w-0">
        <legend className="mb-2 text-sm font-medium">Restart policy</legend>
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            label="Max restarts"
            min={0}
            hint="Crashes in a row restarted in place before the replica is marked failed."
            {...NUMBER_INPUT}
            {...bindText(props, "maxRestarts", "restart.maxRestarts")}
          />
          <TextField
            label="First restart delay (ms)"
            hint="Each further crash doubles it."
            {...NUMBER_INPUT}
            {...bindText(props, "backoffInitialMs", "restart.backoffInitialMs")}
          />
          <TextField
            label="Longest restart delay (ms)"
            hint="The doubling stops here."
            {...NUMBER_INPUT}
            {...bindText(props, "backoffMaxMs", "restart.backoffMaxMs")}
          />
        </div>
      </fieldset>
      <SelectField
        label="Load balancing"
        name="lb.policy"
        value={form.lbPolicy}
        onChange={(event) => set("lbPolicy", event.target.value as TLbChoice)}
        errors={errors.fields["lb.policy"]}
        disabled={isDisabled}
        hint="How the gateway picks a replica for each connection."
      >
        <option value="">Default (round-robin)</option>
        {LB_POLICIES.map((policy) => (
          <option key={policy} value={policy}>
            {policy}
          </option>
        ))}
      </SelectField>
    </>
  );
}
