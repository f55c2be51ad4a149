/**
 * Image pulls for the reconciler, apart from its passes: a replica whose image is missing
 * starts a pull (one per node and image) and shows its progress until it is done, so a slow
 * registry holds up only the replicas that wait for it.
 */
import type Docker from "dockerode";
import type { Logger } from "pino";

import type { Node } from "@/server/db/generated/client";
import { type TEngineTarget, hasImage, pullImage } from "@/server/docker/engine";
import { createPullTracker } from "@/server/docker/pull-progress";

/** A pull that takes longer fails its replicas: the registry is down or the image huge. */
export const PULL_TIMEOUT_MS = 10 * 60 * 1000;

export type TImageState =
  | { state: "ready" }
  | { state: "pulling"; progress: string }
  | { state: "failed"; message: string };

type TPull = { isDone: boolean; failure?: string; progress: () => string };

type TPullEngine = { node: Node; target: TEngineTarget; docker: Docker };

export type TImagePullsOptions = {
  log: Logger;
  /** Whether a missing image may be pulled from its registry (off in tests: no network). */
  canPull: boolean;
  timeoutMs: number;
  /** How long a done pull is remembered, so the passes that follow find the image ready. */
  forgetAfterMs: number;
  /** Called when a pull ends either way, so the reconciler passes again at once. */
  onSettled: () => void;
};

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ImagePulls {
  /** Pulls in flight or just done, by node id and image. */
  private readonly pulls = new Map<string, TPull>();

  constructor(private readonly options: TImagePullsOptions) {}

  /**
   * Whether the image is on the node: ready; or being pulled, with the pull's progress for
   * the replica; or not to be had, with the message for the replica.
   */
  async ensure(engine: TPullEngine, image: string): Promise<TImageState> {
    const key = `${engine.node.id}|${image}`;
    const pull = this.pulls.get(key);
    if (pull?.failure !== undefined) {
      this.pulls.delete(key);

      return { state: "failed", message: pull.failure };
    }
    if (pull) {
      return pull.isDone ? { state: "ready" } : { state: "pulling", progress: pull.progress() };
    }
    if (await hasImage(engine.docker, engine.target, image)) {
      return { state: "ready" };
    }
    if (!this.options.canPull) {
      const message =
        `IMAGE_NOT_FOUND: image ${image} is not on node ${engine.node.name}, and pulling is ` +
        "turned off (BERTH_PULL_IMAGES=false). Load it on the node (docker load), then redeploy.";

      return { state: "failed", message };
    }

    return { state: "pulling", progress: this.start(engine, image, key).progress() };
  }

  private start(engine: TPullEngine, image: string, key: string): TPull {
    const { log, timeoutMs } = this.options;
    const tracker = createPullTracker(image);
    const entry: TPull = { isDone: false, progress: () => tracker.summary() };
    this.pulls.set(key, entry);
    log.info({ nodeId: engine.node.id, image }, "pulling image");
    pullImage(engine.docker, engine.target, image, timeoutMs, (message) => tracker.update(message))
      .then(() => {
        entry.isDone = true;
        log.info({ nodeId: engine.node.id, image }, "image pulled");
        setTimeout(() => this.pulls.delete(key), this.options.forgetAfterMs).unref();
      })
      .catch((error: unknown) => {
        const why = messageOf(error).trim().replace(/\.$/, "");
        entry.failure =
          `IMAGE_NOT_FOUND: image ${image} is not on node ${engine.node.name} and could not be ` +
          `pulled: ${why}. Load it on the node (docker load) or make its registry reachable, ` +
          "then redeploy.";
      })
      .finally(() => this.options.onSettled());

    return entry;
  }
}
