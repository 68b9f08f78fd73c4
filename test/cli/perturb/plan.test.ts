// `explore --perturb`'s pure parts: points from a cycle log and a trace, the perturbations of
// each point, how `all` spreads and `sample` draws, the perturbed scenario text, and landing.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { landingOf } from "../../../src/cli/perturb/landing.ts";
import {
  PERTURBING_KINDS,
  parseMaxRuns,
  parsePerturbFaults,
  perturbationsOf,
  sampledPerturbation,
  spreadEvenly,
} from "../../../src/cli/perturb/plan.ts";
import { cyclePoints, notificationPoints, recordedPoints } from "../../../src/cli/perturb/points.ts";
import { perturbedScenarioText } from "../../../src/cli/perturb/scenarioText.ts";
import { scenarioFromText } from "../../../src/cli/scenarioInput.ts";
import { LockId } from "../../../src/db/constants.ts";
import type { RecordedCycle } from "../../../src/world/faults/cycleLog.ts";
import type { CycleStatementPoint, NotificationPoint } from "../../../src/world/faults/perturbationPoint.ts";

const START = Date.parse("2026-03-02T08:00:00Z");
const RUN = { start: START, end: START + 10 * 60_000 };

const CYCLES: RecordedCycle[] = [
  { replica: "replica-0", cycle: 1, acquiredAt: START + 60_000, previousEnd: START, statements: 3 },
  { replica: "replica-1", cycle: 1, acquiredAt: START + 120_000, previousEnd: START, statements: 2 },
  { replica: "replica-0", cycle: 2, acquiredAt: START + 540_000, previousEnd: START + 60_500, statements: 1 },
];

const line = (seq: number, fields: Record<string, unknown>) =>
  JSON.stringify({ seq, t: new Date(START + seq * 1000).toISOString(), actor: "x", ...fields });

const SCENARIO = `name: p
start: 2026-03-02T08:00:00Z
duration: PT10M
replicas: {count: 2}
templates:
  - name: dev
    versions:
      - name: v1
        presets: [{name: small, desiredInstances: 1}]
faults:
  - {at: PT1M, kind: provisioner-outage, duration: PT1M}
`;

describe("points", () => {
  test("one point before each statement of each cycle, cycles in lease order", () => {
    const points = cyclePoints(CYCLES);
    expect(points).toHaveLength(3 + 2 + 1);
    expect(points.map((p) => `${p.replica}#${p.cycle}:${p.afterStatements}/${p.statements}`)).toEqual([
      "replica-0#1:0/3",
      "replica-0#1:1/3",
      "replica-0#1:2/3",
      "replica-1#1:0/2",
      "replica-1#1:1/2",
      "replica-0#2:0/1",
    ]);
    expect(points[5]?.previousEnd).toBe("2026-03-02T08:01:00.500Z");
  });

  test("notifications are read from the trace: jobs posted, claim reinit events, user notifications", () => {
    const trace = `${[
      line(1, { kind: "run.start" }),
      line(2, { kind: "build.create", job: "j1", workspace: "w1" }),
      line(3, { kind: "agent.reinit.publish", workspace: "w2" }),
      line(4, { kind: "notification", workspace: "w3" }),
      line(5, { kind: "job.complete", job: "j1" }),
    ].join("\n")}\n`;
    expect(notificationPoints(trace).map((p) => [p.channel, p.subject, p.seq])).toEqual([
      ["job", "j1", 2],
      ["claim", "w2", 3],
      ["user", "w3", 4],
    ]);
    expect(recordedPoints(CYCLES, trace).map((p) => p.type)).toEqual([
      ...Array(6).fill("cycle-statement"),
      ...Array(3).fill("notification"),
    ]);
  });
});

