/** Labels Berth puts on the containers it owns; ownership is read from these, never guessed. */
export const LABEL_PREFIX = "org.berth.";
export const LABEL_APP = "org.berth.app";
export const LABEL_REVISION = "org.berth.revision";
export const LABEL_REPLICA = "org.berth.replica";
export const LABEL_EPOCH = "org.berth.epoch";
/**
 * Which Berth database owns the container. A Berth only ever touches containers with its own
 * installation id, so two installations (or a test run beside a live one) sharing engines
 * never remove each other's replicas as orphans.
 */
export const LABEL_INSTALLATION = "org.berth.installation";

export function isBerthContainer(labels: Record<string, string>): boolean {
  return LABEL_REPLICA in labels;
}
