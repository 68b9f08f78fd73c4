// How much a shrink may spend: a number of runs (`--budget 200`) or an amount of simulated time
// (`--budget P2D`: the sum of the runs' durations). Both are counted in the runs themselves, never
// on a wall clock, so the same input and budget always give the same minimal scenario.
import { parseIsoDuration } from "../scenario/isoTime.ts";

export type ShrinkBudget = { readonly runs: number } | { readonly simulated: number };

export const DEFAULT_SHRINK_BUDGET: ShrinkBudget = { runs: 200 };

export const BUDGET_EXPECTED = "expected a number of runs like 200 or a simulated duration like P2D";

/** `200` → 200 runs; `PT48H` → 48 hours of simulated time. */
export function parseBudget(text: string): ShrinkBudget | undefined {
  if (/^\d+$/.test(text.trim())) {
    const runs = Number(text.trim());
    return runs >= 1 && Number.isSafeInteger(runs) ? { runs } : undefined;
  }
  const parsed = parseIsoDuration(text.trim());
  return parsed.ok && parsed.value > 0 ? { simulated: parsed.value } : undefined;
}

/** What was spent so far. */
export interface Spent {
  runs: number;
  /** Simulated milliseconds over all runs. */
  simulated: number;
}

/** Whether one more run of `duration` fits in the budget. */
export function fits(budget: ShrinkBudget, spent: Spent, duration: number): boolean {
  return "runs" in budget ? spent.runs < budget.runs : spent.simulated + duration <= budget.simulated;
}

export function describeBudget(budget: ShrinkBudget): string {
  return "runs" in budget ? `${budget.runs} runs` : `${budget.simulated / 3_600_000} simulated hours`;
}
