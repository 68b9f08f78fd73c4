// The schedule advice put to the test: the scenario of the recommendation's line with the advice
// pasted into the preset (`desiredInstances` and the `scheduling` block), run with the sweep's own
// seeds — common random numbers, so the same people claim at the same instants as in the grid and
// its hit rate per hour compares directly with the constant recommendation's.
import { parseDocument } from "yaml";
import { parseScenario } from "../scenario/load.ts";
import type { RunMeasures } from "./measure.ts";
import type { SweepPlan } from "./plan.ts";
import { pointStats } from "./pointStats.ts";
import type { SweepResult } from "./result.ts";
import type { ScheduleAdvice } from "./scheduleAdvice.ts";

/** The scenario text that runs the advice, or null when there is no schedule advice. */
export function adviceScenarioText(plan: SweepPlan, result: SweepResult): string | null {
  const advice = result.schedule;
  const x = plan.dimensions[0];
  if (advice?.kind !== "schedule" || x === undefined) return null;
  const line = result.recommendation.lines.find((l) => l.label === advice.line);
  const base = line === undefined ? undefined : plan.points[line.points[0] as number];
  if (base === undefined)
    throw new Error(`sweep: no point on the advice's line ${JSON.stringify(advice.line)}`);
  const doc = parseDocument(base.scenarioText);
  doc.setIn([...x.path], advice.desiredInstances);
  if (advice.schedules.length > 0)
    doc.setIn([...x.path.slice(0, -1), "scheduling"], {
      timezone: advice.timezone,
      schedules: advice.schedules.map((s) => ({ cron: s.cron, instances: s.instances })),
    });
  const text = doc.toString({ lineWidth: 0 });
  const checked = parseScenario(text, plan.scenarioPath);
  if (!checked.ok)
    throw new Error(
      `sweep: the schedule advice does not load: ${checked.problems.map((p) => p.toString()).join("; ")}`,
    );
  return text;
}

/** The result with the advice's runs (one per seed of the sweep) attached. */
export function withSimulatedAdvice(
  result: SweepResult,
  scenarioText: string,
  runs: readonly RunMeasures[],
): SweepResult {
  const advice = result.schedule;
  if (advice?.kind !== "schedule") throw new Error("sweep: simulated advice without a schedule");
  const sorted = [...runs].sort((a, b) => a.seed - b.seed);
  const schedule: ScheduleAdvice = {
    ...advice,
    simulated: { scenarioText, runs: sorted, stats: pointStats(sorted) },
  };
  return { ...result, schedule };
}
