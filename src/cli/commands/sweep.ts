// `prebuildsim sweep <scenario.yaml> --vary PATH=V1,V2,… [--vary …] [--seeds K] [--jobs N]
// [--target-hit-rate R] [--preset T/P] [--out DIR]`: capacity planning. Every point of the grid
// runs K seeds in worker processes; prints the table, the recommendation and the schedule advice,
// and writes sweep.json, sweep.csv, sweep.md, sweep.html and charts/ into DIR. Everything wrong
// with the input is found before the first run starts, and nothing is written then.
import { join } from "node:path";
import { InputError } from "../../run/inputError.ts";
import { checkOutputDirectory, replaceOutputDirectory } from "../../run/outputDirectory.ts";
import { planSweep } from "../../sweep/plan.ts";
import { recommendationParagraphs, scheduleText } from "../../sweep/recommendationText.ts";
import { type MeasuredRun, type SweepResult, sweepResult, sweepRuns } from "../../sweep/result.ts";
import { notableHours, scheduleHourTable } from "../../sweep/scheduleTable.ts";
import { adviceScenarioText, withSimulatedAdvice } from "../../sweep/simulateAdvice.ts";
import { intervalNote, sweepTable, terminalTable, wrapWords } from "../../sweep/sweepTable.ts";
import { writeSweep } from "../../sweep/writeSweep.ts";
import { ExitCode } from "../exitCodes.ts";
import type { SweepRunDone, SweepRunJob } from "../exploreProtocol.ts";
import type { CliIo } from "../main.ts";
import { Progress, wallClock } from "../progress.ts";
import { readScenarioInput } from "../scenarioInput.ts";
import { runJobsInWorkers, WorkerCrashError } from "../workerPool.ts";

export interface SweepOptions {
  scenario: string;
  vary: string[];
  seeds: number;
  jobs: number;
  target: number;
  preset: string | undefined;
  out: string | undefined;
  force: boolean;
  databaseUrl: string | undefined;
}

/** The most seeds per point: beyond a few dozen the intervals barely narrow, the grid just gets slow. */
export const MAX_SEEDS_PER_POINT = 1000;

/** `--seeds K`: seeds per point, from the scenario's own seed on. */
export function parseSeedsPerPoint(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_SEEDS_PER_POINT)
    throw new InputError(
      `--seeds: expected a number of seeds per point, 1 to ${MAX_SEEDS_PER_POINT}, got ${JSON.stringify(text)}`,
    );
  return Number(text);
}

/** `--target-hit-rate R`: a fraction like 0.9, or a percentage like 90%. */
export function parseTargetHitRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const value = m === null ? Number.NaN : Number(m[1]) / (m[2] === "%" ? 100 : 1);
  if (!(value > 0 && value <= 1))
    throw new InputError(
      `--target-hit-rate: expected a fraction in (0, 1] like 0.9, or a percentage like 90%, got ${JSON.stringify(text)}`,
    );
  return value;
}

function throughputLine(result: SweepResult): string {
  const t = result.throughput;
  return `${t.runs} runs (${result.points.length} points × ${result.seeds.length} seeds) in ${t.wallSeconds.toFixed(1)} s with ${t.jobs} worker${t.jobs === 1 ? "" : "s"}: ${t.runsPerMinute.toFixed(1)} runs/min, ${t.simulatedHoursPerWallSecond.toFixed(2)} virtual hours/s, ${t.claimsPerWallSecond.toFixed(1)} claims/s`;
}

/** The terminal summary: tables in 120 columns, paragraphs wrapped to it. */
export function sweepReport(result: SweepResult, out: string): string {
  const wrap = (paragraphs: readonly string[]) => paragraphs.flatMap((p) => wrapWords(p));
  const lines = [terminalTable(sweepTable(result))];
  const note = intervalNote(result.seeds.length);
  if (note !== null) lines.push(...wrap([note]));
  lines.push("", ...wrap(recommendationParagraphs(result)));
  const schedule = scheduleText(result);
  if (schedule.paragraphs.length > 0) lines.push("", ...wrap(schedule.paragraphs));
  if (schedule.yaml !== null) lines.push("", schedule.yaml.trimEnd(), "");
  lines.push(...wrap(schedule.notes));
  if (result.schedule?.kind === "schedule")
    lines.push("", terminalTable(scheduleHourTable(result, result.schedule, notableHours(result.schedule))));
  lines.push(
    "",
    ...wrap([throughputLine(result)]),
    `report: ${join(out, "sweep.html")} (also sweep.md, sweep.csv, sweep.json${result.schedule?.kind === "schedule" ? ", sweep-schedule.csv" : ""})`,
  );
  return `${lines.join("\n")}\n`;
}

export async function sweepCommand(io: CliIo, o: SweepOptions): Promise<ExitCode> {
  const input = await readScenarioInput(o.scenario);
  const plan = planSweep({
    scenarioPath: o.scenario,
    text: input.text,
    vary: o.vary,
    seedsPerPoint: o.seeds,
    target: o.target,
    preset: o.preset,
  });
  const out = o.out ?? join("reports", `sweep-${plan.scenario.name}`);
  const output = await checkOutputDirectory(out, "sweep", {
    force: o.force,
    protect: [o.scenario],
    createParents: o.out === undefined,
  });
  const jobs: SweepRunJob[] = sweepRuns(plan).map((r) => ({
    type: "sweep",
    scenarioPath: o.scenario,
    scenarioText: r.scenarioText,
    seed: r.seed,
    point: r.point,
    focus: plan.focus,
    databaseUrl: o.databaseUrl,
  }));
  const progress = new Progress();
  const run = async (batch: SweepRunJob[], what: string): Promise<SweepRunDone[]> => {
    try {
      return await runJobsInWorkers(batch, {
        jobs: o.jobs,
        onDone: (_, finished, total) =>
          progress.update(`${what}: ${finished}/${total} runs`, finished === total),
      });
    } catch (error) {
      if (error instanceof WorkerCrashError && error.badInput)
        throw new InputError([`seed ${error.seed}:`, ...error.lines.map((l) => `  ${l}`)], { cause: error });
      throw error;
    } finally {
      progress.done();
    }
  };
  const wall = wallClock();
  const started = wall.now();
  const answers = await run(jobs, `sweep ${plan.scenario.name}`);
  const measured: MeasuredRun[] = answers.map((a) => ({ point: a.point, measures: a.measures }));
  let result = sweepResult(plan, measured, {
    jobs: Math.min(o.jobs, jobs.length),
    wallSeconds: wall.secondsSince(started),
  });
  // The schedule advice, run with the same seeds (its point number is only echoed back).
  const advice = adviceScenarioText(plan, result);
  if (advice !== null) {
    const adviceJobs = plan.seeds.map(
      (seed): SweepRunJob => ({ ...(jobs[0] as SweepRunJob), scenarioText: advice, seed, point: -1 }),
    );
    const done = await run(adviceJobs, `schedule advice of ${plan.scenario.name}`);
    result = withSimulatedAdvice(
      result,
      advice,
      done.map((a) => a.measures),
    );
  }
  await replaceOutputDirectory(output, async (staging) => {
    await writeSweep(staging, result);
  });
  io.out(sweepReport(result, out));
  return ExitCode.Ok;
}
