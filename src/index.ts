// prebuildsim as a library: load a scenario, run it, read the summary — the same pipeline as the
// command line (`prebuildsim run`), for regression suites and scripts — or sweep it for capacity
// planning (`prebuildsim sweep`, in this process).
//
//   import { loadScenario, runScenario } from "prebuildsim";
//   const summary = await runScenario("scenarios/steady-state.yaml", { seed: 7, outDir: "reports/steady" });
//   if (!summary.ok) console.log(summary.violations);
//
// Vitest matchers for summaries are in `prebuildsim/testing` (src/testing.ts).
import { readFile } from "node:fs/promises";
import { stringify } from "yaml";
import type { RunSummary } from "./check/summary.ts";
import { databaseUrlFromEnvironment, openDriver } from "./db/backend.ts";
import type { SqlDriver } from "./db/driver.ts";
import { executeRun, type ScenarioSource } from "./run/execute.ts";
import { InputError } from "./run/inputError.ts";
import { checkOutputDirectory, replaceOutputDirectory } from "./run/outputDirectory.ts";
import { checkRunDirectory, writeRunDirectory } from "./run/runDirectory.ts";
import { loadScenarioFile, parseScenario, parseScenarioObject } from "./scenario/load.ts";
import { ScenarioError } from "./scenario/problem.ts";
import type { Scenario } from "./scenario/scenario.ts";
import { BUDGET_EXPECTED, DEFAULT_SHRINK_BUDGET, parseBudget, type ShrinkBudget } from "./shrink/budget.ts";
import { isData } from "./shrink/data.ts";
import { readShrinkInput } from "./shrink/input.ts";
import type { ShrinkStep } from "./shrink/log.ts";
import { checkShrinkDirectory, writeShrinkDirectory } from "./shrink/output.ts";
import { type ShrinkResult, shrink } from "./shrink/search.ts";
import { DEFAULT_SEEDS_PER_POINT, DEFAULT_TARGET_HIT_RATE, planSweep } from "./sweep/plan.ts";
import type { SweepResult } from "./sweep/result.ts";
import { runSweepInProcess } from "./sweep/runInProcess.ts";
import { writeSweep } from "./sweep/writeSweep.ts";

export { PROBE_NAMES, type ProbeName } from "./check/probes.ts";
export type { PresetSummary, RunSummary, Violation } from "./check/summary.ts";
export { InputError } from "./run/inputError.ts";
export { ScenarioError, ScenarioProblem } from "./scenario/problem.ts";
export { INVARIANT_NAMES, type InvariantName, type Scenario } from "./scenario/scenario.ts";
export type { ShrinkBudget } from "./shrink/budget.ts";
export type { ElementCount } from "./shrink/elements.ts";
export type { ShrinkStep } from "./shrink/log.ts";
export type { NotReproduced, ShrinkResult, Shrunk } from "./shrink/search.ts";
export type { FailureTarget } from "./shrink/target.ts";
export type { PointStats } from "./sweep/pointStats.ts";
export type { Recommendation } from "./sweep/recommend.ts";
export type { SweepResult } from "./sweep/result.ts";

export interface RunScenarioOptions {
  /** Default: the scenario's own `seed`. */
  seed?: number;
  /**
   * Also write a run directory (run files and report) here: a new path, an empty directory or an
   * earlier run directory (README, Output directories); checked before the run, an `InputError` if not.
   */
  outDir?: string;
  /** Let `outDir` replace an output of prebuildsim of another kind (never anything else). */
  force?: boolean;
  /** Render report.html/report.md/charts into `outDir` (default true). */
  report?: boolean;
  /**
   * Run on this PostgreSQL, connected for this run only (default: PREBUILDSIM_DATABASE_URL, else
   * an in-process PGlite; either is opened on first use and reused until `closeDatabase()`).
   */
  databaseUrl?: string;
}

// One driver per process, opened on first use: PGlite costs seconds and hundreds of MB to start.
let shared: Promise<SqlDriver> | undefined;

/**
 * Closes the database runScenario opened (a PostgreSQL connection would otherwise keep the
 * process alive); the next run opens a new one.
 */
