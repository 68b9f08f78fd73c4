// `writes-inside-lease` (safety): every write a replica's reconciler makes — a prebuilt workspace,
// a build, a cancellation, a soft delete — lies inside that replica's lease of the reconciliation
// lock (spec §4.4–4.5: the lock is held until every preset task finished). `single-lock-holder`
// watches only the lock manager, so writes after an early release are invisible to it.
// Legitimate: writes of the cycle during which the lease was *lost* (its connection died): the
// preset tasks already running go on — the overlap upstream documents (spec §10.1.1).
import { LockId } from "../../db/constants.ts";
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind } from "../lines.ts";
import type { ReferenceModel } from "../reference/referenceModel.ts";
import type { RunModel } from "../runModel.ts";

const WRITES = new Set(["workspace.create", "build.create", "job.cancel", "workspace.delete"]);

export class WritesInsideLease implements InvariantChecker {
  readonly name = "writes-inside-lease";
  readonly kind = "safety";
  readonly #log = new ViolationLog(this.name);
  /** replica → the line of the lock.acquire of the lease it holds */
  readonly #held = new Map<string, number>();
  /** replica → where its last lease ended: the line, and the cycle it was lost in (if lost) */
  readonly #ended = new Map<string, { line: number; lostInCycle: number | undefined }>();
  /** replica → the lease end already reported */
  readonly #reported = new Map<string, number>();

  constructor(private readonly reference: ReferenceModel) {}

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    if (!this.reference.isReplica(line.actor)) return;
    if (isKind(line, "lock.acquire")) {
      if (line.lock === LockId.ReconcilePrebuilds) this.#held.set(line.actor, line.seq);
    } else if (isKind(line, "lock.release") || isKind(line, "lock.lost")) {
      if (line.lock !== LockId.ReconcilePrebuilds || !this.#held.has(line.actor)) return;
      this.#held.delete(line.actor);
      const lost = line.kind === "lock.lost" ? model.cycle(line.actor)?.startLine : undefined;
      this.#ended.set(line.actor, { line: line.seq, lostInCycle: lost });
    } else if (WRITES.has(line.kind)) {
      if (this.#held.has(line.actor)) return;
      const ended = this.#ended.get(line.actor);
      const cycle = model.cycle(line.actor);
      if (ended?.lostInCycle !== undefined && ended.lostInCycle === cycle?.startLine) return;
      const since = ended?.line ?? 0;
      if (this.#reported.get(line.actor) === since) return;
      this.#reported.set(line.actor, since);
      const what =
        ended === undefined ? "before it ever held the lock" : `after its lease ended at line ${since}`;
      this.#log.add(
        instantOf(line),
        line.actor,
        `${line.actor} wrote (${line.kind}) ${what}, outside any lease of the reconciliation lock`,
        [ended?.line, cycle?.startLine, line.seq],
      );
    }
  }

  finish(): void {}
}
