// Whole runs: replicas sharing the lock, pools converging, claims hitting, missing and drifting,
// determinism of the trace.
import { describe, expect, test } from "vitest";
import { MINUTE, SECOND } from "../../src/clock/types.ts";
import { NotificationTemplateId } from "../../src/db/constants.ts";
import type { Scenario } from "../../src/scenario/scenario.ts";
import { at, lastSample, lines, prebuildCreations, run, useWorldDatabase } from "./harness.ts";
import { devTemplate, preset, START, scenario } from "./scenarioFixture.ts";

useWorldDatabase();

const BUILD = 2 * MINUTE;
const AGENT = 20 * SECOND;

function threeReplicas(claimAt: number, overrides: Partial<Scenario> = {}): Scenario {
  return scenario(
    {
      replicas: [0, 1, 2].map((i) => ({ name: `replica-${i}`, clockSkew: 0 })),
      templates: [devTemplate(preset("small", 3))],
      workload: {
        claims: [
          {
            preset: { template: "dev", preset: "small" },
            arrivals: { kind: "at", times: [{ atOffset: claimAt, at: START + claimAt }] },
          },
        ],
      },
      ...overrides,
    },
    40 * MINUTE,
  );
}

describe("three replicas, no faults", () => {
  test("exactly one replica reconciles per interval; the pool converges; a claimed prebuild is replaced within one interval plus a build", async () => {
    const r = await run(threeReplicas(20 * MINUTE));
    expect(r.failures).toEqual([]);

    const byTick = new Map<number, { replica: string; acquired: boolean }[]>();
    for (const l of lines(r, "reconcile.cycle.end")) {
      const tick = Math.floor((at(l) - START) / MINUTE);
      byTick.set(tick, [...(byTick.get(tick) ?? []), { replica: l.actor, acquired: l.lockAcquired }]);
    }
    // Ticks at 1..39 minutes; the one at 40 minutes falls after the end.
    expect(byTick.size).toBe(39);
    for (const [tick, cycles] of byTick) {
      expect(cycles.map((c) => c.replica).sort(), `tick ${tick}`).toEqual([
        "replica-0",
        "replica-1",
        "replica-2",
      ]);
      expect(cycles.filter((c) => c.acquired).length, `tick ${tick}`).toBe(1);
    }

    const end = lastSample(r, "dev/v1/small");
    expect([end.desired, end.running, end.eligible]).toEqual([3, 3, 3]);

    const [claim] = lines(r, "claim.result");
    expect(claim?.hit).toBe(true);
    const claimedAt = at(claim!);
    const presetId = r.catalog.preset("dev", "v1", "small").id;
    const replacement = prebuildCreations(r, presetId).find((l) => at(l) > claimedAt);
    expect(replacement).toBeDefined();
    const completed = lines(r, "job.complete").find((l) => l.job === replacement!.job);
    expect(completed?.status).toBe("succeeded");
    // One interval until the next cycle sees the smaller pool, one build, and a few round trips.
    expect(at(completed!) - claimedAt).toBeLessThanOrEqual(MINUTE + BUILD + SECOND);
    expect(prebuildCreations(r, presetId)).toHaveLength(4);
  });
});

describe("claims", () => {
  test("a hit waits only for the claimed workspace's agent; a miss waits for a whole build", async () => {
    const r = await run(
      scenario(
        {
          templates: [devTemplate(preset("small", 1))],
          workload: {
            claims: [
              {
                preset: { template: "dev", preset: "small" },
                arrivals: {
                  kind: "at",
                  times: [30 * SECOND, 10 * MINUTE].map((o) => ({ atOffset: o, at: START + o })),
                },
              },
            ],
          },
        },
        20 * MINUTE,
      ),
    );
    expect(r.failures).toEqual([]);
    const [miss, hit] = r.claims;
    expect(miss?.hit).toBe(false);
    expect(miss?.waitMs).toBeGreaterThanOrEqual(BUILD + AGENT);
    expect(miss?.waitMs).toBeLessThan(BUILD + AGENT + SECOND);
    expect(hit?.hit).toBe(true);
    expect(hit?.waitMs).toBeGreaterThanOrEqual(AGENT);
    expect(hit?.waitMs).toBeLessThan(AGENT + SECOND);
    expect(lines(r, "claim.ready").map((l) => [l.user, l.hit, l.waitMs])).toEqual(
      r.claims.map((c) => [c.user, c.hit, c.waitMs]),
    );
    const purposes = lines(r, "build.create")
      .filter((l) => l.initiator !== "prebuilds")
      .map((l) => l.purpose);
    expect(purposes).toEqual(["regular", "claim"]);
  });

  test("a claim build that replaces resources takes a full build and reaches trackResourceReplacement on a live replica", async () => {
    const r = await run(
      scenario(
        {
          templates: [devTemplate(preset("small", 1, { drift: { replaceOnClaim: 1 } }))],
          workload: {
            claims: [
              {
                preset: { template: "dev", preset: "small" },
                arrivals: { kind: "at", times: [{ atOffset: 10 * MINUTE, at: START + 10 * MINUTE }] },
              },
            ],
          },
        },
        20 * MINUTE,
      ),
    );
    expect(r.failures).toEqual([]);
    const [claim] = r.claims;
    expect(claim?.hit).toBe(true);
    expect(claim?.waitMs).toBeGreaterThanOrEqual(BUILD + AGENT);
    const notes = lines(r, "notification");
    expect(notes.map((n) => [n.template, n.user, n.workspace])).toEqual([
      [NotificationTemplateId.WorkspaceResourceReplaced, r.catalog.templateAdmin.id, claim?.workspace],
    ]);
    const messages = await r.store.getNotificationMessages();
    expect(messages).toHaveLength(1);
  });
});