export async function closeDatabase(): Promise<void> {
  const driver = shared;
  shared = undefined;
  await (await driver)?.close();
}

/** A scenario as a file path, or as the plain object a YAML file would hold. */
export type ScenarioInput = string | Record<string, unknown>;

async function source(input: ScenarioInput): Promise<ScenarioSource> {
  if (typeof input === "string") {
    const result = await loadScenarioFile(input);
    if (!result.ok) throw new ScenarioError(result.problems);
    return { scenario: result.scenario, text: await readFile(input, "utf8") };
  }
  const label = typeof input.name === "string" ? `scenario ${input.name}` : "scenario object";
  const result = parseScenarioObject(input, label);
  if (!result.ok) throw new ScenarioError(result.problems);
  // The run directory keeps the scenario as YAML; it must load back to the same scenario.
  const text = stringify(input, { lineWidth: 0 });
  if (!parseScenario(text, label).ok) throw new Error(`${label}: does not survive a YAML round trip`);
  return { scenario: result.scenario, text };
}

/** Loads and checks a scenario; throws a `ScenarioError` listing every problem. */
export async function loadScenario(input: ScenarioInput): Promise<Scenario> {
  return (await source(input)).scenario;
}

/**
 * Runs `work` on the database `databaseUrl` names (connected for this call only), else on the
 * process's shared one.
 */
async function withDriver<T>(
  databaseUrl: string | undefined,
  work: (driver: SqlDriver) => Promise<T>,
): Promise<T> {
  if (databaseUrl === undefined) {
    shared ??= openDriver(databaseUrlFromEnvironment());
    return work(await shared);
  }
  const driver = await openDriver(databaseUrl);
  try {
    return await work(driver);
  } finally {
    await driver.close();
  }
}

/** Runs a scenario and returns its summary (`summary.json`); throws a `ScenarioError` for bad input. */
export async function runScenario(
  input: ScenarioInput,
  options: RunScenarioOptions = {},
): Promise<RunSummary> {
  const src = await source(input);
  const seed = options.seed ?? src.scenario.seed;
  const output = { force: options.force === true, protect: typeof input === "string" ? [input] : [] };
  if (options.outDir !== undefined) await checkRunDirectory(options.outDir, output);
  return withDriver(options.databaseUrl, async (driver) => {
    const files = await executeRun(src, { seed, driver });
    if (options.outDir !== undefined)
      await writeRunDirectory(options.outDir, files, { report: options.report ?? true, output });
    return files.summary;
  });
}

export interface SweepScenarioOptions {
  /** What to vary, as `prebuildsim sweep --vary` takes it: `PATH=V1,V2,…`, or an integer range `PATH=a..b[:step]`. */
  vary: readonly string[];
  /** Seeds per point, from the scenario's own seed on (default DEFAULT_SEEDS_PER_POINT, 5). */
  seeds?: number;
  /** The claim hit rate the recommendation asks for, 0 < r ≤ 1 (default DEFAULT_TARGET_HIT_RATE, 0.9). */
  targetHitRate?: number;
  /** `template/preset` whose claims and pool are measured (default: as the command line chooses). */
  preset?: string;
  /** Also write sweep.json, sweep.csv, sweep.md, sweep.html and charts/ here (the rules of runScenario's outDir). */
  outDir?: string;
  /** As for runScenario. */
  force?: boolean;
  /** As for runScenario. */
  databaseUrl?: string;
}

/**
 * Capacity planning, as `prebuildsim sweep` but in this process, one run after another: runs every
 * point of the grid with several seeds and returns the table's data and the recommendation
 * (`sweep.json`). Throws a `ScenarioError` for a bad scenario or `vary`.
 */
