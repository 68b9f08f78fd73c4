// `paused-means-idle` (safety): after an operator pauses reconciliation, the first cycle that reads
// the pause is the last one allowed to build; from then until the resume no cycle starts a
// reconciler-initiated build. (The pause is read at the start of a cycle, spec §4.4 c, so work a
// cycle began before it is not a violation.) A cycle has surely read the pause when it reported
// itself paused — or, whatever it reports, when it started after the operator's write: the
// settings are read inside the cycle, after its start line, and the `operator.pause` line follows
// the committed write. So a reconciler that ignores the pause (and no longer reports it) is caught
// from the operator's event alone, not from the port's account of itself.
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind, PREBUILDS_INITIATOR } from "../lines.ts";
import type { RunModel } from "../runModel.ts";

interface Pause {
  /** The operator's `operator.pause` line: cycles that start after it read the pause. */
  line: number;
  /** The end line of the first cycle that reported itself paused (evidence only). */
  seenLine: number | undefined;
}

export class PausedMeansIdle implements InvariantChecker {
  readonly name = "paused-means-idle";
  readonly kind = "safety";
  readonly #log = new ViolationLog(this.name);
  #pause: Pause | undefined;
  readonly #reportedCycles = new Set<number>();

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    if (isKind(line, "operator.pause")) {
      if (!line.paused) this.#pause = undefined;
      else this.#pause ??= { line: line.seq, seenLine: undefined };
    } else if (isKind(line, "reconcile.cycle.end")) {
      if (this.#pause !== undefined && this.#pause.seenLine === undefined && line.paused)
        this.#pause.seenLine = line.seq;
    } else if (isKind(line, "build.create") && line.initiator === PREBUILDS_INITIATOR) {
      const pause = this.#pause;
      const cycle = model.cycle(line.actor);
      // A cycle that reported the pause ends after the pause line, so later cycles start after it too.
      if (pause === undefined || cycle === undefined || cycle.startLine < pause.line) return;
      if (this.#reportedCycles.has(cycle.startLine)) return;
      this.#reportedCycles.add(cycle.startLine);
      this.#log.add(
        instantOf(line),
        line.actor,
        `${line.actor} created a ${line.transition} build for workspace ${line.workspace} while reconciliation was paused`,
        [pause.line, pause.seenLine, cycle.startLine, line.seq],
      );
    }
  }

  finish(): void {}
}
