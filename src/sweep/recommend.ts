// The recommendation: along the first `--vary` (the swept setting), the smallest value whose hit
// rate meets the target with its lower confidence bound — for each combination of the other
// `--vary` values (a "line" of the charts), and overall the line's pick with the least idle cost.
// "Smallest" is numeric order for numbers and the order given for other values.

import { MIN_SEEDS_FOR_INTERVAL } from "./confidence.ts";
import type { SweepDimension, SweepPlan } from "./plan.ts";
import { pointLabel } from "./plan.ts";
import type { PointStats } from "./pointStats.ts";

/** How a point's hit rate is judged against the target; written into every output. */
export const RECOMMENDATION_RULE = `a point meets the target when the lower bound of its hit rate does: the smaller of the t-based 95% interval over seeds and the Wilson 95% interval over the pooled claims (with fewer than ${MIN_SEEDS_FOR_INTERVAL} seeds, not enough for a t interval, Wilson alone)`;

/** What the rule used for this sweep's seeds, said in the recommendation. */
export function boundUsed(seeds: number): string {
  return seeds < MIN_SEEDS_FOR_INTERVAL
    ? `With ${seeds} seed${seeds === 1 ? "" : "s"}, not enough seeds for a t interval (at least ${MIN_SEEDS_FOR_INTERVAL}): the bounds are Wilson's alone, which treat claims as independent and so read narrower than the truth; run more seeds to firm them up.`
    : `With ${seeds} seeds, the bounds are the smaller of the t and Wilson lower ends.`;
}

export interface SweepLine {
  /** value indexes of dimensions 2…n (empty with one --vary) */
  others: number[];
  /** `provisioners.daemons=4`; empty with one --vary */
  label: string;
  /** point indexes in x order */
  points: number[];
  /** the smallest x meeting the target, or null */
  recommended: number | null;
}

export interface Recommendation {
  target: number;
  rule: string;
  lines: SweepLine[];
  /** the recommended point with the least idle prebuild-hours per day, or null when no point meets the target */
  best: number | null;
}

/** Indexes of the first dimension's values, smallest first. */
export function xOrder(dimension: SweepDimension): number[] {
  const order = dimension.values.map((_, i) => i);
  if (dimension.numeric)
    order.sort((a, b) => (dimension.values[a]?.value as number) - (dimension.values[b]?.value as number));
  return order;
}

export function meetsTarget(stats: PointStats, target: number): boolean {
  return stats.hitRate !== null && stats.hitRate.lowerBound >= target;
}

/** The grid's lines: points sharing the values of every dimension but the first. */
export function sweepLines(plan: SweepPlan): Omit<SweepLine, "recommended">[] {
  const [x, ...rest] = plan.dimensions;
  if (x === undefined) throw new Error("sweep: a plan without dimensions");
  const rank = new Map(xOrder(x).map((valueIndex, r) => [valueIndex, r]));
  const lines = new Map<string, Omit<SweepLine, "recommended">>();
  for (const point of plan.points) {
    const others = point.valueIndexes.slice(1);
    const key = others.join(",");
    let line = lines.get(key);
    if (line === undefined) {
      line = { others, label: pointLabel(rest, others), points: [] };
      lines.set(key, line);
    }
    line.points.push(point.index);
  }
  const xRank = (p: number) => rank.get(plan.points[p]?.valueIndexes[0] as number) ?? 0;
  for (const line of lines.values()) line.points.sort((a, b) => xRank(a) - xRank(b));
  return [...lines.values()];
}

export function recommend(plan: SweepPlan, stats: readonly PointStats[]): Recommendation {
  const lines = sweepLines(plan).map((line) => ({
    ...line,
    recommended: line.points.find((p) => meetsTarget(stats[p] as PointStats, plan.target)) ?? null,
  }));
  let best: number | null = null;
  for (const line of lines) {
    if (line.recommended === null) continue;
    const idle = (stats[line.recommended] as PointStats).idlePrebuildHoursPerDay.mean;
    if (best === null || idle < (stats[best] as PointStats).idlePrebuildHoursPerDay.mean)
      best = line.recommended;
  }
  return { target: plan.target, rule: RECOMMENDATION_RULE, lines, best };
}
