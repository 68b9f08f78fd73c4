// A run directory (SCENARIOS.md §3): summary.json, trace.jsonl, timeseries.json and scenario.yaml
// (the scenario exactly as it ran, so `replay DIR` needs nothing else), then the report files.
// Everything is written into a temporary sibling directory that is renamed into place at the end,
// so a failure never leaves a half-written run directory behind, and an earlier run in the same
// place is replaced whole.
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { RunSummary } from "../check/summary.ts";
import { renderRunReport } from "../report/index.ts";
import type { TimeSeries } from "../trace/timeseries.ts";
import { InputError } from "./inputError.ts";

export const RUN_FILE_NAMES = {
  summary: "summary.json",
  trace: "trace.jsonl",
  timeseries: "timeseries.json",
  scenario: "scenario.yaml",
} as const;

export interface RunFiles {
  summary: RunSummary;
  /** trace.jsonl's content, every line ending in a newline. */
  traceText: string;
  timeseries: TimeSeries;
  /** The scenario YAML as it ran. */
  scenarioText: string;
}

export interface WriteRunOptions {
  /** Render report.html, report.md and the charts (default true). */
  report?: boolean;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes a complete run directory at `outDir`, replacing whatever was there. */
export async function writeRunDirectory(
  outDir: string,
  files: RunFiles,
  options: WriteRunOptions = {},
): Promise<void> {
  const target = resolve(outDir);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, `.${basename(target)}.partial-`));
  try {
    await writeFile(join(staging, RUN_FILE_NAMES.summary), `${JSON.stringify(files.summary, null, 2)}\n`);
    await writeFile(join(staging, RUN_FILE_NAMES.trace), files.traceText);
    await writeFile(join(staging, RUN_FILE_NAMES.timeseries), `${JSON.stringify(files.timeseries)}\n`);
    await writeFile(join(staging, RUN_FILE_NAMES.scenario), files.scenarioText);
    if (options.report ?? true) await renderRunReport(staging, { replayDir: outDir });
    await replaceDirectory(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Moves `staging` to `target`; an existing `target` is moved aside first and removed after. */
async function replaceDirectory(staging: string, target: string): Promise<void> {
  if (!(await exists(target))) {
    await rename(staging, target);
    return;
  }
  const aside = `${staging}.replaced`;
  await rename(target, aside);
  try {
    await rename(staging, target);
  } catch (error) {
    await rename(aside, target);
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
}

/** The files of an existing run directory, as replay and report read them. */
export interface RecordedRun {
  summary: RunSummary;
  traceText: string;
  scenarioText: string;
}

/** Reads a run directory; a missing or unreadable file is an `InputError` naming the file. */
export async function readRecordedRun(dir: string): Promise<RecordedRun> {
  const read = async (name: string): Promise<string> => {
    const path = join(dir, name);
    try {
      return await readFile(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "no such file (is this a run directory?)" : (error as Error).message;
      throw new InputError(`${path}: cannot read: ${why}`, { cause: error });
    }
  };
  const summaryText = await read(RUN_FILE_NAMES.summary);
  let summary: RunSummary;
  try {
    summary = JSON.parse(summaryText) as RunSummary;
  } catch (error) {
    throw new InputError(`${join(dir, RUN_FILE_NAMES.summary)}: not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof summary.seed !== "number" || typeof summary.traceHash !== "string")
    throw new InputError(`${join(dir, RUN_FILE_NAMES.summary)}: lacks the fields seed and traceHash`);
  return {
    summary,
    traceText: await read(RUN_FILE_NAMES.trace),
    scenarioText: await read(RUN_FILE_NAMES.scenario),
  };
}
