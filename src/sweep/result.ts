// A finished sweep (`sweep.json`): the grid, every run's measures, every point's statistics, the
// recommendation, the schedule advice, and how fast it ran. Everything except `throughput` is a
// function of the scenario, the options and the code: the same sweep writes the same numbers.
import { formatPresetRef } from "../scenario/presetRef.ts";
import { formatPath } from "../scenario/problem.ts";
import { MIN_SEEDS_FOR_INTERVAL } from "./confidence.ts";
import type { RunMeasures } from "./measure.ts";
import type { SweepPlan } from "./plan.ts";
import { type PointStats, pointStats } from "./pointStats.ts";
import { type Recommendation, recommend } from "./recommend.ts";
import { adviseSchedule, type ScheduleAdvice } from "./scheduleAdvice.ts";

export interface SweepDimensionRecord {
  name: string;
  /** the field's own key (`desiredInstances`) when that tells the dimensions apart, else `name`: for table headers */
  short: string;
  /** where it is in the file, as the loader names paths */
  path: string;
  values: string[];
  numeric: boolean;
}

export interface SweepPointRecord {
  index: number;
  /** per dimension, the value's label */
  values: string[];
  /** per dimension, the value itself where numeric (for charts), else null */
  numbers: (number | null)[];
  runs: RunMeasures[];
  stats: PointStats;
}

export interface SweepThroughput {
  runs: number;
  jobs: number;
  wallSeconds: number;
  simulatedHours: number;
  claims: number;
  runsPerMinute: number;
  simulatedHoursPerWallSecond: number;
  claimsPerWallSecond: number;
}

export interface SweepResult {
  scenario: string;
  scenarioPath: string;
  seeds: number[];
  target: number;
  focus: { preset: string | null; timezone: string };
  dimensions: SweepDimensionRecord[];
  points: SweepPointRecord[];
  recommendation: Recommendation;
  schedule: ScheduleAdvice | null;
  throughput: SweepThroughput;
  /** the fewest seeds a t interval is given for (below it, `low`/`high` are null) */
  minSeedsForInterval: number;
  /** what the intervals over seeds are: "t 95%", or "not enough seeds" below the minimum */
  intervals: "t 95%" | "not enough seeds";
}

/** Each dimension's last key, unless two share it or the path ends in a list index. */
function shortNames(plan: SweepPlan): string[] {
  const last = plan.dimensions.map((d) => {
    const key = d.path[d.path.length - 1];
    return typeof key === "string" ? key : d.name;
  });
  return last.map((k, i) => (last.indexOf(k) === last.lastIndexOf(k) ? k : (plan.dimensions[i]?.name ?? k)));
}

/** One run of the grid: a point's scenario with one seed. */
export interface SweepRun {
  point: number;
  seed: number;
  scenarioText: string;
}

/** Every run of the plan, point by point, seeds in order. */
export function sweepRuns(plan: SweepPlan): SweepRun[] {
  return plan.points.flatMap((p) =>
    plan.seeds.map((seed) => ({ point: p.index, seed, scenarioText: p.scenarioText })),
  );
}

export interface MeasuredRun {
  point: number;
  measures: RunMeasures;
}

export function sweepResult(
  plan: SweepPlan,
  measured: readonly MeasuredRun[],
  timing: { jobs: number; wallSeconds: number },
): SweepResult {
  const byPoint = plan.points.map(() => [] as RunMeasures[]);
  for (const m of measured) {
    const runs = byPoint[m.point];
    if (runs === undefined) throw new Error(`sweep: a run of point ${m.point}, which the grid does not have`);
    runs.push(m.measures);
  }
  for (const runs of byPoint) runs.sort((a, b) => a.seed - b.seed);
  const missing = byPoint.findIndex((runs) => runs.length !== plan.seeds.length);
  if (missing !== -1)
    throw new Error(
      `sweep: point ${missing} has ${byPoint[missing]?.length} runs, expected ${plan.seeds.length}`,
    );
  const stats = byPoint.map((runs) => pointStats(runs));
  const recommendation = recommend(plan, stats);
  const short = shortNames(plan);
  const simulatedHours = measured.reduce((s, m) => s + m.measures.simulatedHours, 0);
  const claims = measured.reduce((s, m) => s + m.measures.claims, 0);
  const wall = Math.max(timing.wallSeconds, 1e-9);
  return {
    scenario: plan.scenario.name,
    scenarioPath: plan.scenarioPath,
    seeds: [...plan.seeds],
    target: plan.target,
    focus: {
      preset: plan.focus.preset === null ? null : formatPresetRef(plan.focus.preset),
      timezone: plan.focus.timezone,
    },
    dimensions: plan.dimensions.map((d, i) => ({
      name: d.name,
      short: short[i] ?? d.name,
      path: formatPath(d.path),
      values: d.values.map((v) => v.label),
      numeric: d.numeric,
    })),
    points: plan.points.map((p) => ({
      index: p.index,
      values: p.valueIndexes.map((v, i) => plan.dimensions[i]?.values[v]?.label ?? ""),
      numbers: p.valueIndexes.map((v, i) => {
        const value = plan.dimensions[i]?.values[v]?.value;
        return typeof value === "number" && Number.isFinite(value) ? value : null;
      }),
      runs: byPoint[p.index] as RunMeasures[],
      stats: stats[p.index] as PointStats,
    })),
    recommendation,
    schedule: adviseSchedule(plan, stats, recommendation),
    throughput: {
      runs: measured.length,
      jobs: timing.jobs,
      wallSeconds: timing.wallSeconds,
      simulatedHours,
      claims,
      runsPerMinute: (measured.length * 60) / wall,
      simulatedHoursPerWallSecond: simulatedHours / wall,
      claimsPerWallSecond: claims / wall,
    },
    minSeedsForInterval: MIN_SEEDS_FOR_INTERVAL,
    intervals: plan.seeds.length < MIN_SEEDS_FOR_INTERVAL ? "not enough seeds" : "t 95%",
  };
}
