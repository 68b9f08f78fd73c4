// `paused-means-idle` (safety): after an operator pauses reconciliation, the first cycle that reads
// the pause is the last one allowed to build; from then until the resume no cycle starts a
// reconciler-initiated build. (The pause is read at the start of a cycle, spec §4.4 c, so work a
// cycle began before it is not a violation.)
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind, PREBUILDS_INITIATOR } from "../lines.ts";
import type { RunModel } from "../runModel.ts";

interface Pause {
  line: number;
  /** The end line of the first cycle that reported itself paused. */
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
      if (pause?.seenLine === undefined || cycle === undefined || cycle.startLine < pause.seenLine) return;
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
