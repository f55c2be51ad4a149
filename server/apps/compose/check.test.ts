import { describe, expect, it } from "vitest";

import { SECRET_MASK, ZAppSpec, maskSecrets } from "../spec";

import { keepCurrentFields } from "./check";

describe("updates keep what Compose cannot say", () => {
  it("keeps secrets (masked), load balancing, update settings and strategy", () => {
    const current = maskSecrets(
      ZAppSpec.parse({
        name: "web",
        image: "a",
        secrets: { TOKEN: "s3cret", PORT: "x" },
        lb: { policy: "p2c" },
        update: { maxSurge: 2 },
        placement: { strategy: "binpack" },
      }),
    );
    const next = ZAppSpec.parse({ name: "web", image: "b", env: { PORT: "1" } });
    const merged = keepCurrentFields(next, current);

    expect(merged.spec.secrets).toEqual({ TOKEN: SECRET_MASK });
    expect(merged.spec.lb).toEqual({ policy: "p2c" });
    expect(merged.spec.update.maxSurge).toBe(2);
    expect(merged.spec.placement.strategy).toBe("binpack");
    expect(merged.spec.image).toBe("b");
    expect(merged.kept).toContain("secrets");
  });
});
