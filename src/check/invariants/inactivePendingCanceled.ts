// `inactive-pending-canceled` (liveness, within one cycle): a prebuild creation job still pending
// (not taken by a provisioner) on a version that is no longer its template's active version is
// canceled by the first cycle that sees it (spec §2.5, §3.7 step 2, §4.11). Judged at the end of
// each cycle that held the lock, was not paused, ended without error and evaluated the preset
// without logging a problem for it: every such job created before the cycle started, whose
// version was inactive in every view of the snapshot window, must be canceled or taken by then.
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind } from "../lines.ts";
import { CycleDecisions } from "../reference/cycleDecisions.ts";
import type { ReferenceModel } from "../reference/referenceModel.ts";
import type { RunModel } from "../runModel.ts";

export class InactivePendingCanceled implements InvariantChecker {
  readonly name = "inactive-pending-canceled";
  readonly kind = "liveness";
  readonly #log = new ViolationLog(this.name);
  readonly #decisions: CycleDecisions;
  readonly #reported = new Set<string>();

  constructor(reference: ReferenceModel) {
    this.#decisions = new CycleDecisions(reference);
  }

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    this.#decisions.observe(line, model);
    if (!isKind(line, "reconcile.cycle.end")) return;
    const cycle = model.cycle(line.actor);
    if (cycle === undefined) return;
    for (const { key, decision, views } of this.#decisions.judgeable(line, true)) {
      if (views.some((v) => v.onActiveVersion)) continue;
      for (const ws of model.livePrebuilds(key)) {
        const b = ws.builds[0];
        if (
          ws.builds.length !== 1 ||
          b === undefined ||
          b.job.state !== "pending" ||
          b.line > cycle.startLine
        )
          continue;
        if (b.transition !== "start" || this.#reported.has(b.job.job)) continue;
        this.#reported.add(b.job.job);
        this.#log.add(
          instantOf(line),
          key,
          `${line.actor}'s cycle evaluated ${key} (not on its template's active version) but left the pending creation job of ${ws.id} uncanceled`,
          [b.line, cycle.startLine, decision.line, line.seq],
        );
      }
    }
  }

  finish(): void {}
}
