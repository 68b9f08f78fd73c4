// The stale-state and unobserved-state perturbations (issue #13 part 3): each changes the history
// the way its fault kind claims, and reports `fault.noop` when nothing was there to perturb.
import { describe, expect, test } from "vitest";
import { type Duration, MINUTE, SECOND } from "../../src/clock/types.ts";
import type { Fault, ReplicaRef, Scenario } from "../../src/scenario/scenario.ts";
import type { TraceLine } from "../../src/trace/trace.ts";
import { simulate } from "../../src/world/simulate.ts";
import { at, driverOf, lines, prebuildCreations, run, useWorldDatabase } from "./harness.ts";
import { devTemplate, fastProvisioners, preset, START, scenario } from "./scenarioFixture.ts";

useWorldDatabase();

const replica0: ReplicaRef = { index: 0, name: "replica-0" };

/** The selection part of a normalised perturbation: `count` occurrences from `offset` on, after `after`. */
function from(offset: Duration, count = 1, after = 0) {
  return { atOffset: offset, at: START + offset, after, count, duration: null, until: null };
}

function within(offset: Duration, duration: Duration) {
  return {
    atOffset: offset,
    at: START + offset,
    after: 0,
    count: null,
    duration,
    until: START + offset + duration,
  };
}

function claimsAt(...offsets: Duration[]): Scenario["workload"] {
  return {
    claims: [
      {
        preset: { template: "dev", preset: "small" },
        arrivals: { kind: "at", times: offsets.map((o) => ({ atOffset: o, at: START + o })) },
      },
    ],
  };
}

/** Upstream's backup poll: a lost or late job notification shows in the queue time. */
const slowPolling = { ...fastProvisioners, pollInterval: 30 * SECOND };

type Result = Awaited<ReturnType<typeof run>>;

function outcome(r: Result, index = 0) {
  return [...lines(r, "fault.effect"), ...lines(r, "fault.noop")].filter((l) => l.index === index);
}

/** Seconds from the start. */
const sec = (t: number) => (t - START) / SECOND;

/** Queue time of each prebuild creation's job, in creation order. */
function queuedOfCreations(r: Result): number[] {
  const creations = prebuildCreations(r, r.catalog.preset("dev", "v1", "small").id);
  const acquires = lines(r, "job.acquire");
  return creations.map((c) => acquires.find((a) => a.job === c.job)?.queuedMs ?? -1);
}

describe("notifications-dropped", () => {
  test("jobs: a lone job whose notification was dropped waits for its daemons' backup poll", async () => {
    const base = scenario(
      { provisioners: slowPolling, templates: [devTemplate(preset("small", 1))] },
      10 * MINUTE,
    );
    const plain = await run(base);
    const r = await run({
      ...base,
      faults: [{ kind: "notifications-dropped", channel: "jobs", ...from(0) }],
    });
    expect(queuedOfCreations(plain)).toHaveLength(1);
    expect(queuedOfCreations(plain)[0]).toBeLessThan(SECOND);
    // The daemons' domain was made when they first asked, at the start: it polls every 30 s from then.
    const [created] = prebuildCreations(r, r.catalog.preset("dev", "v1", "small").id);
    const acquired = lines(r, "job.acquire").find((a) => a.job === created?.job);
    expect(acquired).toBeDefined();
    const poll = Math.ceil((at(created as TraceLine) - START) / (30 * SECOND)) * 30 * SECOND;
    // Taken at that poll, a database round trip or two later (2 ms each here).
    expect(at(acquired as TraceLine) - START - poll).toBeGreaterThanOrEqual(0);
    expect(at(acquired as TraceLine) - START - poll).toBeLessThan(20);
    expect(acquired?.queuedMs).toBeGreaterThan(SECOND);
    expect(outcome(r)).toMatchObject([
      { kind: "fault.effect", effect: { jobNotificationsDropped: 1 }, subjects: [created?.job] },
    ]);
  });

  test("jobs: a dropped notification costs nothing when the job before it was posted: taking it lets the next daemon ask", async () => {
    const base = scenario({ provisioners: slowPolling }, 10 * MINUTE);
    const faults: Fault[] = [{ kind: "notifications-dropped", channel: "jobs", ...from(0, 1, 1) }];
    const r = await run({ ...base, faults });
    const [first, second] = queuedOfCreations(r);
    expect(first).toBeLessThan(SECOND);
    expect(second).toBeLessThan(SECOND);
    // The effect names the job whose notification it took: the second creation's (explore --perturb's landing reads it).
    const secondJob = prebuildCreations(r, r.catalog.preset("dev", "v1", "small").id)[1]?.job;
    expect(secondJob).toBeDefined();
    expect(outcome(r)).toMatchObject([
      { kind: "fault.effect", effect: { jobNotificationsDropped: 1 }, subjects: [secondJob] },
    ]);
  });

  test("claims: a dropped claim notification means the claimed workspace's agent never reinitialises", async () => {
    const base = scenario({ workload: claimsAt(5 * MINUTE) }, 10 * MINUTE);
    const plain = await run(base);
    const r = await run({
      ...base,
      faults: [{ kind: "notifications-dropped", channel: "claims", ...from(0) }],
    });
    const [claimed] = lines(r, "claim.result").filter((l) => l.hit);
    expect(claimed).toBeDefined();
    expect(lines(plain, "agent.reinit").map((l) => l.workspace)).toContain(claimed?.workspace);
    // The daemon published (it cannot tell), the agent heard nothing.
    expect(lines(r, "agent.reinit.publish").map((l) => l.workspace)).toContain(claimed?.workspace);
    expect(lines(r, "agent.reinit").filter((l) => l.workspace === claimed?.workspace)).toEqual([]);
    expect(outcome(r)).toMatchObject([
      { kind: "fault.effect", effect: { claimNotificationsDropped: 1 }, subjects: [claimed?.workspace] },
    ]);
  });

  test("noop: no claim notification was published", async () => {
    const r = await run(
      scenario(
        { faults: [{ kind: "notifications-dropped", channel: "claims", ...from(MINUTE) }] },
        5 * MINUTE,
      ),
    );
    expect(outcome(r)).toMatchObject([
      { kind: "fault.noop", reason: "no claim notification was published from at on" },
    ]);
  });
});

