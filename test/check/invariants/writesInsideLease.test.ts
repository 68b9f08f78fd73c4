import { describe, expect, it } from "vitest";
import { check, Lines, scenario } from "../fixtures.ts";

describe("writes-inside-lease", () => {
  it("flags a replica that goes on creating after it released the lock", () => {
    const l = new Lines();
    l.at(1, "replica-0", "reconcile.cycle.start", {});
    l.at(1, "replica-0", "lock.acquire", { lock: 7, connection: "replica-0" });
    const release = l.at(1, "replica-0", "lock.release", { lock: 7, connection: "replica-0" });
    const late = l.create(1.1, "replica-0", "a");
    l.create(1.1, "replica-0", "b");
    const { violations } = check(scenario(), l);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      invariant: "writes-inside-lease",
      subject: "replica-0",
      message: `replica-0 wrote (workspace.create) after its lease ended at line ${release}, outside any lease of the reconciliation lock`,
    });
    expect(violations[0]?.traceLines).toEqual([1, release, late - 1]);
  });

  it("holds for the writes of the cycle whose lock connection was lost (spec §10.1.1's overlap)", () => {
    const l = new Lines();
    l.at(1, "replica-0", "reconcile.cycle.start", {});
    l.at(1, "replica-0", "lock.acquire", { lock: 7, connection: "replica-0" });
    l.at(1, "replica-0", "lock.lost", { lock: 7, connection: "replica-0" });
    l.cycle(1, "replica-1", () => l.create(1, "replica-1", "b"));
    l.create(1.1, "replica-0", "a");
    l.cycleEnd(1.1, "replica-0");
    expect(check(scenario(), l).violations).toEqual([]);
  });

  it("flags a write in the next cycle after a lost lock when the lock was not re-acquired", () => {
    const l = new Lines();
    l.at(1, "replica-0", "reconcile.cycle.start", {});
    l.at(1, "replica-0", "lock.acquire", { lock: 7, connection: "replica-0" });
    l.at(1, "replica-0", "lock.lost", { lock: 7, connection: "replica-0" });
    l.cycleEnd(1.1, "replica-0");
    l.at(2, "replica-0", "reconcile.cycle.start", {});
    l.create(2, "replica-0", "a");
    expect(check(scenario(), l).violations.map((v) => v.invariant)).toEqual(["writes-inside-lease"]);
  });
});