export async function sweepScenario(
  input: ScenarioInput,
  options: SweepScenarioOptions,
): Promise<SweepResult> {
  const src = await source(input);
  const plan = planSweep({
    scenarioPath: typeof input === "string" ? input : `scenario ${src.scenario.name}`,
    text: src.text,
    vary: options.vary,
    seedsPerPoint: options.seeds ?? DEFAULT_SEEDS_PER_POINT,
    target: options.targetHitRate ?? DEFAULT_TARGET_HIT_RATE,
    ...(options.preset === undefined ? {} : { preset: options.preset }),
  });
  const output =
    options.outDir === undefined
      ? undefined
      : await checkOutputDirectory(options.outDir, "sweep", {
          force: options.force === true,
          protect: typeof input === "string" ? [input] : [],
          createParents: true,
        });
  const result = await withDriver(options.databaseUrl, (driver) => runSweepInProcess(plan, { driver }));
  if (output !== undefined)
    await replaceOutputDirectory(output, async (staging) => {
      await writeSweep(staging, result);
    });
  return result;
}

export interface ShrinkScenarioOptions {
  /** Default: a run directory's recorded seed, else the scenario's own. */
  seed?: number;
  /** The invariant to keep broken (default: the failing run's first violation). */
  invariant?: string;
  /** At most this many runs (`{ runs: 50 }`) or this much simulated time (`{ simulated: ms }`), or as `--budget` takes it (`"50"`, `"P2D"`); default 200 runs. */
  budget?: ShrinkBudget | string;
  /** Also write minimal.yaml, shrink.log, shrink.json and the minimal run's directory here (the rules of runScenario's outDir). */
  outDir?: string;
  /** As for runScenario. */
  force?: boolean;
  /** Render the minimal run's report into `outDir` (default true). */
  report?: boolean;
  /** As for runScenario. */
  databaseUrl?: string;
  /** Sees every step of the search as it is logged. */
  onStep?: (step: ShrinkStep) => void;
}

function shrinkBudget(budget: ShrinkBudget | string | undefined): ShrinkBudget {
  if (budget === undefined) return DEFAULT_SHRINK_BUDGET;
  if (typeof budget !== "string") return budget;
  const parsed = parseBudget(budget);
  if (parsed === undefined) throw new InputError(`budget: ${BUDGET_EXPECTED}, got ${JSON.stringify(budget)}`);
  return parsed;
}

/**
 * Shrinks a failing scenario (a file, a run directory or a plain object) to the smallest one that
 * still breaks the same invariant, as `prebuildsim shrink` does — for a failing property in a test
 * suite to report a minimal scenario, the way fast-check reports a minimal counterexample:
 * `result.status === "shrunk"` with `result.text` (minimal.yaml), or `"not-reproduced"` with the
 * reason. Throws a `ScenarioError` for a bad scenario.
 */
export async function shrinkScenario(
  input: ScenarioInput,
  options: ShrinkScenarioOptions = {},
): Promise<ShrinkResult> {
  const budget = shrinkBudget(options.budget);
  let start: { data: Record<string, unknown>; seed: number; origin: string; protect: string[] };
  if (typeof input === "string") {
    const read = await readShrinkInput(input, options.seed);
    start = { data: read.data, seed: read.seed, origin: read.origin, protect: [read.scenarioPath] };
  } else {
    const scenario = (await source(input)).scenario;
    if (!isData(input)) throw new InputError("shrinkScenario: expected a scenario object");
    start = {
      data: structuredClone(input),
      seed: options.seed ?? scenario.seed,
      origin: `scenario ${scenario.name}`,
      protect: [],
    };
  }
  const checked =
    options.outDir === undefined
      ? undefined
      : await checkShrinkDirectory(options.outDir, {
          force: options.force === true,
          protect: start.protect,
          createParents: true,
        });
  const result = await withDriver(options.databaseUrl, (driver) =>
    shrink({
      data: start.data,
      seed: start.seed,
      origin: start.origin,
      ...(options.invariant === undefined ? {} : { invariant: options.invariant }),
      budget,
      run: (src, seed) => executeRun(src, { seed, driver, judgeReach: false }),
      ...(options.onStep === undefined ? {} : { onStep: options.onStep }),
    }),
  );
  if (checked !== undefined && result.status === "shrunk")
    await writeShrinkDirectory(checked, result, budget, { report: options.report ?? true });
  return result;
}
