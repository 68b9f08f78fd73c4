// One gate per driver: lets exactly one statement or transaction use the driver's single session
// at a time (FIFO), and knows — per async context — whether the caller is inside a transaction
// callback. Calling an outer store from inside a transaction would queue behind that very
// transaction and hang PGlite forever (notes/TOOLCHAIN.md); the gate turns that into an error.
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

  /** Throws when the calling async context is inside a transaction callback. */
  assertOutsideTransaction(what: string, scope: string, connection: string): void {
    const open = this.#inTransaction.getStore();
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

  /** Runs `fn` in one real transaction when the session is free. */
  transaction<T>(open: OpenTransaction, fn: (q: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#exclusive(() =>
      this.driver.transaction((tx) => this.#inTransaction.run(open, () => fn(tx))),
    );
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
