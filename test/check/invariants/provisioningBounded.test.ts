import { describe, expect, it } from "vitest";
import { check, Lines, scenario } from "../fixtures.ts";

describe("provisioning-bounded", () => {
  it("flags a reconciler that ignores in-progress builds (creates desired − running every cycle)", () => {
    const l = new Lines();
    l.cycle(1, "replica-0", () => {
      l.evaluate(1, "replica-0", 3, [{ type: "create", create: 3 }]);
      for (const ws of ["a", "b", "c"]) l.create(1, "replica-0", ws);
    });
    // The three builds are still running: a correct cycle creates nothing.
    let extra = 0;
    let decision = 0;
    l.cycle(2, "replica-0", () => {
      decision = l.evaluate(2, "replica-0", 3, [{ type: "create", create: 3 }]);
      extra = l.create(2, "replica-0", "d");
      l.create(2, "replica-0", "e");
    });
    const found = check(scenario(), l).violations.filter((v) => v.invariant === "provisioning-bounded");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      subject: "dev/v1/small",
      at: "2026-03-02T06:02:00.000Z",
      message:
        "replica-0 created 1 prebuild(s) for dev/v1/small in one cycle, but its snapshot allowed at most 0 (desired 3, running 0, starting 3)",
    });
    expect(found[0]?.traceLines).toEqual(expect.arrayContaining([decision, extra]));
    // create-clamped, which bounds one cycle by the desired count only, does not see it.
    expect(check(scenario(), l).violations.map((v) => v.invariant)).not.toContain("create-clamped");
  });

  it("holds for creations that replace finished, claimed or failed prebuilds", () => {
    const l = new Lines();
    l.cycle(1, "replica-0", () => {
      for (const ws of ["a", "b", "c"]) l.create(1, "replica-0", ws);
    });
    l.complete(3, "a", 1, "succeeded");
    l.complete(3, "b", 1, "failed");
    l.complete(3, "c", 1, "succeeded");
    l.agent(3.2, "c");
    l.claim(3.5, "user-1", "c");
    l.cycle(4, "replica-0", () => {
      l.evaluate(4, "replica-0", 3, [{ type: "create", create: 2 }]);
      l.create(4, "replica-0", "d");
      l.create(4, "replica-0", "e");
    });
    expect(check(scenario(), l).violations).toEqual([]);
  });

  it("accepts what any point of the snapshot window justifies (a start finishing or a claim meanwhile)", () => {
    const l = new Lines();
    l.cycle(1, "replica-0", () => {
      for (const ws of ["a", "b", "c"]) l.create(1, "replica-0", ws);
    });
    for (const ws of ["a", "b", "c"]) l.complete(3, ws, 1, "succeeded");
    l.agent(3.2, "c");
    l.at(4, "replica-1", "reconcile.cycle.start", {});
    // A claim lands after the cycle started, before its snapshot: the snapshot may not show c.
    l.claim(4, "user-1", "c");
    l.at(4, "replica-1", "lock.acquire", { lock: 7, connection: "replica-1" });
    l.evaluate(4, "replica-1", 3, [{ type: "create", create: 1 }]);
    l.create(4, "replica-1", "d");
    expect(check(scenario(), l).violations).toEqual([]);
  });
});
