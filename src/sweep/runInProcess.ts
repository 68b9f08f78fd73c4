// Runs a sweep's grid one run after another on one database, in this process, then the schedule
// advice with the same seeds: what the library and the tests use. The command line spreads the same
// runs over worker processes instead.
import type { SqlDriver } from "../db/driver.ts";
import { executeRun } from "../run/execute.ts";
import { parseScenario, scenarioOrThrow } from "../scenario/load.ts";
import { measureRun } from "./measure.ts";
import type { SweepPlan } from "./plan.ts";
import { type MeasuredRun, type SweepResult, sweepResult, sweepRuns } from "./result.ts";
import { adviceScenarioText, withSimulatedAdvice } from "./simulateAdvice.ts";

export interface InProcessOptions {
  /** A migrated driver; every run resets it. */
  driver: SqlDriver;
  /** Sees each finished run (progress). */
  onRun?: (run: MeasuredRun, finished: number, total: number) => void;
}

export async function runSweepInProcess(plan: SweepPlan, options: InProcessOptions): Promise<SweepResult> {
  const runs = sweepRuns(plan);
  const measure = async (scenarioText: string, seed: number) => {
    const scenario = scenarioOrThrow(parseScenario(scenarioText, plan.scenarioPath));
    const files = await executeRun(
      { scenario, text: scenarioText },
      { seed, driver: options.driver, judgeReach: false },
    );
    return measureRun(files, plan.focus);
  };
  const measured: MeasuredRun[] = [];
  for (const run of runs) {
    const done = { point: run.point, measures: await measure(run.scenarioText, run.seed) };
    measured.push(done);
    options.onRun?.(done, measured.length, runs.length);
  }
  // Runs here are sequential, so their wall times add up to the sweep's.
  const wallSeconds = measured.reduce((s, m) => s + m.measures.wallSeconds, 0);
  const result = sweepResult(plan, measured, { jobs: 1, wallSeconds });
  const advice = adviceScenarioText(plan, result);
  if (advice === null) return result;
  const adviceRuns = [];
  for (const seed of plan.seeds) adviceRuns.push(await measure(advice, seed));
  return withSimulatedAdvice(result, advice, adviceRuns);
}
