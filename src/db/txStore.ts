// The store inside one real, atomic transaction: statements run at once on the transaction's
// handle, never parking (a park inside a PGlite transaction would deadlock its single session).
import type { SimulatedConnection } from "./connection.ts";
import type { SqlExecutor } from "./driver.ts";
import { StoreMisuseError, toDatabaseError } from "./errors.ts";
import type { LockHolder } from "./lockManager.ts";
import type { Query } from "./queries/sql.ts";
import { QueryStore } from "./queryStore.ts";
import type { Store, StoreScope } from "./store.ts";

export class TxStore extends QueryStore {
  readonly scope: StoreScope = "transaction";
  #open = true;

  constructor(
    private readonly conn: SimulatedConnection,
    private readonly exec: SqlExecutor,
    /** Leases taken here belong to this holder: the transaction, or the enclosing lock session. */
    private readonly holder: LockHolder,
  ) {
    super();
  }

  get connection(): string {
    return this.conn.name;
  }

  /** Called when the transaction commits or rolls back; the handle is dead from then on. */
  close(): void {
    this.#open = false;
  }

  /** Upstream's InTx on a transaction store reuses that transaction. */
  inTx<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    this.#assertOpen("inTx");
    return fn(this);
  }

  async tryAcquireLock(lockId: number): Promise<boolean> {
    this.#assertOpen("TryAcquireLock");
    this.conn.faults.check("TryAcquireLock", this.conn.name, this.conn.clock.now());
    return this.conn.locks.tryAcquire(lockId, this.holder);
  }

  protected async runQuery<A extends unknown[], R>(query: Query<A, R>, ...args: A): Promise<R> {
    this.#assertOpen(query.name);
    this.conn.faults.check(query.name, this.conn.name, this.conn.clock.now());
    try {
      return await query.run(this.exec, ...args);
    } catch (err) {
      throw toDatabaseError(err, query.name, this.conn.name);
    }
  }

  #assertOpen(what: string): void {
    if (this.#open) return;
    throw new StoreMisuseError(
      `${what} called on a transaction-scoped store of connection ${this.conn.name} (transaction ` +
        `"${this.holder.txIdentifier}") after its transaction ended`,
    );
  }
}
