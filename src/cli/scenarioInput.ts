// Reading the scenario a command was given: the file's text (kept verbatim for the run
// directory's scenario.yaml) and the loaded scenario, or a ScenarioError with one problem a line.
import { readFile } from "node:fs/promises";
import { loadScenarioFile, parseScenario } from "../scenario/load.ts";
import { ScenarioError } from "../scenario/problem.ts";
import type { Scenario } from "../scenario/scenario.ts";
import { swarmScenarioText } from "./swarm.ts";

export interface ScenarioInput {
  /** How problems and summaries name the source. */
  path: string;
  text: string;
  scenario: Scenario;
}

/** Loads `path`; with `swarmSeed`, the seed's swarm variation of it. */
export async function readScenarioInput(path: string, swarmSeed?: number): Promise<ScenarioInput> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    // The loader words read failures the same way as every other problem with the file.
    const result = await loadScenarioFile(path);
    if (!result.ok) throw new ScenarioError(result.problems);
    throw new Error(`${path}: readable for the loader but not for the command line`);
  }
  return scenarioFromText(path, swarmSeed === undefined ? text : swarmScenarioText(text, swarmSeed));
}

export function scenarioFromText(path: string, text: string): ScenarioInput {
  const result = parseScenario(text, path);
  if (!result.ok) throw new ScenarioError(result.problems);
  return { path, text, scenario: result.scenario };
}
