// Every fault kind of SCENARIOS.md `faults` changes the world as described.
import { describe, expect, test } from "vitest";
import { type Duration, MINUTE, SECOND } from "../../src/clock/types.ts";
import type { Fault, ReplicaRef, Scenario } from "../../src/scenario/scenario.ts";
import { at, lastSample, lines, prebuildCreations, run, samples, useWorldDatabase } from "./harness.ts";
import { devTemplate, fastProvisioners, preset, START, scenario } from "./scenarioFixture.ts";

useWorldDatabase();

function window(offset: Duration, duration: Duration) {
  return { atOffset: offset, at: START + offset, duration, until: START + offset + duration };
}

function moment(offset: Duration) {
  return { atOffset: offset, at: START + offset };
}

const replica0: ReplicaRef = { index: 0, name: "replica-0" };

function claimsAt(...offsets: Duration[]): Scenario["workload"] {
  return {
    claims: [
      { preset: { template: "dev", preset: "small" }, arrivals: { kind: "at", times: offsets.map(moment) } },
    ],
  };
}

function faultLines(r: Awaited<ReturnType<typeof run>>) {
  return [...lines(r, "fault.start"), ...lines(r, "fault.end")]
    .sort((a, b) => a.seq - b.seq)
    .map((l) => [l.kind, l.fault, (at(l) - START) / SECOND]);
}

/** Slow round trips make a cycle with many creations outlast the reconciliation interval. */
const slowDatabase = { latency: { fixed: 3 * SECOND } };

