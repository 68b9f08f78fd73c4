// Hand-written traces for the invariant tests: a scenario parsed from a plain object, and a builder
// that stamps lines the way `Trace` does (seq from 1, ISO instants) so the checks see exactly what
// a run would give them.
import type { EndPrebuild, EndPreset, EndState } from "../../src/check/endState.ts";
import { RunChecker } from "../../src/check/runChecker.ts";
import { parseScenarioObject } from "../../src/scenario/load.ts";
import type { Scenario } from "../../src/scenario/scenario.ts";
import type { TraceKind, TraceKinds } from "../../src/trace/events.ts";
import type { PresetSample, TimeSeries } from "../../src/trace/timeseries.ts";
import type { TraceLine } from "../../src/trace/trace.ts";

export const START = Date.parse("2026-03-02T06:00:00Z");
export const MIN = 60_000;

/** A scenario with template `dev` (v1 active, v2 pushed), preset `small` desired 3 on both. */
export function scenario(extra: Record<string, unknown> = {}): Scenario {
  const result = parseScenarioObject(
    {
      name: "check-fixture",
      start: "2026-03-02T06:00:00Z",
      duration: "PT2H",
      replicas: { count: 2 },
      templates: [
        {
          name: "dev",
          versions: [
            { name: "v1", presets: [{ name: "small", desiredInstances: 3 }] },
            { name: "v2", active: false, presets: [{ name: "small", desiredInstances: 3 }] },
          ],
        },
      ],
      expect: { convergeWithin: "PT10M" },
      ...extra,
    },
    "check-fixture",
  );
  if (!result.ok) throw new Error(result.problems.map(String).join("\n"));
  return result.scenario;
}

export class Lines {
  readonly lines: TraceLine[] = [];

  /** Appends a line at `minutes` after START; returns its line number. */
  at<K extends TraceKind>(minutes: number, actor: string, kind: K, fields: TraceKinds[K]): number {
    const seq = this.lines.length + 1;
    this.lines.push({
      seq,
      t: new Date(START + minutes * MIN).toISOString(),
      actor,
      kind,
      ...fields,
    } as TraceLine);
    return seq;
  }

  /** A cycle of `actor` that holds the lock from `minutes` on; `body` adds its lines. */
  cycle(minutes: number, actor: string, body: () => void = () => {}, opts: { paused?: boolean } = {}): void {
    this.at(minutes, actor, "reconcile.cycle.start", {});
    this.at(minutes, actor, "lock.acquire", { lock: 7, connection: actor });
    body();
    this.at(minutes, actor, "lock.release", { lock: 7, connection: actor });
    this.cycleEnd(minutes, actor, opts);
  }

  /** The end of `actor`'s cycle, which held the lock. */
  cycleEnd(minutes: number, actor: string, opts: { paused?: boolean } = {}): number {
    return this.at(minutes, actor, "reconcile.cycle.end", {
      elapsedMs: 10,
      lockAcquired: true,
      paused: opts.paused ?? false,
      presetsTotal: 2,
      presetsReconciled: 1,
    });
  }

  /** The cycle's `reconcile.preset` line for `preset`: the desired count it acted on and its actions. */
  evaluate(
    minutes: number,
    actor: string,
    desired: number,
    actions: { type: string; create?: number; deleteIds?: string[]; backoffUntil?: string }[] = [],
    preset = "dev/v1/small",
  ): number {
    return this.at(minutes, actor, "reconcile.preset", {
      preset,
      presetId: preset,
      state: { desired },
      actions,
    });
  }

  /** The reconciler's creation build of a new prebuilt workspace `ws`. */
  create(minutes: number, actor: string, ws: string, preset = "dev/v1/small"): number {
    this.at(minutes, actor, "workspace.create", {
      workspace: ws,
      owner: "prebuilds",
      template: "dev",
      name: ws,
    });
    return this.build(minutes, actor, ws, 1, "start", "prebuilds", preset);
  }

  build(
    minutes: number,
    actor: string,
    ws: string,
    buildNumber: number,
    transition: "start" | "stop" | "delete",
    initiator: string,
    preset: string | null = "dev/v1/small",
  ): number {
    return this.at(minutes, actor, "build.create", {
      workspace: ws,
      build: `${ws}-b${buildNumber}`,
      buildNumber,
      transition,
      initiator,
      preset,
      version: "v1",
      job: `${ws}-j${buildNumber}`,
      purpose: initiator === "prebuilds" ? "prebuild" : "claim",
      orphan: false,
    });
  }

  /** The agent of `ws`'s latest build reports `state` (default: ready). */
  agent(minutes: number, ws: string, state = "ready"): number {
    return this.at(minutes, "world", "agent.lifecycle", { workspace: ws, agent: `${ws}-agent`, state });
  }

  /** A person's claim that got prebuilt workspace `ws` (its claim build, then the result). */
  claim(minutes: number, user: string, ws: string, buildNumber = 2, preset = "dev/small"): number {
    this.build(minutes, user, ws, buildNumber, "start", user);
    return this.at(minutes, user, "claim.result", { user, preset, hit: true, workspace: ws });
  }

  complete(minutes: number, ws: string, buildNumber: number, status: "succeeded" | "failed"): number {
    return this.at(minutes, "provisioner-0", "job.complete", { job: `${ws}-j${buildNumber}`, status });
  }
}

export function sample(t: number, counts: Partial<PresetSample>): PresetSample {
  return {
    t: START + t * MIN,
    desired: 3,
    running: 0,
    eligible: 0,
    starting: 0,
    stopping: 0,
    deleting: 0,
    failed: 0,
    ...counts,
  };
}

export function endPreset(key: string, opts: Partial<EndPreset> = {}): EndPreset {
  const [template = "", version = "", preset = ""] = key.split("/");
  return { key, template, version, preset, presetId: `${key}-id`, active: true, status: "healthy", ...opts };
}

export function endState(opts: {
  presets?: EndPreset[];
  prebuilds?: EndPrebuild[];
  series?: Record<string, PresetSample[]>;
  endMinutes?: number;
}): EndState {
  const timeseries: TimeSeries = {
    sampleEvery: MIN,
    presets: Object.entries(opts.series ?? {}).map(([key, samples]) => {
      const [template = "", version = "", preset = ""] = key.split("/");
      return { key, template, version, preset, samples };
    }),
    queue: [],
    lock: [],
  };
  return {
    end: START + (opts.endMinutes ?? 120) * MIN,
    presets: opts.presets ?? [],
    prebuilds: opts.prebuilds ?? [],
    timeseries,
  };
}

/** Runs every check over `lines` and the end state. */
export function check(s: Scenario, lines: Lines, end: EndState = endState({})) {
  const checker = new RunChecker(s);
  for (const line of lines.lines) checker.observe(line);
  return checker.finish(end);
}

/**
 * `check`, keeping only the violations of one invariant: for the tests of an invariant whose
 * hand-written histories leave out what other oracles need (leases, agents, decisions).
 */
export function checkOf(invariant: string): typeof check {
  return (s, lines, end) => {
    const outcome = check(s, lines, end);
    return {
      ...outcome,
      violations: outcome.violations.filter((v) => v.invariant === invariant),
      allowed: outcome.allowed.filter((v) => v.invariant === invariant),
    };
  };
}

export function namesOf(violations: readonly { invariant: string }[]): string[] {
  return violations.map((v) => v.invariant);
}
