// The scenario library as the tests see it: every file of scenarios/, loaded. What each must show
// besides its verdict — the probes it exists to reach — is its own `expect.reach`.
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { scenarioFromText } from "../../src/cli/scenarioInput.ts";
import type { ScenarioSource } from "../../src/run/execute.ts";

export const SCENARIOS_DIR = resolve(import.meta.dirname, "../../scenarios");

export const SCENARIO_FILES = readdirSync(SCENARIOS_DIR)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

export async function loadLibraryScenario(file: string): Promise<ScenarioSource> {
  const path = join(SCENARIOS_DIR, file);
  return scenarioFromText(path, await readFile(path, "utf8"));
}
