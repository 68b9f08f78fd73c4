// `oldest-deleted-first` (safety): when a cycle deletes extraneous prebuilds of an active preset,
// it deletes the oldest running ones (spec §3.7 step 3.2: sorted by workspace creation). A
// non-expired prebuild the cycle deleted must not be younger than one it kept that its snapshot
// surely saw running (running in every view of the window), that nobody claimed or deleted by the
// cycle's end, and whose preset's actions did not fail (a logged problem skips the preset).
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind, PREBUILDS_INITIATOR } from "../lines.ts";
import { CycleDecisions } from "../reference/cycleDecisions.ts";
import type { ReferenceModel } from "../reference/referenceModel.ts";
import { surelyRunning } from "../reference/snapshotWindow.ts";
import type { RunModel, WorkspaceFacts } from "../runModel.ts";

function createdAt(ws: WorkspaceFacts): number {
  return ws.builds[0]?.at ?? 0;
}

export class OldestDeletedFirst implements InvariantChecker {
  readonly name = "oldest-deleted-first";
  readonly kind = "safety";
  readonly #log = new ViolationLog(this.name);
  readonly #decisions: CycleDecisions;

  constructor(private readonly reference: ReferenceModel) {
    this.#decisions = new CycleDecisions(reference);
  }

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    this.#decisions.observe(line, model);
    if (!isKind(line, "reconcile.cycle.end")) return;
    for (const { key, decision, views } of this.#decisions.judgeable(line, false)) {
      if (decision.deleted.size === 0 || !views.every((v) => v.active)) continue;
      const seen = surelyRunning(views).filter(
        (ws) => !views.some((v) => this.reference.isExpired(ws, key, decision.now, v)),
      );
      const deleted = seen.filter((ws) => decision.deleted.has(ws.id));
      const kept = seen.filter(
        (ws) => !decision.deleted.has(ws.id) && !ws.deleted && ws.owner === PREBUILDS_INITIATOR,
      );
      const youngestDeleted = deleted.sort((a, b) => createdAt(b) - createdAt(a))[0];
      const oldestKept = kept.sort((a, b) => createdAt(a) - createdAt(b))[0];
      if (youngestDeleted === undefined || oldestKept === undefined) continue;
      if (createdAt(oldestKept) >= createdAt(youngestDeleted)) continue;
      this.#log.add(
        instantOf(line),
        key,
        `${line.actor} deleted prebuild ${youngestDeleted.id} of ${key} but kept the older ${oldestKept.id}`,
        [
          oldestKept.createLine,
          youngestDeleted.createLine,
          decision.line,
          decision.deleted.get(youngestDeleted.id),
        ],
      );
    }
  }

  finish(): void {}
}
