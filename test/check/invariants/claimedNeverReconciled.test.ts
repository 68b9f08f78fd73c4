import { describe, expect, it } from "vitest";
import { checkOf, Lines, scenario } from "../fixtures.ts";

// Only this invariant: the hand-written histories below leave out what the other oracles need.
const check = checkOf("claimed-never-reconciled");

describe("claimed-never-reconciled", () => {
  it("flags a reconciler build on a workspace a person claimed, pointing at the claim and the build", () => {
    const l = new Lines();
    l.cycle(1, "replica-0", () => l.create(1, "replica-0", "ws-a"));
    l.complete(3, "ws-a", 1, "succeeded");
    const claim = l.at(5, "user-1", "claim.result", {
      user: "u1",
      preset: "dev/small",
      hit: true,
      workspace: "ws-a",
    });
    l.build(5, "user-1", "ws-a", 2, "start", "u1");
    l.complete(6, "ws-a", 2, "succeeded");
    let del = 0;
    l.cycle(7, "replica-1", () => {
      del = l.build(7, "replica-1", "ws-a", 3, "delete", "prebuilds");
    });
    const { violations } = check(scenario(), l);
    expect(violations).toEqual([
      {
        invariant: "claimed-never-reconciled",
        at: "2026-03-02T06:07:00.000Z",
        subject: "ws-a",
        message: "replica-1 created a delete build (#3) for workspace ws-a, which u1 had claimed",
        traceLines: [claim, del],
      },
    ]);
  });

  it("holds when the reconciler deletes an unclaimed prebuild and the person builds their claim", () => {
    const l = new Lines();
    l.cycle(1, "replica-0", () => {
      l.create(1, "replica-0", "ws-a");
      l.create(1, "replica-0", "ws-b");
    });
    l.complete(3, "ws-a", 1, "succeeded");
    l.complete(3, "ws-b", 1, "succeeded");
    l.at(5, "user-1", "claim.result", { user: "u1", preset: "dev/small", hit: true, workspace: "ws-a" });
    l.build(5, "user-1", "ws-a", 2, "start", "u1");
    l.cycle(7, "replica-1", () => l.build(7, "replica-1", "ws-b", 2, "delete", "prebuilds"));
    expect(check(scenario(), l).violations).toEqual([]);
  });
});
