// The store a replica gets from `Database.connect(name)`. Every operation is one park point
// followed by one atomic step; `inTx` is either a lock session (READ ONLY) or one real atomic
// read-write transaction (see store.ts and lockSessionStore.ts).
import { type SimulatedConnection, transactionModeSql } from "./connection.ts";
import { toDatabaseError } from "./errors.ts";
import { LockSessionStore } from "./lockSessionStore.ts";
import type { Query } from "./queries/sql.ts";
import { QueryStore } from "./queryStore.ts";
import type { Store, StoreScope, TxOptions } from "./store.ts";
import { TxStore } from "./txStore.ts";

export class RootStore extends QueryStore {
  readonly scope: StoreScope = "root";

  constructor(private readonly conn: SimulatedConnection) {
    super();
  }

  get connection(): string {
    return this.conn.name;
  }

  async inTx<T>(fn: (tx: Store) => Promise<T>, options?: TxOptions): Promise<T> {
    this.conn.gate.assertOutsideTransaction("inTx", this.scope, this.conn.name, this.conn.task());
    if (options?.readOnly === true) return this.#lockSession(fn, options);

    await this.conn.park("inTx");
    const txIdentifier = options?.txIdentifier ?? "tx";
    const holder = this.conn.locks.newHolder(this.conn.name, txIdentifier);
    const mode = transactionModeSql(options, false);
    let committed = false;
    try {
      const result = await this.conn.gate.transaction(
        { connection: this.conn.name, txIdentifier },
        async (exec) => {
          await exec.exec(mode);
          const tx = new TxStore(this.conn, exec, holder);
          try {
            return await fn(tx);
          } finally {
            tx.close();
          }
        },
        this.conn.task(),
      );
      committed = true;
      return result;
    } catch (err) {
      throw toDatabaseError(err, `InTx(${txIdentifier})`, this.conn.name);
    } finally {
      this.conn.locks.release(holder, committed ? "commit" : "rollback");
    }
  }

  /** Outside a transaction the xact lock lives for one statement: taken and released at once. */
  async tryAcquireLock(lockId: number): Promise<boolean> {
    this.conn.gate.assertOutsideTransaction("TryAcquireLock", this.scope, this.conn.name, this.conn.task());
    await this.conn.park("TryAcquireLock");
    this.conn.faults.check("TryAcquireLock", this.conn.name, this.conn.clock.now());
    const holder = this.conn.locks.newHolder(this.conn.name, "autocommit");
    const acquired = this.conn.locks.tryAcquire(lockId, holder);
    this.conn.locks.release(holder, "statement-end");
    return acquired;
  }

  protected async runQuery<A extends unknown[], R>(query: Query<A, R>, ...args: A): Promise<R> {
    this.conn.gate.assertOutsideTransaction(query.name, this.scope, this.conn.name, this.conn.task());
    await this.conn.park(query.name);
    this.conn.faults.check(query.name, this.conn.name, this.conn.clock.now());
    try {
      return await this.conn.gate.statement((exec) => query.run(exec, ...args));
    } catch (err) {
      throw toDatabaseError(err, query.name, this.conn.name);
    }
  }

  async #lockSession<T>(fn: (tx: Store) => Promise<T>, options: TxOptions): Promise<T> {
    const holder = this.conn.locks.newHolder(this.conn.name, options.txIdentifier ?? "lockSession");
    const session = new LockSessionStore(this.conn, holder, options);
    try {
      return await fn(session);
    } finally {
      session.end();
    }
  }
}
