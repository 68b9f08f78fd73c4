// A run directory (SCENARIOS.md §3): summary.json, trace.jsonl, timeseries.json and scenario.yaml
// (the scenario exactly as it ran, so `replay DIR` needs nothing else), then the report files.
// Everything is written into a temporary sibling directory that is renamed into place at the end,
// so a failure never leaves a half-written run directory behind, and an earlier run in the same
// place is replaced whole — only an earlier run: see outputDirectory.ts.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunSummary } from "../check/summary.ts";
import { renderRunReport } from "../report/index.ts";
import type { TimeSeries } from "../trace/timeseries.ts";
import { InputError } from "./inputError.ts";
import {
  type CheckedOutput,
  checkOutputDirectory,
  type OutputOptions,
  replaceOutputDirectory,
} from "./outputDirectory.ts";

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
  /** Where the directory may be written (outputDirectory.ts); missing parents are created by default. */
  output?: OutputOptions;
}

/** The checks a run directory's path must pass; done before the run, and again when writing. */
export function checkRunDirectory(outDir: string, options: OutputOptions = {}): Promise<CheckedOutput> {
  return checkOutputDirectory(outDir, "run", { createParents: true, ...options });
}

/**
 * Writes a complete run directory at `outDir`, replacing an earlier run directory there; refuses
 * (InputError) anything else that is there (outputDirectory.ts).
 */
export async function writeRunDirectory(
  outDir: string,
  files: RunFiles,
  options: WriteRunOptions = {},
): Promise<void> {
  const checked = await checkRunDirectory(outDir, options.output);
  await replaceOutputDirectory(checked, async (staging) => {
    await writeFile(join(staging, RUN_FILE_NAMES.summary), `${JSON.stringify(files.summary, null, 2)}\n`);
    await writeFile(join(staging, RUN_FILE_NAMES.trace), files.traceText);
    await writeFile(join(staging, RUN_FILE_NAMES.timeseries), `${JSON.stringify(files.timeseries)}\n`);
    await writeFile(join(staging, RUN_FILE_NAMES.scenario), files.scenarioText);
    if (options.report ?? true) await renderRunReport(staging, { replayDir: outDir });
  });
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
