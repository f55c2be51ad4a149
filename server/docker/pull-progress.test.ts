import { describe, expect, it } from "vitest";

import { createPullTracker } from "./pull-progress";

describe("createPullTracker", () => {
  it("says it is asking the registry before any layer is known", () => {
    expect(createPullTracker("web:2").summary()).toBe("pulling web:2: asking the registry");
  });

  it("sums bytes over layers and counts finished ones", () => {
    const tracker = createPullTracker("web:2");
    tracker.update({ status: "Pulling from berth/web", id: "2" });
    tracker.update({ status: "Pulling fs layer", id: "a" });
    tracker.update({ status: "Pulling fs layer", id: "b" });
    tracker.update({ status: "Already exists", id: "c" });
    tracker.update({
      status: "Downloading",
      id: "a",
      progressDetail: { current: 1024 * 1024, total: 4 * 1024 * 1024 },
    });
    tracker.update({
      status: "Downloading",
      id: "b",
      progressDetail: { current: 512 * 1024, total: 1024 * 1024 },
    });

    expect(tracker.summary()).toBe("pulling web:2: 1 of 3 layers, 1.5 MiB of 5 MiB");
    tracker.update({ status: "Download complete", id: "b" });
    tracker.update({ status: "Extracting", id: "b", progressDetail: { current: 10, total: 20 } });

    expect(tracker.summary()).toBe("pulling web:2: 2 of 3 layers, 2 MiB of 5 MiB");
  });

  it("ignores messages without a layer id", () => {
    const tracker = createPullTracker("web:2");
    tracker.update({ status: "Digest: sha256:abc" });
    tracker.update({ status: "Status: Downloaded newer image for web:2" });

    expect(tracker.summary()).toBe("pulling web:2: asking the registry");
  });
});
