import { describe, expect, it } from "vitest";
import { check, Lines, scenario } from "../fixtures.ts";

function pendingThenPromote(l: Lines): number {
  let creation = 0;
  l.cycle(1, "replica-0", () => {
    creation = l.create(1, "replica-0", "a");
  });
  l.at(2, "operator", "operator.promote", { template: "dev", version: "v2" });
  return creation;
}

describe("inactive-pending-canceled", () => {
  it("flags a cycle that evaluated the old version's preset and left its pending job", () => {
    const l = new Lines();
    const creation = pendingThenPromote(l);
    let decision = 0;
    l.cycle(3, "replica-1", () => {
      decision = l.evaluate(3, "replica-1", 0, [], "dev/v1/small");
    });
    const found = check(scenario(), l).violations.filter((v) => v.invariant === "inactive-pending-canceled");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      subject: "dev/v1/small",
      message:
        "replica-1's cycle evaluated dev/v1/small (not on its template's active version) but left the pending creation job of a uncanceled",
    });
    expect(found[0]?.traceLines).toEqual(expect.arrayContaining([creation, decision]));
  });

  it("holds when the cycle cancels it, or a provisioner took it first", () => {
    const canceled = new Lines();
    pendingThenPromote(canceled);
    canceled.cycle(3, "replica-1", () => {
      canceled.evaluate(3, "replica-1", 0, [{ type: "cancel_pending" }], "dev/v1/small");
      canceled.at(3, "replica-1", "job.cancel", { job: "a-j1", workspace: "a" });
    });
    expect(check(scenario(), canceled).violations).toEqual([]);
    const taken = new Lines();
    pendingThenPromote(taken);
    taken.at(2.5, "provisioner-0", "job.acquire", { job: "a-j1", daemon: "d0", queuedMs: 90_000 });
    taken.cycle(3, "replica-1", () => taken.evaluate(3, "replica-1", 0, [], "dev/v1/small"));
    expect(check(scenario(), taken).violations).toEqual([]);
  });

  it("does not judge a cycle that logged a problem for the preset", () => {
    const l = new Lines();
    pendingThenPromote(l);
    l.cycle(3, "replica-1", () => {
      l.evaluate(3, "replica-1", 0, [], "dev/v1/small");
      l.at(3, "replica-1", "log", {
        level: "error",
        msg: "failed to reconcile prebuilds for preset",
        fields: { preset_id: "dev/v1/small" },
      });
    });
    expect(check(scenario(), l).violations).toEqual([]);
  });
});
