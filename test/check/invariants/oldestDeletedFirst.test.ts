import { describe, expect, it } from "vitest";
import { check, Lines, scenario } from "../fixtures.ts";

// Four running prebuilds a (oldest) … d (youngest) of a preset whose desired count drops to 2.
function fourRunning(l: Lines): void {
  ["a", "b", "c", "d"].forEach((ws, i) => {
    l.cycle(1 + i, "replica-0", () => l.create(1 + i, "replica-0", ws));
    l.complete(1.5 + i, ws, 1, "succeeded");
  });
  l.at(6, "operator", "operator.setDesired", { preset: "dev/v1/small", instances: 2 });
}

describe("oldest-deleted-first", () => {
  it("holds when the two oldest go", () => {
    const l = new Lines();
    fourRunning(l);
    l.cycle(7, "replica-0", () => {
      l.evaluate(7, "replica-0", 2, [{ type: "delete", deleteIds: ["a", "b"] }]);
      l.build(7, "replica-0", "a", 2, "delete", "prebuilds");
      l.build(7, "replica-0", "b", 2, "delete", "prebuilds");
    });
    expect(check(scenario(), l).violations).toEqual([]);
  });

  it("flags a cycle that deletes the youngest instead", () => {
    const l = new Lines();
    fourRunning(l);
    let youngest = 0;
    l.cycle(7, "replica-0", () => {
      l.evaluate(7, "replica-0", 2, [{ type: "delete", deleteIds: ["c", "d"] }]);
      l.build(7, "replica-0", "c", 2, "delete", "prebuilds");
      youngest = l.build(7, "replica-0", "d", 2, "delete", "prebuilds");
    });
    const found = check(scenario(), l).violations;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      invariant: "oldest-deleted-first",
      subject: "dev/v1/small",
      message: "replica-0 deleted prebuild d of dev/v1/small but kept the older a",
    });
    expect(found[0]?.traceLines).toContain(youngest);
  });

  it("holds when the older one was claimed between the snapshot and the delete", () => {
    const l = new Lines();
    fourRunning(l);
    l.agent(6.5, "a");
    l.cycle(7, "replica-0", () => {
      l.evaluate(7, "replica-0", 2, [{ type: "delete", deleteIds: ["a", "b"] }]);
      l.claim(7, "user-1", "a");
      l.build(7, "replica-0", "b", 2, "delete", "prebuilds");
    });
    expect(check(scenario(), l).violations).toEqual([]);
  });
});
