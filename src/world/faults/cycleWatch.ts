// Where a replica is inside its reconciliation cycle, for faults that strike partway through one
// (issue #13 part 1). A cycle, here, is the time a replica holds the reconciliation lock; its
// store operations are the statements its connection runs meanwhile (the lock session's reads
// and the preset tasks' writes; a metrics refresh of the same replica that overlaps counts too).
// The db layer tells every statement (`QueryFaults.onStatement`) and every lease change; nothing
// here draws from a random stream or parks, so watching changes no run.

import { LockId } from "../../db/constants.ts";
import type { Database } from "../../db/database.ts";

export interface CycleTrigger {
  /** The replica whose cycle it waits for; null: whichever replica holds the lock. */
  readonly replica: string | null;
  /** Strike once this many of the cycle's statements have run (when the next one starts). */
  afterStatements: number;
  /**
   * A drawn count may be longer than a cycle: after a shorter cycle it shrinks to one less than
   * that cycle's statements, so the next cycle like it is struck. A count the scenario wrote stays.
   */
  readonly shrinks: boolean;
  /** Acts on the replica named `connection`; runs on that replica's task, before its statement. */
  readonly strike: (connection: string) => void;
}

interface Armed {
  readonly trigger: CycleTrigger;
  /** The holder's statement count when the trigger joined its cycle. */
  base: number;
}

export class CycleWatch {
  #holder: string | null = null;
  #statements = 0;
  readonly #armed: Armed[] = [];
  #afterCycle: Array<() => void> = [];

  constructor(database: Database) {
    database.locks.subscribe((e) => {
      if (e.lockId !== LockId.ReconcilePrebuilds) return;
      if (e.kind === "acquired") {
        this.#holder = e.holder.connection;
        this.#statements = 0;
        for (const a of this.#armed) a.base = 0;
      } else if (e.kind === "released" && e.holder.connection === this.#holder) {
        this.#cycleEnded();
      }
    });
    database.faults.onStatement((_query, connection) => {
      if (connection !== this.#holder) return;
      for (const a of [...this.#armed]) {
        if (!this.#matches(a.trigger) || this.#statements - a.base < a.trigger.afterStatements) continue;
        this.#armed.splice(this.#armed.indexOf(a), 1);
        a.trigger.strike(connection);
      }
      this.#statements += 1;
    });
  }

  /** The replica holding the reconciliation lock now, if any. */
  get holder(): string | null {
    return this.#holder;
  }

  /** Waits for the trigger's cycle (the current one counts from now); returns a disarm function. */
  arm(trigger: CycleTrigger): () => void {
    const armed: Armed = { trigger, base: this.#statements };
    this.#armed.push(armed);
    return () => {
      const i = this.#armed.indexOf(armed);
      if (i >= 0) this.#armed.splice(i, 1);
    };
  }

  /** Runs `act` once the current cycle ends (its lock is released or lost). */
  afterCycle(act: () => void): void {
    this.#afterCycle.push(act);
  }

  #matches(t: CycleTrigger): boolean {
    return t.replica === null || t.replica === this.#holder;
  }

  #cycleEnded(): void {
    for (const a of this.#armed) {
      const seen = this.#statements - a.base;
      if (this.#matches(a.trigger) && a.trigger.shrinks && seen <= a.trigger.afterStatements) {
        a.trigger.afterStatements = Math.max(0, seen - 1);
      }
      a.base = 0;
    }
    this.#holder = null;
    this.#statements = 0;
    const after = this.#afterCycle;
    this.#afterCycle = [];
    for (const act of after) act();
  }
}
