// What a sweep keeps of one run: the capacity-planning numbers, read from the run's trace, time
// series and summary — never from the reconciler's own view. Computed in the worker that ran the
// seed, so only these few numbers travel back, not the trace.
//
// - claims and hits of the focus preset (all claims without one), also per local hour of the
//   focus time zone, bucketed at the instant each claim got its answer;
// - claim waits (request to ready workspace), p50 and p95 of the run;
// - idle prebuild-hours: running prebuilds not yet claimed, integrated over the sampled series
//   (a sample's count holds until the next sample; the resolution is `sampleEvery`), also split by
//   local hour, with how much of each local hour the run covered;
// - prebuild builds started per hour, the churn the pool costs the provisioners;
// - the provisioner busy fraction and the mean queue wait of jobs people started.

import { percentile } from "../check/statistics.ts";
import { HOUR, MINUTE } from "../clock/types.ts";
import { wallClockAt } from "../prebuilds/timeZone.ts";
import type { RunFiles } from "../run/runDirectory.ts";
import { traceLines } from "../trace/compare.ts";
import { instantOf, isKind, PREBUILDS_INITIATOR, parseTraceLine } from "../trace/lines.ts";
import { claimKey, splitPresetKey } from "../trace/presetKey.ts";
import type { PresetSample } from "../trace/timeseries.ts";
import type { SweepFocus } from "./plan.ts";

export const HOURS_PER_DAY = 24;

export interface RunMeasures {
  seed: number;
  /** every invariant held (allowed ones excepted) */
  ok: boolean;
  /** names of the invariants broken, each once */
  broken: string[];
  simulatedHours: number;
  wallSeconds: number;
  claims: number;
  hits: number;
  /** per local hour 0–23 of the focus time zone */
  claimsByHour: number[];
  hitsByHour: number[];
  /** null when no claim's workspace became ready */
  waitP50Seconds: number | null;
  waitP95Seconds: number | null;
  idlePrebuildHours: number;
  /** idle prebuild-hours that fell in each local hour 0–23 */
  idleByHour: number[];
  /** hours of simulated time that fell in each local hour 0–23 (2 for a two-day run) */
  coveredByHour: number[];
  prebuildBuildsPerHour: number;
  busyFraction: number;
  /** null when no person's job was picked up */
  humanQueueWaitSeconds: number | null;
}

// Only these kinds matter here; a cheap text test skips parsing every other line.
const WANTED = /"kind":"(claim\.result|claim\.ready|build\.create|job\.acquire|reconcile\.preset)"/;

/** Step integral of a sampled count from each sample to the next, the last until `end`, in hours. */
export function countHours(
  samples: readonly PresetSample[],
  end: number,
  count: (s: PresetSample) => number,
): number {
  let total = 0;
  samples.forEach((s, i) => {
    const until = Math.min(end, samples[i + 1]?.t ?? end);
    if (until > s.t) total += count(s) * (until - s.t);
  });
  return total / HOUR;
}

// Every zone's offset is a multiple of a quarter hour, so a piece that does not cross a quarter
// hour lies in one local hour.
const QUARTER_HOUR = 15 * MINUTE;

/** Adds `weight` × the hours of [from, to) to `into`, each piece at its local hour in `timezone`. */
export function spreadOverLocalHours(
  from: number,
  to: number,
  weight: number,
  timezone: string,
  into: number[],
): void {
  let t = from;
  while (t < to) {
    const next = Math.min(to, (Math.floor(t / QUARTER_HOUR) + 1) * QUARTER_HOUR);
    const hour = wallClockAt(t, timezone).hour;
    into[hour] = (into[hour] ?? 0) + (weight * (next - t)) / HOUR;
    t = next;
  }
}

