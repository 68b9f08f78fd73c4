// One grid point's numbers over its seeds: each a mean with its t-based 95% interval over the seeds
// (independent replications), the hit rate also with the Wilson interval of the pooled claims, and
// the hit rate per local hour for schedule recommendations.
import { type Estimate, type HitRateEstimate, hitRateEstimate, tEstimate } from "./confidence.ts";
import { HOURS_PER_DAY, type RunMeasures } from "./measure.ts";

export interface PointStats {
  seeds: number;
  /** null when no seed had a claim of the focus preset */
  hitRate: HitRateEstimate | null;
  /** the hit rate per local hour 0–23; null for an hour without claims */
  hourlyHitRate: (HitRateEstimate | null)[];
  waitP50Seconds: Estimate | null;
  waitP95Seconds: Estimate | null;
  /** idle prebuild-hours per day of simulated time: the idle pool's cost */
  idlePrebuildHoursPerDay: Estimate;
  /** per local hour 0–23, the mean idle pool while the runs were in that hour; null for an hour no run covered */
  hourlyIdlePrebuilds: (Estimate | null)[];
  prebuildBuildsPerHour: Estimate;
  busyFraction: Estimate;
  humanQueueWaitSeconds: Estimate | null;
  /** seeds that broke an invariant, and which invariants */
  failedSeeds: number;
  broken: string[];
}

function required(estimate: Estimate | null, what: string): Estimate {
  if (estimate === null) throw new Error(`sweep: a point without runs has no ${what}`);
  return estimate;
}

function present(values: readonly (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null);
}

export function pointStats(runs: readonly RunMeasures[]): PointStats {
  const hourlyHitRate = Array.from({ length: HOURS_PER_DAY }, (_, hour) =>
    hitRateEstimate(runs.map((r) => ({ hits: r.hitsByHour[hour] ?? 0, claims: r.claimsByHour[hour] ?? 0 }))),
  );
  return {
    seeds: runs.length,
    hitRate: hitRateEstimate(runs),
    hourlyHitRate,
    hourlyIdlePrebuilds: Array.from({ length: HOURS_PER_DAY }, (_, hour) =>
      tEstimate(
        present(
          runs.map((r) => {
            const covered = r.coveredByHour[hour] ?? 0;
            return covered > 0 ? (r.idleByHour[hour] ?? 0) / covered : null;
          }),
        ),
      ),
    ),
    waitP50Seconds: tEstimate(present(runs.map((r) => r.waitP50Seconds))),
    waitP95Seconds: tEstimate(present(runs.map((r) => r.waitP95Seconds))),
    idlePrebuildHoursPerDay: required(
      tEstimate(
        runs.map((r) =>
          r.simulatedHours > 0 ? (r.idlePrebuildHours * HOURS_PER_DAY) / r.simulatedHours : 0,
        ),
      ),
      "idle prebuild-hours",
    ),
    prebuildBuildsPerHour: required(tEstimate(runs.map((r) => r.prebuildBuildsPerHour)), "builds per hour"),
    busyFraction: required(tEstimate(runs.map((r) => r.busyFraction)), "busy fraction"),
    humanQueueWaitSeconds: tEstimate(present(runs.map((r) => r.humanQueueWaitSeconds))),
    failedSeeds: runs.filter((r) => !r.ok).length,
    broken: [...new Set(runs.flatMap((r) => r.broken))].sort(),
  };
}
