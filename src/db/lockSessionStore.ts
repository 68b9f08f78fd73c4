// The lock session: how this project simulates upstream's long READ ONLY REPEATABLE READ lock
// transaction (spec §4.5, deviation in §12). PGlite has one session, so a transaction held open
// across a whole reconcile cycle — while other transactions write — cannot exist there. Instead:
// - the session is opened by a READ ONLY `inTx` on a root store, and lives until its callback
//   returns;
// - each statement in it is one atomic step that parks first, run in its own short read-only
//   transaction (so a write fails as PostgreSQL's read-only transaction would make it fail);
// - `tryAcquireLock` leases the lock to the session: re-entrant, refused to everyone else, ended
//   when the callback returns or when the connection is lost (then its next statement fails,
//   as a statement on a broken connection does, while work already handed to other stores goes
//   on — spec §10.1.1);
// - an `inTx` nested on the session is "the same transaction" to the caller (snapshotState reuses
//   it): it runs as ONE real atomic read-only transaction, so the snapshot is consistent.
import { type SimulatedConnection, transactionModeSql } from "./connection.ts";
import { DatabaseError, SqlState, StoreMisuseError, toDatabaseError } from "./errors.ts";
import type { LockHolder } from "./lockManager.ts";
import type { Query } from "./queries/sql.ts";
import { QueryStore } from "./queryStore.ts";
import type { Store, StoreScope, TxOptions } from "./store.ts";
import { TxStore } from "./txStore.ts";

export class LockSessionStore extends QueryStore {
  readonly scope: StoreScope = "lockSession";
  readonly #generation: number;
  #ended = false;

  constructor(
    private readonly conn: SimulatedConnection,
    readonly holder: LockHolder,
    private readonly options: TxOptions | undefined,
  ) {
    super();
    this.#generation = conn.locks.generation(conn.name);
  }

  get connection(): string {
    return this.conn.name;
  }

  /** The session's callback returned (or threw): its leases end. */
  end(): void {
    this.#ended = true;
    this.conn.locks.release(this.holder, "session-end");
  }

  async inTx<T>(fn: (tx: Store) => Promise<T>, options?: TxOptions): Promise<T> {
    await this.#step("inTx");
    const mode = transactionModeSql(options ?? this.options, true);
    const open = {
      connection: this.conn.name,
      txIdentifier: options?.txIdentifier ?? this.holder.txIdentifier,
    };
    try {
      return await this.conn.gate.transaction(
        open,
        async (exec) => {
          await exec.exec(mode);
          const tx = new TxStore(this.conn, exec, this.holder);
          try {
            return await fn(tx);
          } finally {
            tx.close();
          }
        },
        this.conn.task(),
      );
    } catch (err) {
      throw toDatabaseError(err, `InTx(${open.txIdentifier})`, this.conn.name);
    }
  }

  async tryAcquireLock(lockId: number): Promise<boolean> {
    await this.#step("TryAcquireLock");
    this.conn.faults.check("TryAcquireLock", this.conn.name, this.conn.clock.now());
    return this.conn.locks.tryAcquire(lockId, this.holder);
  }

  protected async runQuery<A extends unknown[], R>(query: Query<A, R>, ...args: A): Promise<R> {
    await this.#step(query.name);
    this.conn.faults.check(query.name, this.conn.name, this.conn.clock.now());
    const mode = transactionModeSql(this.options, true);
    const open = { connection: this.conn.name, txIdentifier: this.holder.txIdentifier };
    try {
      return await this.conn.gate.transaction(
        open,
        async (exec) => {
          await exec.exec(mode);
          return query.run(exec, ...args);
        },
        this.conn.task(),
      );
    } catch (err) {
      throw toDatabaseError(err, query.name, this.conn.name);
    }
  }

  /** Checks the session is usable, parks for the round trip, and checks again (the connection may break meanwhile). */
  async #step(what: string): Promise<void> {
    this.#assertUsable(what);
    this.conn.gate.assertOutsideTransaction(what, this.scope, this.conn.name, this.conn.task());
    await this.conn.park(what);
    this.#assertUsable(what);
  }

  #assertUsable(what: string): void {
    if (this.#ended) {
      throw new StoreMisuseError(
        `${what} called on the lock session "${this.holder.txIdentifier}" of connection ${this.conn.name} after its inTx returned`,
      );
    }
    if (this.conn.locks.generation(this.conn.name) !== this.#generation) {
      throw new DatabaseError({
        message: `the connection of lock session "${this.holder.txIdentifier}" was lost`,
        code: SqlState.ConnectionFailure,
        query: what,
        connection: this.conn.name,
      });
    }
  }
}