describe("notifications-delayed", () => {
  test("jobs: a delayed job notification wakes the daemons `delay` later", async () => {
    const r = await run(
      scenario(
        {
          provisioners: slowPolling,
          faults: [
            { kind: "notifications-delayed", channel: "jobs", delay: 10 * SECOND, ...within(0, 2 * MINUTE) },
          ],
        },
        10 * MINUTE,
      ),
    );
    const [first, second] = queuedOfCreations(r);
    for (const q of [first, second]) {
      expect(q).toBeGreaterThanOrEqual(10 * SECOND);
      expect(q).toBeLessThan(11 * SECOND);
    }
    const [effect] = outcome(r);
    const jobs = prebuildCreations(r, r.catalog.preset("dev", "v1", "small").id).map((c) => c.job);
    expect(effect).toMatchObject({
      kind: "fault.effect",
      effect: { jobNotificationsDelayed: 2 },
      subjects: jobs.slice(0, 2),
    });
  });

  test("claims: the agent reinitialises `delay` after the claim was published", async () => {
    const REINIT = fastProvisioners.agentReadyAfter;
    const r = await run(
      scenario(
        {
          workload: claimsAt(5 * MINUTE),
          faults: [{ kind: "notifications-delayed", channel: "claims", delay: MINUTE, ...from(0) }],
        },
        10 * MINUTE,
      ),
    );
    const [published] = lines(r, "agent.reinit.publish");
    const [reinit] = lines(r, "agent.reinit").filter((l) => l.workspace === published?.workspace);
    expect(published).toBeDefined();
    expect(reinit).toBeDefined();
    // The agent heard of the claim a minute after it was published, then took its reinit time.
    const heard = at(reinit!) - reinit!.durationMs - at(published!);
    expect(heard).toBeGreaterThanOrEqual(MINUTE);
    expect(heard).toBeLessThan(MINUTE + SECOND);
    expect(REINIT).toEqual({ fixed: 20 * SECOND });
    const [effect] = outcome(r);
    expect(effect).toMatchObject({ kind: "fault.effect", effect: { claimNotificationsDelayed: 1 } });
    expect(Date.parse((effect as { until: string }).until)).toBe(at(published!) + MINUTE);
  });

  test("noop: no job notification inside the window", async () => {
    const r = await run(
      scenario(
        {
          faults: [
            { kind: "notifications-delayed", channel: "jobs", delay: SECOND, ...within(5 * MINUTE, MINUTE) },
          ],
        },
        10 * MINUTE,
      ),
    );
    expect(outcome(r)).toMatchObject([
      { kind: "fault.noop", reason: "no job notification was published inside the window" },
    ]);
  });
});

describe("tick-missed", () => {
  test("a missed tick doubles the gap between two cycles of that replica", async () => {
    const r = await run(
      scenario(
        { faults: [{ kind: "tick-missed", replica: replica0, ...from(2 * MINUTE + 30 * SECOND) }] },
        6 * MINUTE,
      ),
    );
    const starts = lines(r, "reconcile.cycle.start").map((l) => Math.round(sec(at(l))));
    expect(starts).toEqual([60, 120, 240, 300]);
    const [effect] = outcome(r);
    expect(effect).toMatchObject({ kind: "fault.effect", effect: { ticksMissed: 1 } });
    expect(Math.round(sec(Date.parse((effect as { until: string }).until)))).toBe(180);
  });

  test("noop: no tick of the replica inside the window", async () => {
    const r = await run(
      scenario(
        {
          faults: [
            { kind: "tick-missed", replica: replica0, ...within(2 * MINUTE + 10 * SECOND, 40 * SECOND) },
          ],
        },
        5 * MINUTE,
      ),
    );
    expect(lines(r, "reconcile.cycle.start")).toHaveLength(4);
    expect(outcome(r)).toMatchObject([{ kind: "fault.noop" }]);
    expect((outcome(r)[0] as { reason: string }).reason).toMatch(
      /^no reconciliation tick of replica-0 came inside the window/,
    );
  });
});

