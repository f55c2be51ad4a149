import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { engineClient } from "@/server/docker/engine";
import { type callerFor, openTestDb, waitFor } from "@/server/test/harness";
import { LAB_TARGETS, setUpLab, tearDownLab } from "@/server/test/lab";
import { type TTestRegistry, startTestRegistry } from "@/server/test/registry";
import { CONVERGE_TIMEOUT_MS } from "@/server/test/replicas";

import type { TController } from "./index";

let db: PrismaClient;
let caller: ReturnType<typeof callerFor>;
let controller: TController;
let registry: TTestRegistry;

const labEngines = LAB_TARGETS.slice(0, 3).map((target) => engineClient(target));

/** Leaves no image of the test registry on any lab engine. */
async function removePulledImages(): Promise<void> {
  for (const docker of labEngines) {
    const images = await docker.listImages();
    for (const image of images) {
      const fromRegistry = (image.RepoTags ?? []).filter((tag) => tag.startsWith("127.0.0.1:"));
      for (const tag of fromRegistry) {
        await docker
          .getImage(tag)
          .remove({ force: true })
          .catch(() => undefined);
      }
    }
  }
}

beforeAll(async () => {
  db = await openTestDb();
  await removePulledImages();
  const source = labEngines[0];
  if (!source) {
    throw new Error("no lab-1");
  }
  registry = await startTestRegistry(source, "berth-demo/web:1", ["1"]);
  ({ caller, controller } = await setUpLab(db, { canPullImages: true }));
});

afterAll(async () => {
  await removePulledImages();
  await registry.close();
  await tearDownLab(db, controller);
});

describe("image pulls", () => {
  it("pulls a missing image from its registry, showing progress on the replica", async () => {
    const app = await caller.app.create({
      name: "pulled",
      image: `${registry.host}/berth-test/web:1`,
      replicas: 1,
      ports: [{ containerPort: 8080, protocol: "tcp" }],
    });
    const progress = new Set<string>();
    const running = await waitFor(
      "the pulled replica running",
      async () => {
        const [row] = await caller.app.replicas({ id: app.id });
        if (row?.progress) {
          progress.add(row.progress);
        }

        return row?.state === "running" ? row : undefined;
      },
      { timeoutMs: CONVERGE_TIMEOUT_MS, intervalMs: 50 },
    );

    expect([...progress].some((line) => /^pulling .*: \d+ of \d+ layers/.test(line))).toBe(true);
    expect(running.progress).toBeNull();
    expect(running.ports[0]?.hostIp.startsWith("127.")).toBe(true);
  });

  it("fails the replica with the registry's answer when the tag does not exist", async () => {
    const app = await caller.app.create({
      name: "missing",
      image: `${registry.host}/berth-test/web:nope`,
      replicas: 1,
    });
    const failed = await waitFor(
      "the replica failed",
      async () => {
        const [row] = await caller.app.replicas({ id: app.id });

        return row?.state === "failed" ? row : undefined;
      },
      { timeoutMs: CONVERGE_TIMEOUT_MS },
    );

    expect(failed.lastError).toMatch(/IMAGE_NOT_FOUND: .* could not be pulled: .*manifest unknown/);
    expect(failed.lastError).toMatch(/Load it on the node \(docker load\)/);
  });
});
