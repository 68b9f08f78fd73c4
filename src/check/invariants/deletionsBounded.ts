// `deletions-bounded` (safety): a cycle deletes no more prebuilds of an active preset than upstream's
// rules allow (spec §3.6, §3.7 step 3): every expired one, plus the surplus of the valid ones over
// desired — `expired + max(running − desired, 0)`, with running the prebuilds that have NOT
// expired. A reconciler that counts the expired prebuilds into the surplus deletes them and, in
// the same cycle, as many valid ones again; the pool dips below desired with nothing in the end
// state to show it. Counted by the reference model as the cycle's snapshot could have seen them:
// the largest allowance any view of the window gives, with expiry judged at the decision (widened
// by the replicas' largest clock skew) and the smaller of desired's values at the cycle's start
// and at the decision.
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind } from "../lines.ts";
import { CycleDecisions } from "../reference/cycleDecisions.ts";
import type { ReferenceModel } from "../reference/referenceModel.ts";
import type { RunModel } from "../runModel.ts";

export class DeletionsBounded implements InvariantChecker {
  readonly name = "deletions-bounded";
  readonly kind = "safety";
  readonly #log = new ViolationLog(this.name);
  readonly #decisions: CycleDecisions;
  /** actor → its current cycle's clock at the start line */
  readonly #startClock = new Map<string, number>();

  constructor(private readonly reference: ReferenceModel) {
    this.#decisions = new CycleDecisions(reference);
  }

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    this.#decisions.observe(line, model);
    if (isKind(line, "reconcile.cycle.start")) {
      this.#startClock.set(line.actor, this.reference.clockOf(line.actor, instantOf(line)));
      return;
    }
    if (!isKind(line, "reconcile.cycle.end")) return;
    const start = this.#startClock.get(line.actor);
    if (start === undefined) return;
    for (const { key, decision, views } of this.#decisions.judgeable(line, false)) {
      if (decision.deleted.size === 0 || !views.every((v) => v.active)) continue;
      let allowed = -1;
      let why = "";
      for (const v of views) {
        const desired = this.reference.leastDesired(key, start, decision.now, v);
        // Expiring one more never lowers the allowance, so the latest instant the port may have
        // judged expiry at gives the largest: the decision, plus the replicas' largest skew.
        const running = this.reference.unexpired(v, key, decision.now + this.reference.clockSpread()).length;
        const expired = v.running.length - running;
        const bound = expired + Math.max(running - desired, 0);
        if (bound > allowed) {
          allowed = bound;
          why = `desired ${desired}, running ${running}, expired ${expired}`;
        }
      }
      if (decision.deleted.size <= allowed) continue;
      this.#log.add(
        instantOf(line),
        key,
        `${line.actor}'s cycle deleted ${decision.deleted.size} prebuild(s) of ${key}, but upstream deletes at most ${allowed} (${why})`,
        [model.cycle(line.actor)?.startLine, decision.line, ...decision.deleted.values(), line.seq],
      );
    }
  }

  finish(): void {}
}