describe("metrics-refresh-missed", () => {
  test("the replica's metrics keep the age of the last refresh it made", async () => {
    const s = scenario(
      {
        faults: [
          {
            kind: "metrics-refresh-missed",
            replica: replica0,
            ...within(2 * MINUTE + 30 * SECOND, 3 * MINUTE),
          },
        ],
      },
      8 * MINUTE,
    );
    const plain = await simulate({ ...s, faults: [] }, { seed: 1, database: driverOf(), metrics: true });
    const r = await simulate(s, { seed: 1, database: driverOf(), metrics: true });
    const lastUpdated = (x: typeof r) =>
      x.metrics?.families
        .find((f) => f.name === "coderd_prebuilt_workspaces_metrics_last_updated")
        ?.series[0]?.points.map((p) => [sec(p.t), sec(p.value * 1000)]);
    // Refreshes at start and every minute after; a sample at a minute sees the previous minute's.
    expect(lastUpdated(plain)?.filter(([t]) => t === 360)).toEqual([[360, 300]]);
    // The fault misses the refreshes at 3, 4 and 5 minutes: the metrics stay 2-minute-old data until 6.
    expect(lastUpdated(r)?.filter(([t]) => t! >= 120 && t! <= 420)).toEqual([
      [120, 60],
      [180, 120],
      [240, 120],
      [300, 120],
      [360, 120],
      [420, 360],
    ]);
    expect(outcome(r)).toMatchObject([{ kind: "fault.effect", effect: { refreshesMissed: 3 } }]);
  });

  test("noop: the named replica is down for the whole window", async () => {
    const r = await run(
      scenario(
        {
          faults: [
            {
              kind: "replica-crash",
              replica: replica0,
              restartAfter: null,
              during: null,
              afterStatements: null,
              atOffset: 30 * SECOND,
              at: START + 30 * SECOND,
            },
            { kind: "metrics-refresh-missed", replica: replica0, ...within(2 * MINUTE, 2 * MINUTE) },
          ],
        },
        5 * MINUTE,
      ),
    );
    expect(outcome(r, 1)).toMatchObject([{ kind: "fault.noop" }]);
  });
});

describe("stale-snapshot", () => {
  test("the cycle acts on a snapshot that a claim made while it waited has already changed", async () => {
    const base = scenario(
      { workload: claimsAt(4 * MINUTE + 30 * SECOND, 5 * MINUTE + 10 * SECOND) },
      8 * MINUTE,
    );
    const plain = await run(base);
    const r = await run({
      ...base,
      faults: [
        {
          kind: "stale-snapshot",
          replica: replica0,
          staleBy: 30 * SECOND,
          ...from(4 * MINUTE + 50 * SECOND),
        },
      ],
    });
    const evaluated = (x: Result) =>
      lines(x, "reconcile.preset").map((l) => [
        Math.round(sec(at(l))),
        l.state.actual,
        l.actions[0]?.create ?? 0,
      ]);
    // Without the fault the 5-minute cycle acts at once on what it read: one prebuild running, one to create.
    expect(evaluated(plain).filter(([t]) => t! >= 300 && t! < 360)).toEqual([[300, 1, 1]]);
    // With it, the cycle acts 30 s later on the same count, though the claim at 5:10 left none running.
    const stale = evaluated(r).filter(([t]) => t! >= 300 && t! < 360);
    expect(stale).toEqual([[330, 1, 1]]);
    const claims = lines(r, "claim.result")
      .filter((l) => l.hit)
      .map((l) => sec(at(l)));
    expect(claims.some((t) => t > 300 && t < 330)).toBe(true);
    const [effect] = outcome(r);
    expect(effect).toMatchObject({ kind: "fault.effect", effect: { staleSnapshots: 1 } });
    expect(Math.round(sec(Date.parse((effect as { until: string }).until)))).toBe(330);
  });

  test("noop: no replica took a snapshot between `at` and the end of the run", async () => {
    const r = await run(
      scenario(
        {
          faults: [
            {
              kind: "stale-snapshot",
              replica: null,
              staleBy: 30 * SECOND,
              ...from(4 * MINUTE + 10 * SECOND),
            },
          ],
        },
        4 * MINUTE + 50 * SECOND,
      ),
    );
    expect(outcome(r)).toMatchObject([
      { kind: "fault.noop", reason: "no replica took a reconciliation snapshot from at on" },
    ]);
  });
});
