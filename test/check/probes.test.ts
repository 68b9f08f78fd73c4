import { describe, expect, it } from "vitest";
import { PROBE_NAMES } from "../../src/check/probes.ts";
import { RunChecker } from "../../src/check/runChecker.ts";
import { check, endState, Lines, scenario } from "./fixtures.ts";

const state = {
  actual: 1,
  expired: 1,
  desired: 3,
  eligible: 0,
  extraneous: 0,
  starting: 0,
  stopping: 0,
  deleting: 0,
};

describe("coverage probes", () => {
  it("reports every probe, zero included, for an empty trace", () => {
    const { probes } = check(scenario(), new Lines());
    expect(Object.keys(probes)).toEqual([...PROBE_NAMES]);
    expect(Object.values(probes).every((n) => n === 0)).toBe(true);
  });

  it("counts each rare situation once per occurrence", () => {
    const l = new Lines();
    const preset = (
      minutes: number,
      actions: { type: string; deleteIds?: string[]; backoffUntil?: string }[],
    ) =>
      l.at(minutes, "replica-0", "reconcile.preset", {
        preset: "dev/v1/small",
        presetId: "p1",
        state,
        actions,
      });
    // backoff engaged twice: two separate stretches
    l.cycle(1, "replica-0", () => preset(1, [{ type: "backoff", backoffUntil: "2026-03-02T06:03:00Z" }]));
    l.cycle(2, "replica-0", () => preset(2, [{ type: "backoff", backoffUntil: "2026-03-02T06:03:00Z" }]));
    l.cycle(3, "replica-0", () => preset(3, []));
    l.cycle(4, "replica-0", () => preset(4, [{ type: "backoff", backoffUntil: "2026-03-02T06:05:00Z" }]));
    // an expired prebuild deleted, and a person claims another prebuild the same cycle planned to delete
    l.at(5, "replica-0", "reconcile.cycle.start", {});
    preset(5, [
      { type: "delete", deleteIds: ["ws-old"] },
      { type: "delete", deleteIds: ["ws-x"] },
    ]);
    l.build(5, "user-1", "ws-x", 2, "start", "u1");
    l.at(5, "user-1", "claim.result", { user: "u1", preset: "dev/small", hit: true, workspace: "ws-x" });
    l.at(5, "user-2", "claim.result", { user: "u2", preset: "dev/small", hit: false, workspace: "ws-new" });
    l.at(5, "replica-0", "lock.lost", { lock: 7, connection: "replica-0" });
    l.at(5, "replica-1", "reconcile.cycle.start", {});
    l.at(5, "replica-1", "lock.acquire", { lock: 7, connection: "replica-1" });
    l.at(5, "replica-0", "reconcile.cycle.end", {
      elapsedMs: 5,
      lockAcquired: true,
      paused: false,
      presetsTotal: 1,
      presetsReconciled: 1,
    });
    l.at(5, "replica-0", "lock.refused", { lock: 7, connection: "replica-0", holder: "replica-1" });
    l.at(6, "replica-1", "preset.status", { preset: "dev/v1/small", presetId: "p1", status: "hard_limited" });
    l.at(6, "replica-1", "job.cancel", { job: "j9", workspace: "ws-9" });
    l.at(7, "replica-1", "reconcile.cycle.end", {
      elapsedMs: 5,
      lockAcquired: true,
      paused: true,
      presetsTotal: 0,
      presetsReconciled: 0,
    });
    l.at(8, "provisioner-0", "notification", {
      template: "89d9745a-816e-4695-a17f-3d0a229e2b8d",
      user: "admin",
      workspace: "ws-x",
    });
    // the claimed workspace's agent ready again as its new owner's
    l.at(9, "world", "agent.reinit", {
      workspace: "ws-x",
      agent: "a-2",
      owner: "u1",
      reason: "prebuild_claimed",
      durationMs: 20_000,
    });
    const { probes } = check(scenario(), l);
    expect(probes).toEqual({
      "backoff-engaged": 2,
      "hard-limit-reached": 1,
      "lock-contended": 1,
      "lock-lost-overlap": 1,
      "claim-miss": 1,
      "claim-raced-delete": 1,
      "pending-canceled": 1,
      "expired-deleted": 1,
      "drift-on-claim": 1,
      "validation-failed": 0,
      "paused-cycle": 1,
      "agent-reinitialized": 1,
    });
  });
});

describe("expect.reach", () => {
  it("fails the run for every promised probe that stayed at zero, and only for those", () => {
    const l = new Lines();
    l.at(1, "replica-1", "lock.refused", { lock: 7, connection: "replica-1", holder: "replica-0" });
    const s = scenario({ expect: { reach: ["lock-contended", "lock-lost-overlap"] } });
    const { violations } = check(s, l);
    expect(violations).toEqual([
      {
        invariant: "expect-reach",
        at: "2026-03-02T08:00:00.000Z",
        subject: "lock-lost-overlap",
        message: "probe lock-lost-overlap never reached: the scenario's expect.reach promises it",
        traceLines: [],
      },
    ]);
  });

  it("cannot be hidden by expect.allow", () => {
    const s = scenario({ expect: { reach: ["paused-cycle"], allow: ["converges"] } });
    expect(check(s, new Lines()).violations.map((v) => v.invariant)).toEqual(["expect-reach"]);
  });
});

describe("expect.reach, unjudged", () => {
  it("is left to the caller when the checker is told not to judge it (explored and swept seeds)", () => {
    const s = scenario({ expect: { reach: ["paused-cycle"] } });
    const checker = new RunChecker(s, { judgeReach: false });
    expect(checker.finish(endState({})).violations).toEqual([]);
  });
});
