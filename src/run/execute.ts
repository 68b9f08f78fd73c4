// One run from a loaded scenario to its run files: simulate with the checks listening to every
// trace line as it is written, read the database as the run left it, judge, summarise. The only
// wall-clock reading is `wallSeconds`, taken around the simulation on the real clock.

import { readEndState } from "../check/endState.ts";
import { RunChecker } from "../check/runChecker.ts";
import { RunStatistics } from "../check/statistics.ts";
import { summarize } from "../check/summarize.ts";
import { RealClock } from "../clock/real.ts";
import type { Instant } from "../clock/types.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../db/constants.ts";
import type { SqlDriver } from "../db/driver.ts";
import type { Scenario } from "../scenario/scenario.ts";
import { instantOf } from "../trace/lines.ts";
import { Trace } from "../trace/trace.ts";
import type { RecordedCycle } from "../world/faults/cycleLog.ts";
import type { MetricsSeries } from "../world/metricsRecorder.ts";
import { simulate } from "../world/simulate.ts";
import type { RunFiles } from "./runDirectory.ts";

export interface ExecuteOptions {
  seed: number;
  /** A migrated driver; the run resets it first. */
  driver: SqlDriver;
  /** Sees the virtual time now and then (every few hundred trace lines), for progress output. */
  onProgress?: (now: Instant) => void;
  /** Also record the replicas' metrics at every sample (`run --metrics-out`); the run is the same. */
  metrics?: boolean;
  /**
   * Whether probes of `expect.reach` left at zero fail the run (default true: `run`, `suite`,
   * `replay`). Explored and swept seeds vary what the scenario's own seed was written to reach.
   */
  judgeReach?: boolean;
  /** Also record every reconciliation cycle with its statement count (`explore --perturb`); the run is the same. */
  recordCycles?: boolean;
}

export interface ScenarioSource {
  scenario: Scenario;
  /** The YAML the scenario was loaded from, kept verbatim as the run directory's scenario.yaml. */
  text: string;
}

const PROGRESS_EVERY_LINES = 512;

/** The run files, and the recorded metrics and cycles when asked for (not part of the run directory). */
export type ExecutedRun = RunFiles & {
  metrics: MetricsSeries | null;
  cycles: readonly RecordedCycle[] | null;
};

export async function executeRun(source: ScenarioSource, options: ExecuteOptions): Promise<ExecutedRun> {
  const { scenario } = source;
  const wall = new RealClock();
  const wallStart = wall.now();
  const checker = new RunChecker(scenario, { judgeReach: options.judgeReach ?? true });
  const statistics = new RunStatistics();
  const makeTrace = (now: () => Instant): Trace => {
    const trace = new Trace(now);
    trace.listen((line) => {
      checker.observe(line);
      statistics.observe(line, checker.model);
      if (options.onProgress !== undefined && line.seq % PROGRESS_EVERY_LINES === 0)
        options.onProgress(instantOf(line));
    });
    return trace;
  };
  const result = await simulate(scenario, {
    seed: options.seed,
    database: options.driver,
    trace: makeTrace,
    metrics: options.metrics === true,
    recordCycles: options.recordCycles === true,
  });
  const end = await readEndState(options.driver, PREBUILDS_SYSTEM_USER_ID, result.end, result.timeseries);
  const outcome = checker.finish(end);
  const traceHash = result.trace.hash();
  const summary = summarize({
    scenario,
    seed: options.seed,
    traceHash,
    events: result.trace.length,
    wallSeconds: (wall.now() - wallStart) / 1000,
    outcome,
    statistics,
    model: checker.model,
    end,
  });
  return {
    summary,
    traceText: result.trace.text(),
    timeseries: result.timeseries,
    scenarioText: source.text,
    metrics: result.metrics,
    cycles: result.cycles,
  };
}
