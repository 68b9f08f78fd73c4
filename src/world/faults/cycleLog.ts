// Every reconciliation cycle of a run with the number of its store operations, for
// `explore --perturb` (issue #13 part 4): its first, unperturbed run records where a perturbation
// can land. A cycle and its statements are counted exactly as `CycleWatch` counts them for a
// trigger (the holder's statements between the lease's start and its end), so "after k statements
// of cycle c" here is the point `afterStatements: k` strikes there. Listening draws nothing and
// parks nowhere: recording changes no run.
import type { Instant } from "../../clock/types.ts";
import { LockId } from "../../db/constants.ts";
import type { Database } from "../../db/database.ts";

export interface RecordedCycle {
  /** The replica (its connection) holding the reconciliation lock. */
  readonly replica: string;
  /** 1 for the replica's first locked cycle of the run, 2 for its second, … */
  readonly cycle: number;
  readonly acquiredAt: Instant;
  /** When the replica's previous locked cycle ended (the run's start for its first). */
  readonly previousEnd: Instant;
  /** The holder's statements during the cycle: a trigger can strike before each of them. */
  statements: number;
}

export class CycleLog {
  readonly #cycles: RecordedCycle[] = [];
  #open: RecordedCycle | null = null;
  readonly #lastEnd = new Map<string, Instant>();
  readonly #counts = new Map<string, number>();

  constructor(database: Database, start: Instant) {
    database.locks.subscribe((e) => {
      if (e.lockId !== LockId.ReconcilePrebuilds) return;
      const replica = e.holder.connection;
      if (e.kind === "acquired") {
        const cycle = (this.#counts.get(replica) ?? 0) + 1;
        this.#counts.set(replica, cycle);
        this.#open = {
          replica,
          cycle,
          acquiredAt: e.at,
          previousEnd: this.#lastEnd.get(replica) ?? start,
          statements: 0,
        };
        this.#cycles.push(this.#open);
      } else if (e.kind === "released" && this.#open?.replica === replica) {
        this.#lastEnd.set(replica, e.at);
        this.#open = null;
      }
    });
    database.faults.onStatement((_query, connection) => {
      if (this.#open !== null && connection === this.#open.replica) this.#open.statements += 1;
    });
  }

  /** The cycles so far, in the order their leases began. */
  get cycles(): readonly RecordedCycle[] {
    return this.#cycles;
  }
}
