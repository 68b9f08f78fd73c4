// TEST FIXTURE — not product data. Writes a run directory (summary.json, trace.jsonl,
// timeseries.json, scenario.yaml) as the simulator will, from a small minute-by-minute toy model
// of a deployment, so the report can be checked before the real engine exists. The story has
// everything the report must show: two templates, a version promoted so the old one drains, a
// provisioner outage, a preset that fails until it backs off and hits the hard limit, three
// replicas contending for the lock and one losing its lock connection mid-cycle while another
// takes over, claims that hit and miss, a violation and an allowed break.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import type { PresetSummary, RunSummary, Violation } from "../../src/check/summary.ts";
import { MINUTE, SECOND } from "../../src/clock/types.ts";
import { poissonArrivals, Rng } from "../../src/kernel/rng.ts";
import type { PresetSample, QueueSample, TimeSeries } from "../../src/trace/timeseries.ts";
import { Trace, type TraceRecord } from "../../src/trace/trace.ts";

export interface SyntheticRunOptions {
  /** the main template's name (a hostile one tests escaping) */
  template?: string;
  seed?: number;
  /** virtual length of the run; the story's events all happen in the first three hours */
  minutes?: number;
}

export interface SyntheticRun {
  dir: string;
  summary: RunSummary;
  /** `template/version/preset` of every preset, in the summary's order */
  presetKeys: string[];
  template: string;
}

const START = Date.UTC(2026, 2, 2, 6, 0, 0);
const DAEMONS = 3;
const HARD_LIMIT = 3;
const BACKOFF_INTERVAL = MINUTE;
const OUTAGE = { from: 40, to: 55 };
const PROMOTE_AT = 60;
const LOST_LOCK_AT = 90;
const SET_DESIRED_AT = 120;
const PAUSE = { from: 140, to: 150 };
const REPLICAS = ["replica-0", "replica-1", "replica-2"];

interface PresetDef {
  key: string;
  template: string;
  version: string;
  preset: string;
  id: string;
  desired: number;
  failing: boolean;
}

type WsState = "starting" | "running" | "ready" | "deleting" | "failed" | "claimed" | "deleted";

interface Workspace {
  id: string;
  preset: PresetDef;
  state: WsState;
  readyAt: number;
  build: number;
}

interface Job {
  id: string;
  kind: "prebuild" | "human";
  workspace: Workspace | null;
  transition: "start" | "delete";
  minutes: number;
  queuedAt: number;
  claim?: { user: string; requestedAt: number };
}

interface Pending {
  t: number;
  order: number;
  record: TraceRecord;
  tag?: string;
}

