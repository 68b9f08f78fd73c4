// What a shrink starts from: a run directory (its scenario.yaml — for a swarm seed, the drawn
// faults — and the seed in its summary.json) or a scenario file with a seed.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { InputError } from "../run/inputError.ts";
import { RUN_FILE_NAMES } from "../run/runDirectory.ts";
import { loadScenarioFile } from "../scenario/load.ts";
import { ScenarioError } from "../scenario/problem.ts";
import { type Data, isData } from "./data.ts";

export interface ShrinkInput {
  readonly data: Data;
  readonly seed: number;
  /** How the shrink log and minimal.yaml name the original. */
  readonly origin: string;
  /** The scenario file the output must never replace. */
  readonly scenarioPath: string;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? `no such file${what}` : (error as Error).message;
    throw new InputError(`${path}: cannot read: ${why}`, { cause: error });
  }
}

/** The file's data; a file the loader refuses is bad input with the loader's lines. */
async function scenarioData(path: string, text: string): Promise<{ data: Data; seed: number }> {
  const loaded = await loadScenarioFile(path);
  if (!loaded.ok) throw new ScenarioError(loaded.problems);
  const data = parseDocument(text).toJS() as unknown;
  if (!isData(data)) throw new InputError(`${path}: expected a scenario mapping`);
  return { data, seed: loaded.scenario.seed };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** `path` is a run directory or a scenario file; `seed` overrides the recorded or written seed. */
export async function readShrinkInput(path: string, seed: number | undefined): Promise<ShrinkInput> {
  if (await isDirectory(path)) {
    const scenarioPath = join(path, RUN_FILE_NAMES.scenario);
    const summaryPath = join(path, RUN_FILE_NAMES.summary);
    const summaryText = await readText(summaryPath, " (is this a run directory?)");
    let recorded: unknown;
    try {
      recorded = (JSON.parse(summaryText) as { seed?: unknown }).seed;
    } catch (error) {
      throw new InputError(`${summaryPath}: not JSON: ${(error as Error).message}`, { cause: error });
    }
    if (typeof recorded !== "number") throw new InputError(`${summaryPath}: lacks the field seed`);
    const { data } = await scenarioData(
      scenarioPath,
      await readText(scenarioPath, " (is this a run directory?)"),
    );
    return { data, seed: seed ?? recorded, origin: `run directory ${path}`, scenarioPath };
  }
  const { data, seed: written } = await scenarioData(path, await readText(path, ""));
  return { data, seed: seed ?? written, origin: path, scenarioPath: path };
}
