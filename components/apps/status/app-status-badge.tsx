import { Badge } from "@/components/ui/badge";

import { APP_STATUS_WORDS, HEALTH_WORDS, type TAppStatus, type THealth } from "./app-status";

/** The app's one status word, coloured; the hint says what it means. */
export function AppStatusBadge({ status }: { status: TAppStatus }) {
  const words = APP_STATUS_WORDS[status];

  return (
    <span title={words.hint} className="inline-flex" data-testid="app-status" data-status={status}>
      <Badge tone={words.tone} hasDot>
        {words.label}
      </Badge>
    </span>
  );
}

/** A replica's health; the health check's last message, if any, is in the title. */
export function HealthBadge({ health, message }: { health: THealth; message: string | null }) {
  const words = HEALTH_WORDS[health];

  return (
    <span
      title={message ?? words.hint}
      className="inline-flex"
      data-testid="replica-health"
      data-health={health}
    >
      <Badge tone={words.tone} hasDot>
        {words.label}
      </Badge>
    </span>
  );
}
