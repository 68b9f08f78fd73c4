// What every kind of reduction shares: from the current smallest failing scenario, a list of
// smaller candidates, each a whole scenario (data and seed) with a line saying what changed. A
// reduction only proposes; the search runs each candidate and keeps it when it still fails the
// same way. Every candidate is strictly smaller by some measure that cannot shrink forever (a list
// is shorter, a number lower, a fault later within the run), so the search ends.
import type { RunSummary } from "../check/summary.ts";
import type { Data } from "./data.ts";
import type { FailureTarget } from "./target.ts";

export interface ShrinkState {
  readonly data: Data;
  readonly seed: number;
  /** The summary of the run of `data` with `seed` (it reproduced the failure). */
  readonly summary: RunSummary;
  readonly target: FailureTarget;
}

export interface Candidate {
  /** One line for the shrink log: what this candidate changes. */
  readonly what: string;
  readonly data: Data;
  readonly seed: number;
}

export interface Reduction {
  /** The kind of reduction, as the log names it. */
  readonly name: string;
  candidates(state: ShrinkState): Candidate[];
}

/** A copy of the state's data with `edit` applied to it. */
export function edited(state: ShrinkState, edit: (copy: Data) => void): Data {
  const copy = structuredClone(state.data);
  edit(copy);
  return copy;
}

/** A candidate that changes only the data. */
export function change(state: ShrinkState, what: string, data: Data): Candidate {
  return { what, data, seed: state.seed };
}