describe("determinism", () => {
  const busy = scenario(
    {
      replicas: [0, 1].map((i) => ({ name: `replica-${i}`, clockSkew: 0 })),
      database: { latency: { median: 2, p90: 10 } },
      provisioners: {
        daemons: 2,
        prebuildDaemons: 0,
        pollInterval: SECOND,
        buildTime: { median: 2 * MINUTE, p90: 4 * MINUTE },
        deleteTime: { fixed: 30 * SECOND },
        agentReadyAfter: { uniform: [10 * SECOND, 30 * SECOND] },
        failureRate: 0.2,
      },
      templates: [devTemplate(preset("small", 2))],
      workload: {
        claims: [
          {
            preset: { template: "dev", preset: "small" },
            arrivals: { kind: "poisson", perHour: 20, diurnal: null },
          },
        ],
      },
    },
    30 * MINUTE,
  );

  test("the same scenario and seed give the same trace hash; another seed another", async () => {
    const a = await run(busy, 11);
    const b = await run(busy, 11);
    const c = await run(busy, 12);
    expect(a.failures).toEqual([]);
    expect(b.trace.hash()).toBe(a.trace.hash());
    expect(b.trace.text()).toBe(a.trace.text());
    expect(c.trace.hash()).not.toBe(a.trace.hash());
  });

  test("how often the sampler samples does not change the history (it is an observer task)", async () => {
    const every = [7 * SECOND, 50 * SECOND, MINUTE, 3 * MINUTE];
    const runs = [];
    // Claims every five minutes and an operator pausing and resuming land on instants where the
    // sampler also wakes: as an ordinary task it would join those picks and change them.
    const onTheGrid: Scenario = {
      ...busy,
      workload: {
        claims: [
          ...busy.workload.claims,
          { preset: { template: "dev", preset: "small" }, arrivals: { kind: "every", every: 5 * MINUTE } },
        ],
      },
      events: [
        { kind: "pause", paused: true, atOffset: 10 * MINUTE, at: START + 10 * MINUTE },
        { kind: "pause", paused: false, atOffset: 14 * MINUTE, at: START + 14 * MINUTE },
      ],
    };
    for (const sampleEvery of every) runs.push(await run({ ...onTheGrid, sampleEvery }, 11));
    const [first, ...rest] = runs;
    for (const r of rest) expect(r.trace.text()).toBe(first?.trace.text());
    expect(runs.map((r) => r.timeseries.queue.length)).toEqual([258, 37, 31, 11]);
  });
});

describe("sampling", () => {
  test("after the first sample, taken once the world is seeded, samples fall on the start plus whole sample intervals", async () => {
    const r = await run(
      scenario({ templates: [devTemplate(preset("small", 1))], sampleEvery: 90 * SECOND }, 10 * MINUTE),
    );
    const times = r.timeseries.queue.map((s) => s.t - START);
    // Seeding the database takes simulated latency, so the first sample is just after the start.
    expect(times[0]).toBeGreaterThan(0);
    expect(times[0]).toBeLessThan(SECOND);
    // Those on the grid include the end of a 9-minute window (a convergeWithin of PT9M): 540 s.
    expect(times.slice(1)).toEqual([1, 2, 3, 4, 5, 6].map((k) => k * 90 * SECOND));
    for (const series of r.timeseries.presets) expect(series.samples.map((s) => s.t - START)).toEqual(times);
  });
});
