// The shape every invariant checker has: it watches the trace line by line (with the run model as
// it stood before each line), then judges the end state, and keeps the violations it found.
import type { Instant } from "../clock/types.ts";
import type { InvariantName } from "../scenario/scenario.ts";
import type { TraceLine } from "../trace/trace.ts";
import type { EndState } from "./endState.ts";
import type { RunModel } from "./runModel.ts";
import type { Violation } from "./summary.ts";

export interface InvariantChecker {
  readonly name: InvariantName;
  readonly kind: "safety" | "liveness";
  /** Sees each line before the model applies it. */
  observe(line: TraceLine, model: RunModel): void;
  /** After the last line. */
  finish(end: EndState, model: RunModel): void;
  /** What was found, in the order it was found. */
  readonly violations: readonly Violation[];
}

export function isoInstant(t: Instant): string {
  return new Date(t).toISOString();
}

/** Collects one checker's violations with the contract's fields. */
export class ViolationLog {
  readonly entries: Violation[] = [];

  constructor(private readonly invariant: InvariantName) {}

  add(at: Instant, subject: string, message: string, traceLines: readonly (number | undefined)[]): void {
    const lines = [...new Set(traceLines.filter((n): n is number => n !== undefined))].sort((a, b) => a - b);
    this.entries.push({ invariant: this.invariant, at: isoInstant(at), subject, message, traceLines: lines });
  }
}
