// Hand-made run files for the sweep's measurement tests: a summary with the fields the sweep reads,
// trace lines stamped as `Trace` writes them (canonical JSON, one a line), and preset series.
import type { RunSummary } from "../../src/check/summary.ts";
import type { RunFiles } from "../../src/run/runDirectory.ts";
import type { TraceKind, TraceKinds } from "../../src/trace/events.ts";
import type { PresetSample, PresetSeries } from "../../src/trace/timeseries.ts";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export function summary(start: number, end: number, more: Partial<RunSummary> = {}): RunSummary {
  return {
    scenario: "sweep-measure",
    seed: 3,
    version: "prebuildsim 0.1.0",
    traceHash: "sha256:0",
    events: 0,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    simulatedSeconds: (end - start) / 1000,
    wallSeconds: 1.5,
    ok: true,
    violations: [],
    allowed: [],
    warnings: [],
    presets: [],
    claims: { total: 0, hits: 0, misses: 0, hitRate: 0, waitSeconds: { p50: 0, p95: 0, max: 0 } },
    reconciler: { cycles: 0, lockAcquired: 0, lockSkipped: 0, durationSeconds: { p50: 0, max: 0 } },
    provisioner: { jobs: 0, maxQueueDepth: 0, busyFraction: 0.25 },
    probes: {},
    faults: [],
    ...more,
  };
}

export class TraceText {
  readonly #lines: string[] = [];

  add<K extends TraceKind>(t: number, actor: string, kind: K, fields: TraceKinds[K]): this {
    const seq = this.#lines.length + 1;
    this.#lines.push(JSON.stringify({ seq, t: new Date(t).toISOString(), actor, kind, ...fields }));
    return this;
  }

  text(): string {
    return this.#lines.map((l) => `${l}\n`).join("");
  }
}

export function series(key: string, points: readonly [number, number][]): PresetSeries {
  const [template, version, preset] = key.split("/") as [string, string, string];
  const samples: PresetSample[] = points.map(([t, running]) => ({
    t,
    desired: 0,
    running,
    eligible: running,
    starting: 0,
    stopping: 0,
    deleting: 0,
    failed: 0,
  }));
  return { key, template, version, preset, samples };
}

export function runFiles(s: RunSummary, trace: TraceText, presets: PresetSeries[]): RunFiles {
  return {
    summary: s,
    traceText: trace.text(),
    timeseries: { sampleEvery: MINUTE, presets, queue: [], lock: [] },
    scenarioText: "",
  };
}
