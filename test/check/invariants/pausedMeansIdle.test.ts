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
    l.at(1, "operator", "operator.pause", { paused: true });
    l.cycle(1, "replica-0", () => l.create(1, "replica-0", "ws-a"));
    l.cycle(2, "replica-1", () => {}, { paused: true });
    l.at(3, "operator", "operator.pause", { paused: false });
    l.cycle(4, "replica-0", () => l.create(4, "replica-0", "ws-b"));
    expect(check(scenario(), l).violations).toEqual([]);
  });
});
