// What the CI reports (`--junit`, `--summary`) say about one run: a scenario at a seed, its summary,
// where its run directory is and how to reproduce it, plus the trace lines its violations cite
// (read from the run directory when it was kept), so a CI page shows the evidence without the
// artifacts being downloaded.
import { join } from "node:path";
import type { RunSummary } from "../check/summary.ts";
import { MAX_CITED } from "../report/traceExcerpt.ts";
import { quoteTraceLines } from "../trace/readTrace.ts";

export interface CiOutcome {
  /** The group it belongs to: the scenario's name (a JUnit testsuite). */
  group: string;
  /** The case's name: `seed 7`, or the scenario's name in a suite. */
  name: string;
  summary: RunSummary;
  /** The run directory (as the command line names it), or null when it was not kept. */
  runDir: string | null;
  /** Commands that reproduce it, most direct first. */
  reproduce: string[];
  /** Cited trace line number → its text; empty without a run directory. */
  evidence: Map<number, string>;
}

export type CiOutcomeInput = Omit<CiOutcome, "evidence">;

/** The trace lines the violations (failing and allowed) cite, at most MAX_CITED per violation. */
export function citedLines(summary: RunSummary): Set<number> {
  const lines = new Set<number>();
  for (const v of [...summary.violations, ...summary.allowed])
    for (const n of [...new Set(v.traceLines)].sort((a, b) => a - b).slice(0, MAX_CITED)) lines.add(n);
  return lines;
}

/** Adds each outcome's cited trace lines, read from its run directory's trace.jsonl. */
export async function withEvidence(outcomes: readonly CiOutcomeInput[]): Promise<CiOutcome[]> {
  return Promise.all(
    outcomes.map(async (o) => ({
      ...o,
      evidence:
        o.runDir === null
          ? new Map()
          : await quoteTraceLines(join(o.runDir, "trace.jsonl"), citedLines(o.summary)),
    })),
  );
}