describe("perturbationsOf", () => {
  test("every cycle point once per kind that strikes cycle statements", () => {
    const trace = `${line(2, { kind: "build.create", job: "j1" })}\n`;
    const all = perturbationsOf(
      recordedPoints(CYCLES, trace),
      ["lock-connection-lost", "replica-crash"],
      RUN,
    );
    expect(all).toHaveLength(6 * 2);
    expect(all.map((p) => p.number)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(all[0]?.fault).toEqual({
      at: "PT59.999S",
      kind: "lock-connection-lost",
      replica: "replica-0",
      afterStatements: 0,
    });
    expect(all[1]?.fault).toEqual({
      at: "PT59.999S",
      kind: "replica-crash",
      replica: "replica-0",
      during: "cycle",
      afterStatements: 0,
      restartAfter: "PT1M",
    });
  });

  test("a crash whose restart would fall after the end stays down; arming never precedes the replica's previous cycle end", () => {
    const [late] = perturbationsOf(cyclePoints([CYCLES[2] as RecordedCycle]), ["replica-crash"], RUN);
    expect(late?.fault).not.toHaveProperty("restartAfter");
    const tight = cyclePoints([
      { replica: "replica-0", cycle: 2, acquiredAt: START + 5000, previousEnd: START + 5000, statements: 1 },
    ]);
    expect(perturbationsOf(tight, ["lock-connection-lost"], RUN)[0]?.fault.at).toBe("PT5S");
  });

  test("the stale- and unobserved-state kinds strike a cycle's start and the notifications a fault can reach", () => {
    expect(PERTURBING_KINDS).toEqual([
      "lock-connection-lost",
      "replica-crash",
      "stale-snapshot",
      "notifications-dropped",
      "notifications-delayed",
      "tick-missed",
    ]);
    const trace = `${[
      // A person's build posts around the faults: no point a fault can take.
      line(2, { kind: "build.create", job: "j0", initiator: "u1" }),
      line(3, { kind: "build.create", job: "j1", initiator: "prebuilds" }),
      line(3, { kind: "build.create", job: "j2", initiator: "prebuilds" }),
      line(4, { kind: "agent.reinit.publish", workspace: "w2" }),
      line(5, { kind: "notification", workspace: "w3" }),
    ].join("\n")}\n`;
    const kinds = ["stale-snapshot", "notifications-dropped", "notifications-delayed", "tick-missed"];
    const faults = perturbationsOf(recordedPoints(CYCLES, trace), kinds, RUN).map((p) => p.fault);
    // Three cycles: a stale snapshot and a missed tick each; three reachable notifications: dropped and delayed each.
    expect(faults.map((f) => f.kind)).toEqual([
      "stale-snapshot",
      "tick-missed",
      "stale-snapshot",
      "tick-missed",
      "stale-snapshot",
      "tick-missed",
      "notifications-dropped",
      "notifications-delayed",
      "notifications-dropped",
      "notifications-delayed",
      "notifications-dropped",
      "notifications-delayed",
    ]);
    expect(faults[0]).toEqual({
      at: "PT59.999S",
      kind: "stale-snapshot",
      staleBy: "PT30S",
      replica: "replica-0",
      count: 1,
    });
    expect(faults[1]).toEqual({ at: "PT59.999S", kind: "tick-missed", replica: "replica-0", count: 1 });
    // Two postings at one instant: the second is selected by skipping the first.
    expect(faults[6]).toEqual({ at: "PT2.999S", kind: "notifications-dropped", channel: "jobs", count: 1 });
    expect(faults[8]).toEqual({
      at: "PT2.999S",
      kind: "notifications-dropped",
      channel: "jobs",
      count: 1,
      afterNotifications: 1,
    });
    expect(faults[10]).toEqual({
      at: "PT3.999S",
      kind: "notifications-dropped",
      channel: "claims",
      count: 1,
    });
    expect(faults[11]).toMatchObject({ kind: "notifications-delayed", channel: "claims", delay: "PT1M" });
  });

  test("--perturb-faults restricts the kinds", () => {
    expect(perturbationsOf(cyclePoints(CYCLES), ["replica-crash"], RUN).map((p) => p.fault.kind)).toEqual(
      Array(6).fill("replica-crash"),
    );
  });
});

describe("spreadEvenly", () => {
  test("all items when there are no more than max", () => {
    expect(spreadEvenly([1, 2, 3], 3)).toEqual([1, 2, 3]);
    expect(spreadEvenly([1, 2, 3], 8)).toEqual([1, 2, 3]);
  });
  test("10 items, 4 runs: every 2.5th, the first included", () => {
    expect(spreadEvenly([...Array(10).keys()], 4)).toEqual([0, 2, 5, 7]);
  });
  test("property: min(n, max) distinct items in order, the first always, gaps differ by at most one", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 50 }), (n, max) => {
        const items = [...Array(n).keys()];
        const out = spreadEvenly(items, max);
        expect(out).toHaveLength(Math.min(n, max));
        if (n > 0) expect(out[0]).toBe(0);
        const gaps = out.slice(1).map((x, i) => x - (out[i] as number));
        expect(gaps.every((g) => g > 0)).toBe(true);
        if (gaps.length > 0) expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe("sampledPerturbation", () => {
  const all = perturbationsOf(cyclePoints(CYCLES), PERTURBING_KINDS, RUN);
  test("the same seed draws the same perturbation; seeds spread over the list", () => {
    for (const seed of [1, 2, 3, 99])
      expect(sampledPerturbation(all, seed)).toEqual(sampledPerturbation(all, seed));
    const drawn = new Set([...Array(40).keys()].map((s) => sampledPerturbation(all, s + 1)?.number));
    expect(drawn.size).toBeGreaterThan(5);
  });
  test("nothing to draw from: null", () => {
    expect(sampledPerturbation([], 1)).toBeNull();
  });
});

describe("perturbedScenarioText", () => {
  test("the fault is appended as an ordinary fault the loader accepts; its index follows the scenario's faults", () => {
    const [p] = perturbationsOf(cyclePoints(CYCLES), ["lock-connection-lost"], RUN);
    if (p === undefined) throw new Error("no perturbation");
    const out = perturbedScenarioText(SCENARIO, p.fault, p.point);
    expect(out.index).toBe(1);
    const { scenario } = scenarioFromText("p.yaml", out.text);
    expect(scenario.faults).toHaveLength(2);
    expect(scenario.faults[1]).toMatchObject({
      kind: "lock-connection-lost",
      afterStatements: 0,
      at: START + 59_999,
    });
    expect(scenario.description).toContain(
      "[perturbation: lock-connection-lost at replica-0 cycle 1 after 0 of 3 statements]",
    );
  });
  test("a scenario without faults gets a faults list", () => {
    const [p] = perturbationsOf(cyclePoints(CYCLES), ["replica-crash"], RUN);
    if (p === undefined) throw new Error("no perturbation");
    const text = SCENARIO.replace(/faults:\n.*\n/, "");
    expect(perturbedScenarioText(text, p.fault, p.point).index).toBe(0);
  });
});

describe("landingOf", () => {
  const point = cyclePoints(CYCLES)[3] as CycleStatementPoint; // replica-1 cycle 1 after 0
  const acquire = (seq: number, connection: string, at: number) =>
    JSON.stringify({
      seq,
      actor: "x",
      t: new Date(at).toISOString(),
      kind: "lock.acquire",
      lock: LockId.ReconcilePrebuilds,
      connection,
    });
  const start = (seq: number, replica: string) =>
    JSON.stringify({
      seq,
      t: "x",
      actor: "fault",
      kind: "fault.start",
      fault: "replica-crash",
      index: 1,
      replica,
    });
  test("landed: the fault struck the recorded replica's recorded cycle", () => {
    const trace = [
      acquire(1, "replica-0", START + 60_000),
      acquire(2, "replica-1", START + 120_000),
      start(3, "replica-1"),
    ];
    expect(landingOf(trace.join("\n"), 1, point).outcome).toBe("landed");
  });
  test("a stale snapshot lands at its warning inside the cycle; a missed tick at its effect before the cycle", () => {
    const armed = (seq: number, fault: string) =>
      JSON.stringify({
        seq,
        t: "x",
        actor: "fault",
        kind: "fault.start",
        fault,
        index: 1,
        replica: "replica-1",
      });
    const warn = (seq: number) =>
      JSON.stringify({
        seq,
        t: "x",
        actor: "fault",
        kind: "log",
        index: 1,
        fields: { index: 1, replica: "replica-1" },
      });
    const effect = (seq: number) =>
      JSON.stringify({ seq, t: "x", actor: "fault", kind: "fault.effect", index: 1 });
    // Armed before the lease; the warning comes once replica-1 holds its first cycle.
    const stale = [armed(1, "stale-snapshot"), acquire(2, "replica-1", START + 120_000), warn(3)];
    expect(landingOf(stale.join("\n"), 1, point).outcome).toBe("landed");
    // The tick that would start replica-1's first cycle is missed: no lease before the effect.
    expect(landingOf([armed(1, "tick-missed"), effect(2)].join("\n"), 1, point).outcome).toBe("landed");
    // One cycle already begun when the tick was missed: it took the next cycle instead.
    const late = [armed(1, "tick-missed"), acquire(2, "replica-1", START + 120_000), effect(3)];
    expect(landingOf(late.join("\n"), 1, point).outcome).toBe("elsewhere");
  });
  test("elsewhere: another cycle, or the same cycle number at another instant (the run shifted)", () => {
    const other = [
      acquire(1, "replica-1", START + 120_000),
      acquire(2, "replica-1", START + 180_000),
      start(3, "replica-1"),
    ];
    expect(landingOf(other.join("\n"), 1, point)).toMatchObject({ outcome: "elsewhere" });
    const shifted = [acquire(1, "replica-1", START + 120_001), start(2, "replica-1")];
    expect(landingOf(shifted.join("\n"), 1, point).detail).toContain("the run shifted before the point");
  });
  test("noop: the fault changed nothing, with its reason; a fault of another index is not this one", () => {
    const noop = JSON.stringify({
      seq: 1,
      actor: "fault",
      t: "x",
      kind: "fault.noop",
      index: 1,
      reason: "replica-1 held no lock",
    });
    expect(landingOf(noop, 1, point)).toEqual({
      outcome: "noop",
      detail: "changed nothing: replica-1 held no lock",
    });
    expect(landingOf(start(1, "replica-1").replace('"index":1', '"index":0'), 1, point).outcome).toBe("noop");
  });
});

describe("landingOf a notification point", () => {
  const jobPoint: NotificationPoint = {
    type: "notification",
    channel: "job",
    seq: 7,
    at: "2026-03-02T08:01:00.100Z",
    subject: "job-b",
    perturbable: true,
    sameInstantBefore: 1,
  };
  const start = JSON.stringify({
    seq: 1,
    t: "2026-03-02T08:01:00.099Z",
    actor: "fault",
    kind: "fault.start",
    fault: "notifications-dropped",
    index: 1,
    channel: "jobs",
    count: 1,
  });
  const effect = (subjects: string[]) =>
    JSON.stringify({
      seq: 2,
      t: "2026-03-02T08:01:00.100Z",
      actor: "fault",
      kind: "fault.effect",
      fault: "notifications-dropped",
      index: 1,
      effect: { jobNotificationsDropped: subjects.length },
      until: "2026-03-02T08:01:00.100Z",
      subjects,
    });
  test("landed: the fault took the recorded job", () => {
    expect(landingOf([start, effect(["job-b"])].join("\n"), 1, jobPoint)).toEqual({
      outcome: "landed",
      detail: "struck job job-b (struck at 2026-03-02T08:01:00.099Z)",
    });
  });
  test("elsewhere: the fault took another job than the one recorded (the run shifted)", () => {
    expect(landingOf([start, effect(["job-c"])].join("\n"), 1, jobPoint)).toEqual({
      outcome: "elsewhere",
      detail: "struck job job-c, not job job-b (trace line 7): the run shifted before the point",
    });
  });
  test("a claim notification is named by its workspace", () => {
    const claimPoint: NotificationPoint = { ...jobPoint, channel: "claim", subject: "ws-1" };
    expect(landingOf([start, effect(["ws-2"])].join("\n"), 1, claimPoint).detail).toBe(
      "struck the claim notification of workspace ws-2, not the claim notification of workspace ws-1 (trace line 7): the run shifted before the point",
    );
  });
});

describe("flags", () => {
  test("--max-runs is a positive whole number", () => {
    expect(parseMaxRuns("8")).toBe(8);
    for (const bad of ["0", "-1", "2.5", "x", ""])
      expect(() => parseMaxRuns(bad)).toThrow(/--max-runs: expected/);
  });
  test("--perturb-faults names kinds that can perturb", () => {
    expect(parsePerturbFaults("replica-crash")).toEqual(["replica-crash"]);
    expect(() => parsePerturbFaults("replica-crash,clock-skew")).toThrow(
      "--perturb-faults: expected fault kinds among lock-connection-lost, replica-crash, stale-snapshot, notifications-dropped, notifications-delayed, tick-missed, got clock-skew",
    );
  });
});
