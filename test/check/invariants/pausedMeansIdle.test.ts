import { describe, expect, it } from "vitest";
import { check, Lines, scenario } from "../fixtures.ts";

describe("paused-means-idle", () => {
  it("flags a reconciler build in a cycle that started after a cycle saw the pause", () => {
    const l = new Lines();
    const pause = l.at(1, "operator", "operator.pause", { paused: true });
    l.cycle(2, "replica-0", () => {}, { paused: true });
    let build = 0;
    l.cycle(3, "replica-1", () => {
      build = l.create(3, "replica-1", "ws-a");
    });
    const { violations } = check(scenario(), l);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      invariant: "paused-means-idle",
      subject: "replica-1",
      message: "replica-1 created a start build for workspace ws-a while reconciliation was paused",
    });
    expect(violations[0]?.traceLines).toContain(pause);
    expect(violations[0]?.traceLines).toContain(build);
  });

  it("holds for work of a cycle that began before the pause was read, and after the resume", () => {
    const l = new Lines();
    // replica-0's cycle started (and read the settings) before the operator's write committed.
    l.at(1, "replica-0", "reconcile.cycle.start", {});
    l.at(1, "replica-0", "lock.acquire", { lock: 7, connection: "replica-0" });
    l.at(1, "operator", "operator.pause", { paused: true });
    l.create(1, "replica-0", "ws-a");
    l.at(1, "replica-0", "lock.release", { lock: 7, connection: "replica-0" });
    l.cycleEnd(1, "replica-0");
    l.cycle(2, "replica-1", () => {}, { paused: true });
    l.at(3, "operator", "operator.pause", { paused: false });
    l.cycle(4, "replica-0", () => l.create(4, "replica-0", "ws-b"));
    expect(check(scenario(), l).violations).toEqual([]);
  });

  it("flags a cycle that started after the pause although it never reports itself paused", () => {
    // A reconciler that ignores the setting also stops saying it is paused: the operator's event
    // alone is the evidence.
    const l = new Lines();
    const pause = l.at(1, "operator", "operator.pause", { paused: true });
    let del = 0;
    l.cycle(2, "replica-0", () => {
      del = l.build(2, "replica-0", "ws-old", 2, "delete", "prebuilds");
    });
    l.cycle(3, "replica-0", () => l.create(3, "replica-0", "ws-b"));
    const found = check(scenario(), l).violations.filter((v) => v.invariant === "paused-means-idle");
    expect(found.map((v) => v.message)).toEqual([
      "replica-0 created a delete build for workspace ws-old while reconciliation was paused",
      "replica-0 created a start build for workspace ws-b while reconciliation was paused",
    ]);
    expect(found[0]?.traceLines).toEqual(expect.arrayContaining([pause, del]));
  });
});
