// The shrink log: every candidate tried, in order, with what became of it and the runs spent so
// far — kept (it still fails the same way), undone (with why), or refused by the loader (no run).
import type { Spent } from "./budget.ts";

export type StepResult = "kept" | "undone" | "invalid";

export interface ShrinkStep {
  readonly reduction: string;
  readonly what: string;
  readonly result: StepResult;
  /** For undone and invalid steps: why. */
  readonly why?: string;
  /** Runs and simulated time spent after this step. */
  readonly runs: number;
  readonly simulatedHours: number;
}

export function step(
  reduction: string,
  what: string,
  result: StepResult,
  spent: Spent,
  why?: string,
): ShrinkStep {
  return {
    reduction,
    what,
    result,
    ...(why === undefined ? {} : { why }),
    runs: spent.runs,
    simulatedHours: Math.round((spent.simulated / 3_600_000) * 1000) / 1000,
  };
}

/** One line per step, as shrink.log holds them. */
export function stepLine(s: ShrinkStep): string {
  const why = s.why === undefined ? "" : ` — ${s.why}`;
  return `[run ${String(s.runs).padStart(3)}] ${s.result.padEnd(7)} ${s.reduction}: ${s.what}${why}`;
}