export function measureRun(files: RunFiles, focus: SweepFocus): RunMeasures {
  const { summary, timeseries } = files;
  const start = Date.parse(summary.start);
  const end = Date.parse(summary.end);
  const focusClaim = focus.preset === null ? null : claimKey(focus.preset.template, focus.preset.preset);
  const inFocus = (key: string): boolean => {
    if (focus.preset === null) return true;
    const { template, version, preset } = splitPresetKey(key);
    const ref = focus.preset;
    return (
      template === ref.template &&
      preset === ref.preset &&
      (ref.version === undefined || version === ref.version)
    );
  };

  const focusPresetIds = new Set<string>();
  const humanJobs = new Set<string>();
  const focusWorkspaces = new Set<string>();
  const claimsByHour = new Array<number>(HOURS_PER_DAY).fill(0);
  const hitsByHour = new Array<number>(HOURS_PER_DAY).fill(0);
  const waitsMs: number[] = [];
  const humanWaitsMs: number[] = [];
  let claims = 0;
  let hits = 0;
  let prebuildBuilds = 0;
  traceLines(files.traceText).forEach((text, i) => {
    if (!WANTED.test(text)) return;
    const line = parseTraceLine(text, i + 1, "sweep: trace");
    if (isKind(line, "reconcile.preset")) {
      if (inFocus(line.preset)) focusPresetIds.add(line.presetId);
    } else if (isKind(line, "claim.result")) {
      if (focusClaim !== null && line.preset !== focusClaim) return;
      const hour = wallClockAt(instantOf(line), focus.timezone).hour;
      claims++;
      claimsByHour[hour] = (claimsByHour[hour] ?? 0) + 1;
      if (line.hit === true) {
        hits++;
        hitsByHour[hour] = (hitsByHour[hour] ?? 0) + 1;
      }
      if (typeof line.workspace === "string" && line.workspace !== "") focusWorkspaces.add(line.workspace);
    } else if (isKind(line, "claim.ready")) {
      if (focusWorkspaces.has(line.workspace)) waitsMs.push(line.waitMs);
    } else if (isKind(line, "build.create")) {
      if (line.initiator !== PREBUILDS_INITIATOR) humanJobs.add(line.job);
      // A reconciler's create names its preset after the cycle's reconcile.preset line did.
      else if (
        line.transition === "start" &&
        (focus.preset === null || (line.preset !== null && focusPresetIds.has(line.preset)))
      )
        prebuildBuilds++;
    } else if (isKind(line, "job.acquire")) {
      if (humanJobs.has(line.job)) humanWaitsMs.push(line.queuedMs);
    }
  });

  const simulatedHours = (end - start) / HOUR;
  const focusSeries = timeseries.presets.filter((p) => inFocus(p.key));
  const idlePrebuildHours = focusSeries.reduce(
    (sum, p) => sum + countHours(p.samples, end, (s) => s.running),
    0,
  );
  const idleByHour = new Array<number>(HOURS_PER_DAY).fill(0);
  for (const p of focusSeries) {
    p.samples.forEach((s, i) => {
      const until = Math.min(end, p.samples[i + 1]?.t ?? end);
      if (s.running > 0) spreadOverLocalHours(s.t, until, s.running, focus.timezone, idleByHour);
    });
  }
  const coveredByHour = new Array<number>(HOURS_PER_DAY).fill(0);
  spreadOverLocalHours(start, end, 1, focus.timezone, coveredByHour);
  return {
    seed: summary.seed,
    ok: summary.ok,
    broken: [...new Set(summary.violations.map((v) => v.invariant))].sort(),
    simulatedHours,
    wallSeconds: summary.wallSeconds,
    claims,
    hits,
    claimsByHour,
    hitsByHour,
    waitP50Seconds: waitsMs.length === 0 ? null : percentile(waitsMs, 0.5) / 1000,
    waitP95Seconds: waitsMs.length === 0 ? null : percentile(waitsMs, 0.95) / 1000,
    idlePrebuildHours,
    idleByHour,
    coveredByHour,
    prebuildBuildsPerHour: simulatedHours > 0 ? prebuildBuilds / simulatedHours : 0,
    busyFraction: summary.provisioner.busyFraction,
    humanQueueWaitSeconds:
      humanWaitsMs.length === 0 ? null : humanWaitsMs.reduce((s, w) => s + w, 0) / humanWaitsMs.length / 1000,
  };
}
