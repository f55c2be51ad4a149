/**
 * An image pull's progress from the engine's stream of per-layer messages, summed into one
 * line people read: `pulling web:2: 3 of 7 layers, 45 MiB of 120 MiB`.
 */
export type TPullMessage = {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
};

type TLayer = { current: number; total: number; isDone: boolean };

const DONE_STATUSES = new Set(["Pull complete", "Already exists", "Download complete"]);
const MIB_BYTES = 1024 * 1024;

function mib(bytes: number): string {
  return `${Math.round((bytes / MIB_BYTES) * 10) / 10} MiB`;
}

export function createPullTracker(image: string) {
  const layers = new Map<string, TLayer>();

  return {
    /** Takes one message of the stream; messages without a layer id say nothing per layer. */
    update(message: TPullMessage): void {
      const { id, status = "", progressDetail } = message;
      if (!id || status.startsWith("Pulling from")) {
        return;
      }
      const layer = layers.get(id) ?? { current: 0, total: 0, isDone: false };
      layers.set(id, layer);
      if (status === "Downloading" && progressDetail) {
        layer.current = progressDetail.current ?? layer.current;
        layer.total = progressDetail.total ?? layer.total;
      }
      if (DONE_STATUSES.has(status)) {
        layer.isDone = true;
        layer.current = layer.total;
      }
    },

    /** One line for the replica's progress. */
    summary(): string {
      const all = [...layers.values()];
      if (all.length === 0) {
        return `pulling ${image}: asking the registry`;
      }
      const done = all.filter((layer) => layer.isDone).length;
      const total = all.reduce((sum, layer) => sum + layer.total, 0);
      const current = all.reduce((sum, layer) => sum + layer.current, 0);
      const bytes = total > 0 ? `, ${mib(current)} of ${mib(total)}` : "";

      return `pulling ${image}: ${done} of ${all.length} layers${bytes}`;
    },
  };
}
