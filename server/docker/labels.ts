/** Labels Berth puts on the containers it owns; ownership is read from these, never guessed. */
export const LABEL_PREFIX = "org.berth.";
export const LABEL_APP = "org.berth.app";
export const LABEL_REVISION = "org.berth.revision";
export const LABEL_REPLICA = "org.berth.replica";
export const LABEL_EPOCH = "org.berth.epoch";

export function isBerthContainer(labels: Record<string, string>): boolean {
  return LABEL_REPLICA in labels;
}
