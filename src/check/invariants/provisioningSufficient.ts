// `provisioning-sufficient` (liveness, within one cycle): a cycle creates at least what upstream's
// rules require of it — `max(desired − running − starting, 0)` (spec §3.7 step 3.3), unless the
// preset is in backoff (§2.7, §3.7 step 1) or hard-limited (§2.8, §4.8 b). The reference model
// recomputes all of it from the builds: the backoff row and the hard-limit query as each view of
// the cycle's snapshot window would have read them, so a reconciler that stays in backoff one
// interval too long, counts failures older than the lookback, or counts the hard limit over every
// failed build instead of the latest ones under-creates, and this oracle says so. The bound
// `provisioning-bounded` gives from above, this one gives from below.
// Judged at the end of a cycle that held the lock, was not paused and ended without error, for
// each active preset it decided on without logging an error for it (a failed creation is the
// fault's doing, not the rule's) and whose status never became `validation_failed`. It stays
// silent when any view of the window, or either end of it, leaves room for doubt: the backoff is
// taken as holding if any view's window still covers the decision, the hard limit if any view
// shows it, desired is the smaller of its values at the cycle's start and at the decision, and
// running counts what had not yet expired at the cycle's start — each widened by the replicas'
// largest clock skew, since the port reads creation times its replicas' clocks stamped.
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind } from "../lines.ts";
import { CycleDecisions } from "../reference/cycleDecisions.ts";
import type { ReferenceModel } from "../reference/referenceModel.ts";
import type { RunModel } from "../runModel.ts";
import { isPrebuildCreation } from "./createClamped.ts";

export class ProvisioningSufficient implements InvariantChecker {
  readonly name = "provisioning-sufficient";
  readonly kind = "liveness";
  readonly #log = new ViolationLog(this.name);
  readonly #decisions: CycleDecisions;
  /** actor → its current cycle's clock at the start line */
  readonly #startClock = new Map<string, number>();
  /** actor → preset → the creation lines of its current cycle */
  readonly #created = new Map<string, Map<string, number[]>>();

  constructor(private readonly reference: ReferenceModel) {
    this.#decisions = new CycleDecisions(reference);
  }

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    this.#decisions.observe(line, model);
    const actor = line.actor;
    if (isKind(line, "reconcile.cycle.start")) {
      this.#startClock.set(actor, this.reference.clockOf(actor, instantOf(line)));
      this.#created.set(actor, new Map());
    } else if (isKind(line, "build.create") && isPrebuildCreation(line)) {
      const key = model.presetKey(line.preset);
      const created = this.#created.get(actor);
      if (key === null || created === undefined) return;
      created.set(key, [...(created.get(key) ?? []), line.seq]);
    } else if (isKind(line, "reconcile.cycle.end")) {
      if (!line.lockAcquired || line.paused || line.error !== undefined) return;
      const start = this.#startClock.get(actor);
      const cycle = model.cycle(actor);
      if (start === undefined || cycle === undefined) return;
      const failed = this.reference.failed(actor);
      for (const [key, decision] of this.#decisions.of(actor)) {
        if (failed.has(key) || this.reference.validationFailed(key)) continue;
        const views = this.reference.snapshotViews(actor, key);
        if (views.length === 0 || !views.every((v) => v.active && v.onActiveVersion)) continue;
        const now = decision.now;
        const spread = this.reference.clockSpread();
        if (
          views.some((v) => v.hardLimited || (v.backoffUntil !== undefined && now <= v.backoffUntil + spread))
        )
          continue;
        let required = Number.POSITIVE_INFINITY;
        let why = "";
        for (const v of views) {
          const desired = this.reference.leastDesired(key, start, now, v);
          const running = this.reference.unexpired(v, key, start - spread).length;
          const missing = Math.max(desired - running - v.starting, 0);
          if (missing < required) {
            required = missing;
            why = `desired ${desired}, running ${running}, starting ${v.starting}`;
          }
        }
        const created = this.#created.get(actor)?.get(key) ?? [];
        if (created.length >= required) continue;
        this.#log.add(
          instantOf(line),
          key,
          `${actor}'s cycle created ${created.length} prebuild(s) for ${key}, but upstream creates ${required} (${why}; not in backoff, not hard-limited)`,
          [cycle.startLine, decision.line, ...created, line.seq],
        );
      }
    }
  }

  finish(): void {}
}
