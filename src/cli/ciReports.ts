// The CI reports a command was asked for (`--junit FILE`, `--summary FILE`), written once its runs
// are done: the commands hand over their outcomes and nothing else changes for them.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { checkOutputFile } from "../run/outputDirectory.ts";
import { type CiOutcomeInput, withEvidence } from "./ciOutcome.ts";
import { appendJobSummary } from "./jobSummary.ts";
import { junitXml } from "./junit.ts";

export interface CiReportOptions {
  junit: string | undefined;
  summary: string | undefined;
}

/** Checks the report files before the work, so a bad path is bad input instead of a lost run. */
export async function checkCiReportFiles(
  options: CiReportOptions,
  protect: readonly string[] = [],
): Promise<void> {
  if (options.junit !== undefined) await checkOutputFile(options.junit, "--junit", protect);
  if (options.summary !== undefined) await checkOutputFile(options.summary, "--summary", protect);
}

export async function writeCiReports(
  options: CiReportOptions,
  title: string,
  outcomes: readonly CiOutcomeInput[],
): Promise<void> {
  if (options.junit === undefined && options.summary === undefined) return;
  const full = await withEvidence(outcomes);
  if (options.junit !== undefined) {
    await mkdir(dirname(options.junit), { recursive: true });
    await writeFile(options.junit, junitXml(title, full));
  }
  if (options.summary !== undefined) await appendJobSummary(options.summary, title, full);
}
