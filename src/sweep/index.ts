// The sweep layer's public API (`prebuildsim sweep`, capacity planning): plan a grid of scenario
// variations, run it (in process here; the command line spreads it over worker processes),
// summarise every point with confidence intervals, recommend a setting and a schedule, write the
// files.
//
//   const plan = planSweep({ scenarioPath, text, vary: ["templates.dev.versions.v1.presets.small.desiredInstances=1..8"],
//                            seedsPerPoint: 5, target: 0.9 });
//   const result = await runSweepInProcess(plan, { driver });
//   await writeSweep("reports/sweep-x", result);
export {
  type Estimate,
  type HitRateEstimate,
  hitRateLowerBound,
  tCritical95,
  wilsonInterval,
} from "./confidence.ts";
export { measureRun, type RunMeasures } from "./measure.ts";
export { MAX_SWEEP_RUNS, planSweep, type SweepFocus, type SweepPlan, type SweepRequest } from "./plan.ts";
export type { PointStats } from "./pointStats.ts";
export { RECOMMENDATION_RULE, type Recommendation } from "./recommend.ts";
export { recommendationParagraphs, scheduleText } from "./recommendationText.ts";
export { type MeasuredRun, type SweepResult, type SweepRun, sweepResult, sweepRuns } from "./result.ts";
export { runSweepInProcess } from "./runInProcess.ts";
export type { ScheduleAdvice } from "./scheduleAdvice.ts";
export { sweepTable, terminalTable } from "./sweepTable.ts";
export { SWEEP_FILE_NAMES, writeSweep } from "./writeSweep.ts";
