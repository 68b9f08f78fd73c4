// One gate per driver: lets exactly one statement or transaction use the driver's single session
// at a time (FIFO), and knows whether the caller is inside a transaction callback. Calling an
// outer store from inside a transaction would queue behind that very transaction and hang PGlite
// forever (notes/TOOLCHAIN.md); the gate turns that into an error.
//
// Inside a kernel task "the caller" is the task: a task holds the baton from the start of its
// transaction to its end (nothing parks inside one, txStore.ts, and one task cannot have two store
// calls in flight: its second park would find it parked already), so while a task's transaction
// is open, every store call that task makes comes from the transaction's own callback, and no
// other task makes any. Outside tasks (tests, fixtures written before the kernel runs) the caller
// is the async context, told by AsyncLocalStorage. Tasks do not use it because on Node 20 its
// first `run` turns on promise hooks for the whole process, which then cost something on every
// promise a simulation creates (about 5% of a claim-heavy day's CPU).
import { AsyncLocalStorage } from "node:async_hooks";
import type { SqlDriver, SqlExecutor } from "./driver.ts";
import { StoreMisuseError } from "./errors.ts";

interface OpenTransaction {
  connection: string;
  txIdentifier: string;
}

export class DriverGate {
  readonly driver: SqlDriver;
  readonly #inTransaction = new AsyncLocalStorage<OpenTransaction>();
  /** The transaction a kernel task is running now, and that task. */
  #taskTransaction: { task: unknown; open: OpenTransaction } | null = null;
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(driver: SqlDriver) {
    this.driver = driver;
  }

  static #gates = new WeakMap<SqlDriver, DriverGate>();

  /** The gate of this driver (shared by every Database and connection that uses it). */
  static of(driver: SqlDriver): DriverGate {
    let gate = DriverGate.#gates.get(driver);
    if (gate === undefined) {
      gate = new DriverGate(driver);
      DriverGate.#gates.set(driver, gate);
    }
    return gate;
  }

  /**
   * Throws when the caller is inside a transaction callback. `task` is the kernel task making the
   * call (null outside tasks: then the async context tells).
   */
  assertOutsideTransaction(what: string, scope: string, connection: string, task: unknown): void {
    const running = this.#taskTransaction;
    const open =
      task === null
        ? this.#inTransaction.getStore()
        : running !== null && running.task === task
          ? running.open
          : undefined;
    if (open === undefined) return;
    throw new StoreMisuseError(
      `${what} called on the ${scope} store of connection ${connection} inside transaction ` +
        `"${open.txIdentifier}" of connection ${open.connection}: use the transaction-scoped store ` +
        "passed to the inTx callback (the outer store would wait for this transaction forever)",
    );
  }

  /** Runs one autocommit statement (or a few, via `exec`) when the session is free. */
  statement<T>(fn: (q: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#exclusive(() => fn(this.driver));
  }

  /** Runs `fn` in one real transaction when the session is free; `task` as for `assertOutsideTransaction`. */
  transaction<T>(open: OpenTransaction, fn: (q: SqlExecutor) => Promise<T>, task: unknown): Promise<T> {
    if (task === null)
      return this.#exclusive(() =>
        this.driver.transaction((tx) => this.#inTransaction.run(open, () => fn(tx))),
      );
    return this.#exclusive(async () => {
      this.#taskTransaction = { task, open };
      try {
        return await this.driver.transaction(fn);
      } finally {
        this.#taskTransaction = null;
      }
    });
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    // The next caller waits for this one to settle, whether it succeeded or not.
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