export async function writeSyntheticRun(
  dir: string,
  options: SyntheticRunOptions = {},
): Promise<SyntheticRun> {
  const seed = options.seed ?? 7;
  const tpl = options.template ?? "dev";
  const MINUTES = Math.max(180, options.minutes ?? 180);
  const END = START + MINUTES * MINUTE;
  const rng = new Rng(seed);
  const ids = rng.stream("ids");
  const timing = rng.stream("timing");

  const presets: PresetDef[] = [
    { template: tpl, version: "v1", preset: "small", desired: 3, failing: false },
    { template: tpl, version: "v2", preset: "small", desired: 3, failing: false },
    { template: tpl, version: "v2", preset: "large", desired: 1, failing: false },
    { template: "ml", version: "v1", preset: "gpu", desired: 2, failing: true },
  ].map((p) => ({ ...p, key: `${p.template}/${p.version}/${p.preset}`, id: ids.uuid() }));
  const activeVersion = new Map([
    [tpl, "v1"],
    ["ml", "v1"],
  ]);
  const isActive = (p: PresetDef) => activeVersion.get(p.template) === p.version;

  const events: Pending[] = [];
  const emit = (t: number, record: TraceRecord, tag?: string) => {
    const e: Pending = { t, order: events.length, record };
    if (tag !== undefined) e.tag = tag;
    events.push(e);
  };

  const workspaces: Workspace[] = [];
  const queue: Job[] = [];
  const running: Job[] = [];
  const failures = new Map<string, number[]>();
  const hardLimited = new Set<string>();
  const counters = new Map(
    presets.map((p) => [p.key, { created: 0, failed: 0, claimed: 0, hits: 0, total: 0 }]),
  );
  const samples = new Map<string, PresetSample[]>(presets.map((p) => [p.key, []]));
  const queueSamples: QueueSample[] = [];
  const waits: number[] = [];
  let cycles = 0;
  let lockAcquired = 0;
  let lockSkipped = 0;
  let jobsTotal = 0;
  let maxQueue = 0;
  let busyMinutes = 0;
  const cycleSeconds: number[] = [];
  let userCount = 0;

  const enqueue = (
    t: number,
    actor: string,
    job: Omit<Job, "id" | "queuedAt">,
    initiator: string,
    purpose: string,
  ) => {
    const j: Job = { ...job, id: ids.uuid(), queuedAt: t };
    queue.push(j);
    jobsTotal++;
    if (j.workspace !== null) {
      j.workspace.build++;
      emit(t, {
        actor,
        kind: "build.create",
        workspace: j.workspace.id,
        build: ids.uuid(),
        buildNumber: j.workspace.build,
        transition: j.transition,
        initiator,
        preset: j.workspace.preset.key,
        version: j.workspace.preset.version,
        job: j.id,
        purpose,
        orphan: false,
      });
    }
    return j;
  };

  const desiredOf = (p: PresetDef, m: number) => {
    if (!isActive(p)) return 0;
    if (p.key === `${tpl}/v2/small` && m >= SET_DESIRED_AT) return 4;
    return p.desired;
  };
  const count = (p: PresetDef, ...states: WsState[]) =>
    workspaces.filter((w) => w.preset === p && states.includes(w.state)).length;
  const jobsFor = (p: PresetDef, transition: "start" | "delete") =>
    [...queue, ...running].filter(
      (j) => j.workspace?.preset === p && j.transition === transition && j.kind === "prebuild",
    ).length;

  // One reconciliation of every preset, by the replica holding the lock.
  const reconcile = (t: number, replica: string, m: number) => {
    for (const p of presets) {
      const desired = desiredOf(p, m);
      const run = count(p, "running", "ready");
      const eligible = count(p, "ready");
      const starting = jobsFor(p, "start");
      const deleting = jobsFor(p, "delete");
      const state = { desired, running: run, eligible, starting, deleting };
      const recent = (failures.get(p.key) ?? []).filter((f) => f > t - 60 * MINUTE);
      const actions: Array<{ type: string; create?: number; deleteIds?: string[]; backoffUntil?: string }> =
        [];
      const last = recent[recent.length - 1];
      if (last !== undefined && t <= last + recent.length * BACKOFF_INTERVAL) {
        const until = last + recent.length * BACKOFF_INTERVAL;
        actions.push({ type: "backoff", backoffUntil: new Date(until).toISOString() });
        emit(t, {
          actor: replica,
          kind: "log",
          level: "warn",
          msg: "preset is in backoff, skipping its reconciliation",
          fields: { preset: p.key },
        });
      } else if (!isActive(p)) {
        const ids = workspaces.filter(
          (w) => w.preset === p && (w.state === "running" || w.state === "ready"),
        );
        if (ids.length > 0) {
          actions.push({ type: "delete", deleteIds: ids.map((w) => w.id) });
          for (const w of ids) {
            w.state = "deleting";
            enqueue(
              t,
              replica,
              { kind: "prebuild", workspace: w, transition: "delete", minutes: 1 },
              "prebuilds",
              "prebuild",
            );
          }
        }
      } else {
        if (!hardLimited.has(p.key) && (failures.get(p.key) ?? []).length >= HARD_LIMIT && p.failing) {
          hardLimited.add(p.key);
          emit(t, {
            actor: replica,
            kind: "preset.status",
            preset: p.key,
            presetId: p.id,
            status: "hard_limited",
          });
          emit(t, {
            actor: replica,
            kind: "log",
            level: "error",
            msg: "preset reached the failure hard limit",
            fields: { preset: p.key },
          });
        }
        const create = hardLimited.has(p.key) ? 0 : Math.max(0, desired - run - starting);
        if (run > desired) {
          const extra = workspaces
            .filter((w) => w.preset === p && (w.state === "running" || w.state === "ready"))
            .slice(0, run - desired);
          actions.push({ type: "delete", deleteIds: extra.map((w) => w.id) });
          for (const w of extra) {
            w.state = "deleting";
            enqueue(
              t,
              replica,
              { kind: "prebuild", workspace: w, transition: "delete", minutes: 1 },
              "prebuilds",
              "prebuild",
            );
          }
        }
        if (create > 0) {
          actions.push({ type: "create", create });
          for (let i = 0; i < create; i++) {
            const w: Workspace = { id: ids.uuid(), preset: p, state: "starting", readyAt: 0, build: 0 };
            workspaces.push(w);
            counters.get(p.key)!.created++;
            emit(t, {
              actor: replica,
              kind: "workspace.create",
              workspace: w.id,
              owner: "prebuilds",
              template: p.template,
              name: `prebuild-${w.id.slice(0, 8)}`,
            });
            enqueue(
              t,
              replica,
              { kind: "prebuild", workspace: w, transition: "start", minutes: p.failing ? 1 : 2 },
              "prebuilds",
              "prebuild",
            );
          }
        }
      }
      emit(
        t,
        { actor: replica, kind: "reconcile.preset", preset: p.key, presetId: p.id, state, actions },
        `reconcile-${m}-${p.key}`,
      );
    }
  };

  const claimTimes = poissonArrivals(rng.stream("claims"), 24, START, END);
  let nextClaim = 0;

  for (let m = 0; m <= MINUTES; m++) {
    const T = START + m * MINUTE;
    // Sample first: what the sampler reads at the top of the minute.
    for (const p of presets) {
      samples.get(p.key)!.push({
        t: T,
        desired: desiredOf(p, m),
        running: count(p, "running", "ready"),
        eligible: count(p, "ready"),
        starting: jobsFor(p, "start"),
        stopping: 0,
        deleting: jobsFor(p, "delete"),
        failed: count(p, "failed"),
      });
    }
    const pendingPrebuild = queue.filter((j) => j.kind === "prebuild").length;
    const pendingHuman = queue.length - pendingPrebuild;
    queueSamples.push({ t: T, prebuild: pendingPrebuild, human: pendingHuman, running: running.length });
    maxQueue = Math.max(maxQueue, queue.length);
    if (m === MINUTES) break;

    // Operator timeline and faults.
    if (m === OUTAGE.from)
      emit(T, {
        actor: "fault",
        kind: "fault.start",
        fault: "provisioner-outage",
        until: new Date(START + OUTAGE.to * MINUTE).toISOString(),
      });
    if (m === OUTAGE.to) emit(T, { actor: "fault", kind: "fault.end", fault: "provisioner-outage" });
    if (m === PROMOTE_AT) {
      activeVersion.set(tpl, "v2");
      emit(T, { actor: "operator", kind: "operator.promote", template: tpl, version: "v2" });
    }
    if (m === SET_DESIRED_AT)
      emit(T, { actor: "operator", kind: "operator.setDesired", preset: `${tpl}/v2/small`, instances: 4 });
    if (m === PAUSE.from) emit(T, { actor: "operator", kind: "operator.pause", paused: true });
    if (m === PAUSE.to) emit(T, { actor: "operator", kind: "operator.pause", paused: false });
    const paused = m >= PAUSE.from && m < PAUSE.to;

    // Reconcile cycles: every replica ticks at the top of the minute; the first to ask gets the lock.
    const order =
      m === LOST_LOCK_AT ? ["replica-1", "replica-2", "replica-0"] : rng.stream("replicas").shuffle(REPLICAS);
    let heldUntil = 0;
    let holder = "";
    order.forEach((replica, i) => {
      // In the lost-lock minute replica-2 asks just after replica-1's connection dropped, replica-0 while replica-2 holds it.
      const tick = T + (m === LOST_LOCK_AT ? [0, 1000, 1020][i]! : 3 * i + 1);
      const connection = `${replica}/conn-${m}`;
      cycles++;
      emit(tick, { actor: replica, kind: "reconcile.cycle.start" });
      if (tick < heldUntil) {
        lockSkipped++;
        emit(
          tick + 1,
          { actor: replica, kind: "lock.refused", lock: 1, connection, holder },
          `refused-${m}-${replica}`,
        );
        const elapsed = 2 + timing.int(3);
        cycleSeconds.push(elapsed / 1000);
        emit(tick + elapsed, {
          actor: replica,
          kind: "reconcile.cycle.end",
          elapsedMs: elapsed,
          lockAcquired: false,
          paused,
          presetsTotal: presets.length,
          presetsReconciled: 0,
        });
        return;
      }
      lockAcquired++;
      const elapsed = m === LOST_LOCK_AT && i === 0 ? 2600 : 40 + timing.int(200) + Math.floor(m / 3);
      cycleSeconds.push(elapsed / 1000);
      holder = replica;
      emit(
        tick + 1,
        { actor: replica, kind: "lock.acquire", lock: 1, connection },
        `acquire-${m}-${replica}`,
      );
      if (!paused) reconcile(tick + Math.floor(elapsed / 2), replica, m);
      if (m === LOST_LOCK_AT && i === 0) {
        // The lock connection drops 800 ms into a long cycle; the cycle runs on without the lock.
        emit(tick + 800, { actor: "fault", kind: "fault.start", fault: "lock-connection-lost", replica: 1 });
        emit(tick + 800, { actor: replica, kind: "lock.lost", lock: 1, connection }, "lost");
        emit(tick + 800, {
          actor: replica,
          kind: "log",
          level: "error",
          msg: "lost the reconciliation lock connection mid-cycle",
        });
        heldUntil = tick + 800;
      } else {
        emit(tick + elapsed, { actor: replica, kind: "lock.release", lock: 1, connection });
        heldUntil = tick + elapsed;
      }
      emit(
        tick + elapsed,
        {
          actor: replica,
          kind: "reconcile.cycle.end",
          elapsedMs: elapsed,
          lockAcquired: true,
          paused,
          presetsTotal: presets.length,
          presetsReconciled: paused ? 0 : presets.length,
        },
        `end-${m}-${replica}`,
      );
    });

    // Provisioners work at the half minute, unless they are down.
    const P = T + 30 * SECOND;
    if (m < OUTAGE.from || m >= OUTAGE.to) {
      for (const j of [...running]) {
        j.minutes--;
        if (j.minutes > 0) continue;
        running.splice(running.indexOf(j), 1);
        const w = j.workspace;
        const fails = w !== null && j.transition === "start" && w.preset.failing;
        emit(P, {
          actor: "provisioner-0",
          kind: "job.complete",
          job: j.id,
          status: fails ? "failed" : "succeeded",
          ...(fails ? { error: "terraform apply: quota exceeded for gpu instances" } : {}),
        });
        if (j.claim !== undefined) {
          waits.push(P - j.claim.requestedAt);
          emit(P, {
            actor: j.claim.user,
            kind: "claim.ready",
            user: j.claim.user,
            workspace: ids.uuid(),
            hit: false,
            waitMs: P - j.claim.requestedAt,
          });
          continue;
        }
        if (w === null) continue;
        if (fails) {
          w.state = "failed";
          counters.get(w.preset.key)!.failed++;
          failures.set(w.preset.key, [...(failures.get(w.preset.key) ?? []), P]);
          emit(P, {
            actor: "provisioner-0",
            kind: "log",
            level: "warn",
            msg: "prebuild build failed",
            fields: { preset: w.preset.key },
          });
        } else if (j.transition === "start") {
          w.state = "running";
          w.readyAt = P + 20 * SECOND;
        } else {
          w.state = "deleted";
          emit(P, { actor: "provisioner-0", kind: "workspace.delete", workspace: w.id });
        }
      }
      while (running.length < DAEMONS && queue.length > 0) {
        const j = queue.shift()!;
        running.push(j);
        emit(P, {
          actor: `provisioner-${running.length - 1}`,
          kind: "job.acquire",
          job: j.id,
          daemon: `daemon-${running.length - 1}`,
          queuedMs: P - j.queuedAt,
        });
      }
      if (running.length > 0) busyMinutes += running.length / DAEMONS;
    }
    for (const w of workspaces) {
      if (w.state === "running" && w.readyAt <= T + MINUTE - 1) {
        w.state = "ready";
        emit(w.readyAt, {
          actor: "provisioner-0",
          kind: "agent.lifecycle",
          workspace: w.id,
          agent: ids.uuid(),
          state: "ready",
        });
      }
    }

    // People claim during the minute.
    while (nextClaim < claimTimes.length && (claimTimes[nextClaim] as number) < T + MINUTE) {
      const t = claimTimes[nextClaim++] as number;
      const user = `user-${(userCount++ % 40) + 1}`;
      const p = presets.find((x) => x.template === tpl && x.preset === "small" && isActive(x))!;
      emit(t, { actor: user, kind: "claim.request", user, preset: `${tpl}/small` });
      const c = counters.get(p.key)!;
      c.total++;
      const ready = workspaces.find((w) => w.preset === p && w.state === "ready");
      if (ready !== undefined) {
        ready.state = "claimed";
        c.hits++;
        c.claimed++;
        const wait = 4 * SECOND + timing.int(16 * SECOND);
        waits.push(wait);
        emit(t, {
          actor: user,
          kind: "claim.result",
          user,
          preset: `${tpl}/small`,
          hit: true,
          workspace: ready.id,
        });
        emit(t + wait, {
          actor: user,
          kind: "claim.ready",
          user,
          workspace: ready.id,
          hit: true,
          waitMs: wait,
        });
      } else {
        emit(t, {
          actor: user,
          kind: "claim.result",
          user,
          preset: `${tpl}/small`,
          hit: false,
          workspace: ids.uuid(),
        });
        enqueue(
          t,
          user,
          {
            kind: "human",
            workspace: null,
            transition: "start",
            minutes: 2,
            claim: { user, requestedAt: t },
          },
          user,
          "regular",
        );
      }
    }
  }

  // Write the trace in time order through the real trace writer.
  events.sort((a, b) => a.t - b.t || a.order - b.order);
  let now = START;
  const trace = new Trace(() => now);
  const tagged = new Map<string, number>();
  trace.emit({
    actor: "world",
    kind: "run.start",
    scenario: "synthetic-report-fixture",
    seed,
    start: new Date(START).toISOString(),
    end: new Date(END).toISOString(),
  });
  for (const e of events) {
    now = e.t;
    const line = trace.emit(e.record);
    if (e.tag !== undefined) tagged.set(e.tag, line);
  }
  now = END;
  trace.emit({ actor: "world", kind: "run.end", tasksFailed: 0 });
  const traceText = trace.text();

  const line = (tag: string) => {
    const n = tagged.get(tag);
    if (n === undefined) throw new Error(`fixture: no trace line tagged ${tag}`);
    return n;
  };
  const violations: Violation[] = [
    {
      invariant: "single-lock-holder",
      at: new Date(START + LOST_LOCK_AT * MINUTE + 1001).toISOString(),
      subject: "replica-1",
      message:
        "replica-1 kept reconciling after its lock connection dropped, while replica-2 acquired the lock",
      traceLines: [
        line("lost"),
        line(`acquire-${LOST_LOCK_AT}-replica-2`),
        line(`end-${LOST_LOCK_AT}-replica-1`),
      ],
    },
  ];
  const drained = workspaces.find(
    (w) => w.preset.version === "v1" && w.preset.template === tpl && w.state === "deleted",
  );
  const allowed: Violation[] =
    drained === undefined
      ? []
      : [
          {
            invariant: "inactive-drained",
            at: new Date(START + (PROMOTE_AT + 3) * MINUTE).toISOString(),
            subject: drained.id,
            message: "a prebuild of the inactive version was still deleting 3 minutes after the promotion",
            traceLines: [line(`reconcile-${PROMOTE_AT}-${tpl}/v1/small`)],
          },
        ];

  const lastSample = (key: string) => samples.get(key)!.at(-1)!;
  const lastChange = START + PAUSE.to * MINUTE;
  const presetSummaries: PresetSummary[] = presets.map((p) => {
    const s = lastSample(p.key);
    const c = counters.get(p.key)!;
    const converged = samples
      .get(p.key)!
      .find((x) => x.t >= lastChange && x.running === x.desired && x.eligible === x.desired);
    return {
      template: p.template,
      version: p.version,
      preset: p.preset,
      active: isActive(p),
      desired: s.desired,
      running: s.running,
      eligible: s.eligible,
      starting: s.starting,
      failedWorkspaces: s.failed,
      created: c.created,
      failed: c.failed,
      claimed: c.claimed,
      convergedAt:
        isActive(p) && !hardLimited.has(p.key) && converged !== undefined
          ? new Date(converged.t).toISOString()
          : null,
      status: hardLimited.has(p.key) ? "hard_limited" : "healthy",
      claims: { total: c.total, hits: c.hits, misses: c.total - c.hits },
    };
  });
  const sortedWaits = [...waits].sort((a, b) => a - b);
  const q = (f: number) =>
    (sortedWaits[Math.min(sortedWaits.length - 1, Math.floor(f * sortedWaits.length))] ?? 0) / 1000;
  const sortedCycles = [...cycleSeconds].sort((a, b) => a - b);
  const claimTotal = presetSummaries.reduce((n, p) => n + p.claims.total, 0);
  const claimHits = presetSummaries.reduce((n, p) => n + p.claims.hits, 0);
  const summary: RunSummary = {
    scenario: "synthetic-report-fixture",
    seed,
    version: "prebuildsim 0.1.0",
    traceHash: trace.hash(),
    events: trace.length,
    start: new Date(START).toISOString(),
    end: new Date(END).toISOString(),
    simulatedSeconds: (END - START) / 1000,
    wallSeconds: 4.2,
    ok: violations.length === 0,
    violations,
    allowed,
    warnings: [],
    presets: presetSummaries,
    claims: {
      total: claimTotal,
      hits: claimHits,
      misses: claimTotal - claimHits,
      hitRate: claimTotal === 0 ? 0 : claimHits / claimTotal,
      waitSeconds: { p50: q(0.5), p95: q(0.95), max: q(1) },
    },
    reconciler: {
      cycles,
      lockAcquired,
      lockSkipped,
      durationSeconds: {
        p50: sortedCycles[Math.floor(sortedCycles.length / 2)] ?? 0,
        max: sortedCycles.at(-1) ?? 0,
      },
    },
    provisioner: { jobs: jobsTotal, maxQueueDepth: maxQueue, busyFraction: busyMinutes / MINUTES },
    probes: {
      "backoff-engaged": (failures.get("ml/v1/gpu") ?? []).length,
      "lock-contended": lockSkipped,
      "claim-raced-delete": 0,
    },
    faults: [],
  };

  const series: TimeSeries = {
    sampleEvery: MINUTE,
    presets: presets.map((p) => ({
      key: p.key,
      template: p.template,
      version: p.version,
      preset: p.preset,
      samples: samples.get(p.key)!,
    })),
    queue: queueSamples,
    lock: queueSamples.map((s) => ({ t: s.t, holder: null })),
  };

  const scenario = {
    name: "synthetic-report-fixture",
    description: `Test fixture: ${tpl} is promoted from v1 to v2 at 07:00 while ml/gpu keeps failing; a provisioner outage, a pause and a lost lock connection.`,
    seed,
    start: new Date(START).toISOString(),
    duration: `PT${MINUTES}M`,
    sampleEvery: "PT1M",
    settings: {
      reconciliationInterval: "PT1M",
      reconciliationBackoffInterval: "PT1M",
      failureHardLimit: HARD_LIMIT,
    },
    replicas: { count: REPLICAS.length },
    provisioners: { daemons: DAEMONS, buildTime: { fixed: "PT2M" } },
    organizations: ["default", "research"],
    templates: [
      {
        name: tpl,
        versions: [
          { name: "v1", presets: [{ name: "small", desiredInstances: 3 }] },
          {
            name: "v2",
            active: false,
            presets: [
              { name: "small", desiredInstances: 3 },
              { name: "large", desiredInstances: 1 },
            ],
          },
        ],
      },
      {
        name: "ml",
        organization: "research",
        versions: [{ name: "v1", presets: [{ name: "gpu", desiredInstances: 2, failureRate: 1 }] }],
      },
    ],
    workload: { claims: [{ preset: `${tpl}/small`, rate: "24/h" }] },
    events: [
      { at: "PT1H", promote: { template: tpl, version: "v2" } },
      { at: "PT2H", setDesired: { template: tpl, version: "v2", preset: "small", instances: 4 } },
      { at: "PT2H20M", pause: true },
      { at: "PT2H30M", pause: false },
    ],
    faults: [
      { at: "PT40M", kind: "provisioner-outage", duration: "PT15M" },
      { at: "PT90M", kind: "lock-connection-lost", replica: 1 },
    ],
    expect: { convergeWithin: "PT20M", allow: ["inactive-drained"] },
  };

  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(join(dir, "trace.jsonl"), traceText);
  await writeFile(join(dir, "timeseries.json"), `${JSON.stringify(series)}\n`);
  await writeFile(join(dir, "scenario.yaml"), stringify(scenario));
  return { dir, summary, presetKeys: presets.map((p) => p.key), template: tpl };
}
