import { describe, expect, it } from "vitest";
import { check, Lines, scenario } from "../fixtures.ts";

// Backoff interval PT1M (the default): a failed prebuild built at minute 1 keeps the preset in
// backoff until 1 + 1 failure × 1 min = minute 2, inclusive (spec §10.2.3: strictly after ends it).
function oneFailure(l: Lines): void {
  l.cycle(1, "replica-0", () => l.create(1, "replica-0", "a"));
  l.complete(1.5, "a", 1, "failed");
}

describe("backoff-respected", () => {
  it("flags a creation at the last instant of the backoff window (the off-by-one)", () => {
    const l = new Lines();
    oneFailure(l);
    let late = 0;
    l.cycle(2, "replica-1", () => {
      l.evaluate(2, "replica-1", 3, [{ type: "create", create: 3 }]);
      late = l.create(2, "replica-1", "b");
    });
    const found = check(scenario(), l).violations.filter((v) => v.invariant === "backoff-respected");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      subject: "dev/v1/small",
      message:
        "replica-1 created a prebuild for dev/v1/small inside its backoff window (until 2026-03-02T06:02:00.000Z)",
    });
    expect(found[0]?.traceLines).toContain(late);
  });

  it("holds once the window is over", () => {
    const l = new Lines();
    oneFailure(l);
    l.cycle(2.01, "replica-1", () => {
      l.evaluate(2.01, "replica-1", 3, [{ type: "create", create: 3 }]);
      l.create(2.01, "replica-1", "b");
    });
    expect(check(scenario(), l).violations.filter((v) => v.invariant === "backoff-respected")).toEqual([]);
  });

  it("counts every failure in the lookback: two failures double the window", () => {
    const l = new Lines();
    l.cycle(1, "replica-0", () => {
      l.create(1, "replica-0", "a");
      l.create(1, "replica-0", "b");
    });
    l.complete(1.5, "a", 1, "failed");
    l.complete(1.5, "b", 1, "failed");
    l.cycle(2.5, "replica-1", () => {
      l.evaluate(2.5, "replica-1", 3, [{ type: "create", create: 1 }]);
      l.create(2.5, "replica-1", "c");
    });
    expect(check(scenario(), l).violations.map((v) => v.invariant)).toContain("backoff-respected");
  });

  it("ignores failures outside the lookback", () => {
    const l = new Lines();
    oneFailure(l);
    const s = scenario({
      settings: { reconciliationBackoffLookback: "PT30S", reconciliationBackoffInterval: "PT5M" },
    });
    l.cycle(2, "replica-1", () => {
      l.evaluate(2, "replica-1", 3, [{ type: "create", create: 3 }]);
      l.create(2, "replica-1", "b");
    });
    expect(check(s, l).violations.filter((v) => v.invariant === "backoff-respected")).toEqual([]);
  });
});
