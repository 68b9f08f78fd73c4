// Sweep results without running anything: a real plan of the fixture scenario, and measures made up
// per point, so recommendation, schedule advice and rendering can be tested on known numbers.
import type { RunMeasures } from "../../src/sweep/measure.ts";
import { planSweep, type SweepPlan, type SweepRequest } from "../../src/sweep/plan.ts";
import { type MeasuredRun, type SweepResult, sweepResult } from "../../src/sweep/result.ts";
import { SWEPT } from "./fixtures.ts";

export interface FakeRun {
  claims: number;
  hits: number;
  /** idle prebuild-hours over the run (the fixture runs 2 hours) */
  idle?: number;
  /** per local hour: [claims, hits]; the rest of the claims go to no hour */
  hours?: Record<number, [number, number]>;
  /** per local hour the run covered: the mean idle pool in it */
  idleHours?: Record<number, number>;
  ok?: boolean;
}

export function fakeMeasures(seed: number, run: FakeRun): RunMeasures {
  const claimsByHour = new Array<number>(24).fill(0);
  const hitsByHour = new Array<number>(24).fill(0);
  for (const [hour, [claims, hits]] of Object.entries(run.hours ?? {})) {
    claimsByHour[Number(hour)] = claims;
    hitsByHour[Number(hour)] = hits;
  }
  return {
    seed,
    ok: run.ok ?? true,
    broken: run.ok === false ? ["converges"] : [],
    simulatedHours: 2,
    wallSeconds: 3,
    claims: run.claims,
    hits: run.hits,
    claimsByHour,
    hitsByHour,
    waitP50Seconds: 5,
    waitP95Seconds: 60,
    idlePrebuildHours: run.idle ?? 1,
    idleByHour: Array.from({ length: 24 }, (_, h) => run.idleHours?.[h] ?? 0),
    coveredByHour: Array.from({ length: 24 }, (_, h) => (run.idleHours?.[h] === undefined ? 0 : 1)),
    prebuildBuildsPerHour: 4,
    busyFraction: 0.2,
    humanQueueWaitSeconds: null,
  };
}

export function fakePlan(vary: string[], more: Partial<SweepRequest> = {}): SweepPlan {
  return planSweep({ scenarioPath: "sweep.yaml", text: SWEPT, vary, seedsPerPoint: 2, target: 0.9, ...more });
}

/** `runs(point)` gives each point's two seeds. */
export function fakeResult(plan: SweepPlan, runs: (point: number) => [FakeRun, FakeRun]): SweepResult {
  const measured: MeasuredRun[] = plan.points.flatMap((p) =>
    runs(p.index).map((r, i) => ({ point: p.index, measures: fakeMeasures(plan.seeds[i] as number, r) })),
  );
  return sweepResult(plan, measured, { jobs: 2, wallSeconds: 12 });
}
