// Simulated PostgreSQL advisory locks with transaction-scoped semantics
// (`pg_try_advisory_xact_lock`). PGlite has one session, so its own advisory locks never contend
// (notes/TOOLCHAIN.md); replicas contend here instead.
//
// A lease belongs to a holder: one transaction or lock session on one simulated connection. It is
// re-entrant for that holder, refused to every other holder (as two PostgreSQL sessions refuse
// each other, even from the same replica's pool), and ends when the holder's transaction or
// session ends — or early, when its connection is lost (the failure mode of spec §10.1.1).
// Every change is published as a lease event for the trace and the `single-lock-holder` check.
import type { Clock, Instant } from "../clock/types.ts";

/** Who holds (or asks for) a lease: one transaction or lock session. Plain data, for traces. */
export interface LockHolder {
  readonly connection: string;
  /** Unique per lock manager, in creation order. */
  readonly transaction: number;
  /** The transaction's identifier, e.g. "prebuilds.WithReconciliationLock". */
  readonly txIdentifier: string;
}

export type LeaseEndReason = "commit" | "rollback" | "session-end" | "statement-end" | "connection-lost";

export type LeaseEvent =
  | { kind: "acquired"; lockId: number; holder: LockHolder; at: Instant }
  | { kind: "reentered"; lockId: number; holder: LockHolder; at: Instant }
  | { kind: "refused"; lockId: number; holder: LockHolder; heldBy: LockHolder; at: Instant }
  | { kind: "released"; lockId: number; holder: LockHolder; reason: LeaseEndReason; at: Instant };

export type LeaseListener = (event: LeaseEvent) => void;

interface Lease {
  holder: LockHolder;
  /** How many times the holder took it; PostgreSQL stacks xact locks the same way. */
  depth: number;
}

export class LockManager {
  readonly #clock: Pick<Clock, "now">;
  readonly #leases = new Map<number, Lease>();
  readonly #generations = new Map<string, number>();
  readonly #listeners = new Set<LeaseListener>();
  #transactions = 0;

  constructor(clock: Pick<Clock, "now">) {
    this.#clock = clock;
  }

  /** A new holder identity for a transaction or lock session on `connection`. */
  newHolder(connection: string, txIdentifier: string): LockHolder {
    this.#transactions += 1;
    return { connection, transaction: this.#transactions, txIdentifier };
  }

  /** Non-blocking: true when `holder` now holds `lockId` (again, if it already did). */
  tryAcquire(lockId: number, holder: LockHolder): boolean {
    const lease = this.#leases.get(lockId);
    if (lease === undefined) {
      this.#leases.set(lockId, { holder, depth: 1 });
      this.#emit({ kind: "acquired", lockId, holder, at: this.#clock.now() });
      return true;
    }
    if (lease.holder.transaction === holder.transaction) {
      lease.depth += 1;
      this.#emit({ kind: "reentered", lockId, holder, at: this.#clock.now() });
      return true;
    }
    this.#emit({ kind: "refused", lockId, holder, heldBy: lease.holder, at: this.#clock.now() });
    return false;
  }

  /** Ends every lease of `holder` (its transaction or session ended), in lock-id order. */
  release(holder: LockHolder, reason: LeaseEndReason): void {
    for (const lockId of this.#heldIds((h) => h.transaction === holder.transaction)) {
      this.#leases.delete(lockId);
      this.#emit({ kind: "released", lockId, holder, reason, at: this.#clock.now() });
    }
  }

  /**
   * The connection broke: every lease held through it ends now, and the lock sessions open on it
   * fail their next statement (they compare `generation`). Returns how many leases ended.
   */
  loseConnection(connection: string): number {
    this.#generations.set(connection, this.generation(connection) + 1);
    const held = this.#heldIds((h) => h.connection === connection);
    for (const lockId of held) {
      const lease = this.#leases.get(lockId) as Lease;
      this.#leases.delete(lockId);
      this.#emit({
        kind: "released",
        lockId,
        holder: lease.holder,
        reason: "connection-lost",
        at: this.#clock.now(),
      });
    }
    return held.length;
  }

  /** Bumped by every `loseConnection`; a session opened under an older generation is dead. */
  generation(connection: string): number {
    return this.#generations.get(connection) ?? 0;
  }

  holderOf(lockId: number): LockHolder | undefined {
    return this.#leases.get(lockId)?.holder;
  }

  subscribe(listener: LeaseListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #heldIds(match: (h: LockHolder) => boolean): number[] {
    // Every transaction's end asks; usually nothing (or one lock) is held: no copies, no sort.
    const ids: number[] = [];
    for (const [id, lease] of this.#leases) if (match(lease.holder)) ids.push(id);
    if (ids.length > 1) ids.sort((a, b) => a - b);
    return ids;
  }

  #emit(event: LeaseEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
