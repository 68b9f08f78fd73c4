import { describe, expect, it } from "vitest";
import { checkOf, Lines, scenario } from "../fixtures.ts";

const check = checkOf("provisioning-sufficient");

/** Cycle 1 creates a, b, c (desired 3); a and b fail at minute 1.5, c succeeds at 3. */
function twoFailed(l: Lines): void {
  l.cycle(1, "replica-0", () => {
    l.evaluate(1, "replica-0", 3, [{ type: "create", create: 3 }]);
    for (const ws of ["a", "b", "c"]) l.create(1, "replica-0", ws);
  });
  l.complete(1.5, "a", 1, "failed");
  l.complete(1.5, "b", 1, "failed");
  l.complete(3, "c", 1, "succeeded");
}

describe("provisioning-sufficient", () => {
  it("flags a cycle that stays in backoff one interval past failures × interval", () => {
    // Two failures at minute 1: backoff until 1 + 2 × 1 min = minute 3, inclusive.
    const l = new Lines();
    twoFailed(l);
    l.cycle(3, "replica-0", () => l.evaluate(3, "replica-0", 3, [{ type: "backoff" }]));
    let decision = 0;
    l.cycle(3.5, "replica-0", () => {
      decision = l.evaluate(3.5, "replica-0", 3, [{ type: "backoff" }]);
    });
    const found = check(scenario(), l).violations;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      invariant: "provisioning-sufficient",
      subject: "dev/v1/small",
      at: "2026-03-02T06:03:30.000Z",
      message:
        "replica-0's cycle created 0 prebuild(s) for dev/v1/small, but upstream creates 2 (desired 3, running 1, starting 0; not in backoff, not hard-limited)",
    });
    expect(found[0]?.traceLines).toContain(decision);
  });

  it("holds inside the backoff window (its end included) and for a cycle that creates what is missing", () => {
    const l = new Lines();
    twoFailed(l);
    l.cycle(2, "replica-0", () => l.evaluate(2, "replica-0", 3, [{ type: "backoff" }]));
    l.cycle(3, "replica-0", () => l.evaluate(3, "replica-0", 3, [{ type: "backoff" }]));
    l.cycle(4, "replica-0", () => {
      l.evaluate(4, "replica-0", 3, [{ type: "create", create: 2 }]);
      l.create(4, "replica-0", "d");
      l.create(4, "replica-0", "e");
    });
    // d and e still starting: nothing is missing.
    l.cycle(5, "replica-0", () => l.evaluate(5, "replica-0", 3));
    expect(check(scenario(), l).violations).toEqual([]);
  });

  it("flags a preset held back by old failures when its latest builds are not all failed (hard limit over all builds)", () => {
    const l = new Lines();
    twoFailed(l);
    l.cycle(5, "replica-0", () => {
      l.evaluate(5, "replica-0", 3, [{ type: "create", create: 2 }]);
      l.create(5, "replica-0", "d");
      l.create(5, "replica-0", "e");
    });
    l.complete(6, "d", 1, "failed");
    l.complete(7, "e", 1, "succeeded");
    // Three failed prebuilds (a, b, d), but the latest three (d, e, c) are not all failed: no hard
    // limit. Backoff: d is the latest failure among the newest 3, three failures in the lookback,
    // so until 5 + 3 min = minute 8.
    l.cycle(8, "replica-0", () => l.evaluate(8, "replica-0", 3, [{ type: "backoff" }]));
    l.cycle(9, "replica-0", () => l.evaluate(9, "replica-0", 3));
    expect(check(scenario(), l).violations.map((v) => v.message)).toEqual([
      "replica-0's cycle created 0 prebuild(s) for dev/v1/small, but upstream creates 1 (desired 3, running 2, starting 0; not in backoff, not hard-limited)",
    ]);
  });

  it("holds for a hard-limited preset, and for a cycle that logged an error for the preset", () => {
    const l = new Lines();
    l.cycle(1, "replica-0", () => {
      for (const ws of ["a", "b", "c"]) l.create(1, "replica-0", ws);
    });
    for (const ws of ["a", "b", "c"]) l.complete(2, ws, 1, "failed");
    l.cycle(10, "replica-0", () => l.evaluate(10, "replica-0", 3, [{ type: "create", create: 3 }]));
    l.cycle(11, "replica-1", () => {
      l.at(11, "replica-1", "log", {
        level: "error",
        msg: "failed to create prebuild",
        fields: { preset_id: "dev/v1/small" },
      });
      l.evaluate(11, "replica-1", 3, [{ type: "create", create: 3 }]);
    });
    expect(check(scenario(), l).violations).toEqual([]);
    // The same history with the hard limit off: the cycle at minute 10 under-creates.
    const unlimited = scenario({ settings: { failureHardLimit: 0 } });
    expect(check(unlimited, l).violations.map((v) => v.at)).toEqual(["2026-03-02T06:10:00.000Z"]);
  });
});
