import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { filterNodes, prepareRequest } from "./filter";
import { compileSnapshot } from "./cluster";
import { fakeNode, fakeRequest } from "./harness";
import { imageKey, imageKeys } from "./images";

const DIGEST = `sha256:${"ab".repeat(32)}`;
const OTHER_DIGEST = `sha256:${"cd".repeat(32)}`;

describe("imageKey", () => {
  it("fills in Docker Hub's registry, namespace and the latest tag", () => {
    const key = "docker.io/library/nginx:latest";

    expect(imageKey("nginx")).toBe(key);
    expect(imageKey("nginx:latest")).toBe(key);
    expect(imageKey("library/nginx")).toBe(key);
    expect(imageKey("docker.io/nginx")).toBe(key);
    expect(imageKey("index.docker.io/library/nginx:latest")).toBe(key);
    expect(imageKey("berth-demo/web:1")).toBe("docker.io/berth-demo/web:1");
  });

  it("keeps a registry with a port apart from a tag", () => {
    expect(imageKey("localhost:5000/web")).toBe("localhost:5000/web:latest");
    expect(imageKey("127.0.0.1:5000/team/web:1.4")).toBe("127.0.0.1:5000/team/web:1.4");
    expect(imageKey("ghcr.io/acme/web:1.4")).toBe("ghcr.io/acme/web:1.4");
  });

  it("matches a digest whatever the tag, as the engine does", () => {
    expect(imageKey(`nginx@${DIGEST}`)).toBe(`docker.io/library/nginx@${DIGEST}`);
    expect(imageKey(`nginx:1.27@${DIGEST}`)).toBe(imageKey(`nginx@${DIGEST}`));
    expect(imageKey(`nginx@${OTHER_DIGEST}`)).not.toBe(imageKey(`nginx@${DIGEST}`));
  });

  it("tells tags apart and reads image ids with or without their prefix", () => {
    expect(imageKey("web:1")).not.toBe(imageKey("web:2"));
    expect(imageKey("ab".repeat(32))).toBe(DIGEST);
    expect(imageKey(DIGEST)).toBe(DIGEST);
  });

  it("is idempotent", () => {
    const reference = fc
      .tuple(
        fc.constantFrom("", "docker.io/", "localhost:5000/", "ghcr.io/"),
        fc.constantFrom("web", "team/web", "library/web"),
        fc.constantFrom("", ":1", ":latest"),
        fc.constantFrom("", `@${DIGEST}`),
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(reference, (ref) => {
        expect(imageKey(imageKey(ref))).toBe(imageKey(ref));
      }),
    );
  });

  it("leaves out Docker's <none> placeholders", () => {
    expect(imageKeys(["<none>:<none>", "<none>@<none>", "web:1"])).toEqual(
      new Set(["docker.io/library/web:1"]),
    );
  });
});

describe("the image filter with pulling off", () => {
  const nodes = [
    fakeNode("tagged", { images: imageKeys(["docker.io/library/web:1"]) }),
    fakeNode("latest", { images: imageKeys(["web:latest"]) }),
    fakeNode("pinned", { images: imageKeys([`web@${DIGEST}`]) }),
  ];

  function feasible(image: string): string[] {
    const state = compileSnapshot({ nodes, replicas: [] });
    const ctx = prepareRequest(state, fakeRequest({ image, canPull: false }), 0);
    filterNodes(ctx);

    return Array.from(ctx.feasible.subarray(0, ctx.feasibleCount), (i) => state.nodeIds[i]!);
  }

  it("finds a node by any spelling of the reference it holds", () => {
    expect(feasible("web:1")).toEqual(["tagged"]);
    expect(feasible("web")).toEqual(["latest"]);
    expect(feasible(`web:9@${DIGEST}`)).toEqual(["pinned"]);
    expect(feasible("web:2")).toEqual([]);
  });
});
