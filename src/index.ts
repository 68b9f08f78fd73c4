// prebuildsim as a library: load a scenario, run it, read the summary — the same pipeline as the
// command line (`prebuildsim run`), for regression suites and scripts.
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
import { writeRunDirectory } from "./run/runDirectory.ts";
import { loadScenarioFile, parseScenario, parseScenarioObject } from "./scenario/load.ts";
import { ScenarioError } from "./scenario/problem.ts";
import type { Scenario } from "./scenario/scenario.ts";

export { PROBE_NAMES, type ProbeName } from "./check/probes.ts";
export type { PresetSummary, RunSummary, Violation } from "./check/summary.ts";
export { InputError } from "./run/inputError.ts";
export { ScenarioError, ScenarioProblem } from "./scenario/problem.ts";
export { INVARIANT_NAMES, type InvariantName, type Scenario } from "./scenario/scenario.ts";

export interface RunScenarioOptions {
  /** Default: the scenario's own `seed`. */
  seed?: number;
  /** Also write a run directory (run files and report) here. */
  outDir?: string;
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

/** Runs a scenario and returns its summary (`summary.json`); throws a `ScenarioError` for bad input. */
export async function runScenario(
  input: ScenarioInput,
  options: RunScenarioOptions = {},
): Promise<RunSummary> {
  const src = await source(input);
  const seed = options.seed ?? src.scenario.seed;
  let driver: SqlDriver;
  let owned = false;
  if (options.databaseUrl !== undefined) {
    driver = await openDriver(options.databaseUrl);
    owned = true;
  } else {
    shared ??= openDriver(databaseUrlFromEnvironment());
    driver = await shared;
  }
  try {
    const files = await executeRun(src, { seed, driver });
    if (options.outDir !== undefined)
      await writeRunDirectory(options.outDir, files, { report: options.report ?? true });
    return files.summary;
  } finally {
    if (owned) await driver.close();
  }
}