describe("faults", () => {
  test("provisioner-outage: no job is acquired inside the window, running jobs finish, the queue drains after", async () => {
    const faults: Fault[] = [{ kind: "provisioner-outage", ...window(3 * MINUTE, 12 * MINUTE) }];
    const r = await run(
      scenario(
        {
          provisioners: { ...fastProvisioners, buildTime: { fixed: 4 * MINUTE } },
          faults,
          workload: claimsAt(8 * MINUTE),
        },
        25 * MINUTE,
      ),
    );
    expect(faultLines(r)).toEqual([
      ["fault.start", "provisioner-outage", 180],
      ["fault.end", "provisioner-outage", 900],
    ]);
    const inside = (t: number) => t >= START + 3 * MINUTE && t < START + 15 * MINUTE;
    expect(lines(r, "job.acquire").filter((l) => inside(at(l)))).toEqual([]);
    // The two first prebuilds were acquired at 1 min and finish at 5 min, inside the outage.
    expect(lines(r, "job.complete").filter((l) => inside(at(l)))).toHaveLength(2);
    const after = lines(r, "job.acquire").filter((l) => at(l) >= START + 15 * MINUTE);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...after.map((l) => l.queuedMs))).toBeGreaterThanOrEqual(5 * MINUTE);
    const [claim] = r.claims;
    expect(claim?.hit).toBe(true);
    expect(claim?.waitMs).toBeGreaterThanOrEqual(7 * MINUTE);
  });

  test("build-failures: start builds of the preset fail inside the window; the pool recovers after it", async () => {
    const faults: Fault[] = [
      {
        kind: "build-failures",
        rate: 1,
        preset: { template: "dev", preset: "small" },
        transition: "start",
        ...window(0, 10 * MINUTE),
      },
    ];
    const base = scenario({ faults }, 30 * MINUTE);
    const r = await run({ ...base, settings: { ...base.settings, failureHardLimit: 0 } });
    const inside = lines(r, "job.complete").filter((l) => at(l) < START + 10 * MINUTE);
    expect(inside.length).toBeGreaterThanOrEqual(2);
    expect(inside.every((l) => l.status === "failed")).toBe(true);
    const failedSamples = samples(r, "dev/v1/small").map((s) => s.failed);
    expect(Math.max(...failedSamples)).toBe(inside.length);
    const end = lastSample(r, "dev/v1/small");
    expect([end.running, end.eligible, end.failed]).toEqual([2, 2, inside.length]);
  });

  test("lock-connection-lost: another replica takes the lock while the first one's preset tasks still run, over-provisions, and the pool converges back", async () => {
    const r = await run(
      scenario(
        {
          replicas: [0, 1].map((i) => ({ name: `replica-${i}`, clockSkew: 0 })),
          database: slowDatabase,
          templates: [devTemplate(preset("small", 20))],
          faults: [
            {
              kind: "lock-connection-lost",
              replica: replica0,
              afterStatements: null,
              ...moment(90 * SECOND),
            },
          ],
        },
        30 * MINUTE,
      ),
      1,
      // FIFO: replica-0, started first, is the one holding the lock when the fault strikes.
      "fifo",
    );
    expect(r.failures).toEqual([]);
    const lost = lines(r, "lock.lost");
    expect(lost.map((l) => [l.connection, at(l) - START])).toEqual([["replica-0", 90 * SECOND]]);
    const firstCycleEnd = lines(r, "reconcile.cycle.end").find(
      (l) => l.actor === "replica-0" && l.lockAcquired,
    );
    const takeover = lines(r, "lock.acquire").find((l) => l.connection === "replica-1");
    expect(takeover).toBeDefined();
    expect(at(takeover!)).toBeGreaterThan(START + 90 * SECOND);
    expect(at(takeover!)).toBeLessThan(at(firstCycleEnd!));
    const creations = prebuildCreations(r, r.catalog.preset("dev", "v1", "small").id);
    expect(creations.length).toBeGreaterThan(20);
    expect(new Set(creations.map((l) => l.actor))).toEqual(new Set(["replica-0", "replica-1"]));
    const running = samples(r, "dev/v1/small").map((s) => s.running);
    expect(Math.max(...running)).toBeGreaterThan(20);
    const end = lastSample(r, "dev/v1/small");
    expect([end.desired, end.running, end.eligible]).toEqual([20, 20, 20]);
  });

  test("replica-crash: the lease ends at once, the dead replica writes nothing more, and it reconciles again after its restart", async () => {
    const r = await run(
      scenario(
        {
          database: slowDatabase,
          templates: [devTemplate(preset("small", 10))],
          faults: [
            {
              kind: "replica-crash",
              replica: replica0,
              restartAfter: 5 * MINUTE,
              during: null,
              afterStatements: null,
              ...moment(90 * SECOND),
            },
          ],
        },
        20 * MINUTE,
      ),
    );
    expect(r.failures).toEqual([]);
    expect(faultLines(r)).toEqual([
      ["fault.start", "replica-crash", 90],
      ["fault.end", "replica-crash", 390],
    ]);
    expect(lines(r, "lock.lost").map((l) => [l.connection, at(l) - START])).toEqual([
      ["replica-0", 90 * SECOND],
    ]);
    // A statement already sent (parked in its round trip) may land; nothing after it.
    const down = (t: number) => t > START + 90 * SECOND + 3 * SECOND && t < START + 390 * SECOND;
    const byReplica = r.trace
      .lines()
      .map((text) => JSON.parse(text) as { actor: string; kind: string; t: string })
      .filter((l) => l.actor === "replica-0" && l.kind !== "log" && l.kind !== "reconcile.cycle.end");
    expect(byReplica.filter((l) => down(Date.parse(l.t)))).toEqual([]);
    expect(r.replicas[0]).toMatchObject({ crashes: 1, restarts: 1 });
    const restarted = lines(r, "reconcile.cycle.start").filter((l) => at(l) >= START + 390 * SECOND);
    expect(at(restarted[0]!) - START).toBe(450 * SECOND);
    const end = lastSample(r, "dev/v1/small");
    expect([end.desired, end.running]).toEqual([10, 10]);
  });

  test("db-errors: cycles fail while the named query fails, and succeed again after the window", async () => {
    const r = await run(
      scenario(
        {
          faults: [
            {
              kind: "db-errors",
              rate: 1,
              query: "GetRunningPrebuiltWorkspaces",
              during: null,
              ...window(5 * MINUTE, 5 * MINUTE),
            },
          ],
          workload: claimsAt(6 * MINUTE),
        },
        20 * MINUTE,
      ),
    );
    const cycles = lines(r, "reconcile.cycle.end");
    const inside = cycles.filter((l) => at(l) >= START + 5 * MINUTE && at(l) < START + 10 * MINUTE);
    expect(inside).toHaveLength(5);
    for (const c of inside) expect(c.error).toContain("GetRunningPrebuiltWorkspaces");
    expect(cycles.filter((l) => !inside.includes(l)).every((l) => l.error === undefined)).toBe(true);
    const presetId = r.catalog.preset("dev", "v1", "small").id;
    const replacement = prebuildCreations(r, presetId).find((l) => at(l) > START + 6 * MINUTE);
    expect(at(replacement!)).toBeGreaterThanOrEqual(START + 10 * MINUTE);
    expect(r.failures).toEqual([]);
  });

  test("db-errors on every query: daemons, agents and the operator retry, nothing crashes, the pool still converges", async () => {
    const r = await run(
      scenario(
        {
          faults: [{ kind: "db-errors", rate: 0.05, query: null, during: null, ...window(0, 15 * MINUTE) }],
          events: [
            {
              ...moment(5 * MINUTE),
              kind: "setDesired",
              template: "dev",
              version: "v1",
              preset: "small",
              instances: 3,
            },
          ],
          workload: claimsAt(8 * MINUTE, 9 * MINUTE),
        },
        30 * MINUTE,
      ),
    );
    expect(r.failures).toEqual([]);
    const retried = lines(r, "log").filter((l) => l.msg.endsWith("failed; retrying"));
    expect(retried.length).toBeGreaterThanOrEqual(1);
    expect(
      lines(r, "reconcile.cycle.end").filter((l) => l.error !== undefined).length,
    ).toBeGreaterThanOrEqual(1);
    expect(lines(r, "operator.setDesired")).toHaveLength(1);
    const end = lastSample(r, "dev/v1/small");
    expect([end.desired, end.running, end.eligible]).toEqual([3, 3, 3]);
  });

  test("notification-queue-full: job notifications are dropped inside the window and daemons find the jobs by polling", async () => {
    const r = await run(
      scenario(
        {
          faults: [{ kind: "notification-queue-full", ...window(0, 10 * MINUTE) }],
          workload: claimsAt(15 * MINUTE),
        },
        20 * MINUTE,
      ),
    );
    const drops = lines(r, "notify.drop");
    const firstJobs = prebuildCreations(r, r.catalog.preset("dev", "v1", "small").id).filter(
      (l) => at(l) < START + 10 * MINUTE,
    );
    expect(drops.map((d) => d.job).sort()).toEqual(firstJobs.map((l) => l.job).sort());
    const acquired = lines(r, "job.acquire").filter((l) => drops.some((d) => d.job === l.job));
    expect(acquired).toHaveLength(2);
    for (const a of acquired) {
      expect(a.queuedMs).toBeGreaterThan(10);
      expect(a.queuedMs).toBeLessThanOrEqual(SECOND + 10);
    }
    // The replacement after the claim at 15 minutes is notified again: a daemon takes it at once.
    const later = prebuildCreations(r, r.catalog.preset("dev", "v1", "small").id).filter(
      (l) => at(l) > START + 10 * MINUTE,
    );
    expect(later).toHaveLength(1);
    const laterAcquire = lines(r, "job.acquire").find((l) => l.job === later[0]?.job);
    expect(laterAcquire?.queuedMs).toBeLessThanOrEqual(10);
  });

  test("clock-skew: the replica reads time ahead from the fault on, while its timers keep the shared pace", async () => {
    const r = await run(
      scenario(
        {
          faults: [{ kind: "clock-skew", replica: replica0, offset: 30 * SECOND, ...moment(5 * MINUTE) }],
          workload: claimsAt(6 * MINUTE),
        },
        15 * MINUTE,
      ),
    );
    const creates = lines(r, "workspace.create").filter((l) => l.actor === "replica-0");
    const before = creates.filter((l) => at(l) < START + 5 * MINUTE);
    const after = creates.filter((l) => at(l) > START + 5 * MINUTE);
    expect(before).toHaveLength(2);
    expect(after).toHaveLength(1);
    for (const l of before) expect((await r.store.getWorkspaceById(l.workspace)).createdAt).toBe(at(l));
    for (const l of after)
      expect((await r.store.getWorkspaceById(l.workspace)).createdAt).toBe(at(l) + 30 * SECOND);
    const cycleStarts = lines(r, "reconcile.cycle.start").map((l) => at(l) - START);
    expect(cycleStarts.every((t, i) => i === 0 || t - (cycleStarts[i - 1] ?? 0) === MINUTE)).toBe(true);
  });
});
