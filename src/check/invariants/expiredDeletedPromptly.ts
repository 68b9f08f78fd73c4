// `expired-deleted-promptly` (liveness, within one cycle): a running prebuild of an active preset
// that is expired — created before the preset's invalidation, or older than its TTL (spec §3.3) —
// gets its delete build from the first cycle that sees it so (spec §3.7 step 3.1). Judged at the
// end of each cycle that held the lock, was not paused, ended without error, evaluated the preset
// without logging a problem for it, and found it outside backoff (backoff blocks deletions too,
// spec §10.2.2): every prebuild the snapshot surely saw running and expired at the decision must
// have a delete build of this cycle, or have been claimed or deleted meanwhile. Expired prebuilds
// of inactive presets are never deleted upstream (spec §10.2.1) and are not judged here.
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind, PREBUILDS_INITIATOR } from "../lines.ts";
import { CycleDecisions } from "../reference/cycleDecisions.ts";
import type { ReferenceModel } from "../reference/referenceModel.ts";
import { surelyRunning } from "../reference/snapshotWindow.ts";
import type { RunModel } from "../runModel.ts";

export class ExpiredDeletedPromptly implements InvariantChecker {
  readonly name = "expired-deleted-promptly";
  readonly kind = "liveness";
  readonly #log = new ViolationLog(this.name);
  readonly #decisions: CycleDecisions;
  /** actor → presets in backoff when its cycle started */
  readonly #backoffAtStart = new Map<string, Set<string>>();
  readonly #reported = new Set<string>();

  constructor(private readonly reference: ReferenceModel) {
    this.#decisions = new CycleDecisions(reference);
  }

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    this.#decisions.observe(line, model);
    if (isKind(line, "reconcile.cycle.start")) {
      const now = this.reference.clockOf(line.actor, instantOf(line));
      this.#backoffAtStart.set(
        line.actor,
        new Set(this.reference.presetKeys.filter((k) => this.reference.backoffUntil(k, now) !== undefined)),
      );
      return;
    }
    if (!isKind(line, "reconcile.cycle.end")) return;
    const cycle = model.cycle(line.actor);
    if (cycle === undefined) return;
    for (const { key, decision, views } of this.#decisions.judgeable(line, true)) {
      if (this.#backoffAtStart.get(line.actor)?.has(key)) continue;
      if (this.reference.backoffUntil(key, decision.now) !== undefined) continue;
      if (!views.every((v) => v.active)) continue;
      for (const ws of surelyRunning(views)) {
        if (!views.every((v) => this.reference.isExpired(ws, key, decision.now, v))) continue;
        if (decision.deleted.has(ws.id) || ws.deleted || ws.owner !== PREBUILDS_INITIATOR) continue;
        if (this.#reported.has(ws.id)) continue;
        this.#reported.add(ws.id);
        this.#log.add(
          instantOf(line),
          key,
          `${line.actor}'s cycle saw prebuild ${ws.id} of ${key} expired at ${new Date(decision.now).toISOString()} but did not delete it`,
          [ws.createLine, cycle.startLine, decision.line, line.seq],
        );
      }
    }
  }

  finish(): void {}
}
