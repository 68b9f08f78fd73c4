// Go's context.Context for cancellation, built on AbortSignal (which the clock's tickerFunc takes).
// A context is canceled by its cancel function, by its parent, or, for withTimeout, when the
// virtual clock reaches its deadline. `err` is ContextCanceledError or DeadlineExceededError
// (Go's ctx.Err()), `cause` is what cancel was given, else `err` (Go's context.Cause). `done`
// parks until cancellation, and a context is a Selectable, so a task can wait on it together
// with a ticker: `select(kernel, ctx, ticker.c)`.

import { EMPTY, type Empty, type Receiver, type Selectable } from "../clock/selectable.ts";
import type { Duration, Timer } from "../clock/types.ts";
import type { Kernel } from "./kernel.ts";

/** Go's context.Canceled. */
export class ContextCanceledError extends Error {
  constructor(label: string) {
    super(`context ${label} canceled`);
    this.name = "ContextCanceledError";
  }
}

/** Go's context.DeadlineExceeded. */
export class DeadlineExceededError extends Error {
  constructor(label: string) {
    super(`context ${label} deadline exceeded`);
    this.name = "DeadlineExceededError";
  }
}

export type CancelFunc = (cause?: unknown) => void;

export class Context implements Selectable<unknown> {
  /**
   * Made when `signal` is first asked for (few contexts ever are; a reconcile cycle makes and
   * cancels one per task-group task): a signal first asked for after the cancellation is made
   * aborted with the same cause, which is what it would be had it been made at once.
   */
  #controller: AbortController | undefined;
  readonly #children = new Set<Context>();
  readonly #receivers: Receiver<unknown>[] = [];
  readonly #doneReason: string;
  #err: Error | undefined;
  #cause: unknown;
  #timer: Timer | undefined;

  private constructor(
    readonly kernel: Kernel,
    readonly parent: Context | null,
    readonly label: string,
  ) {
    this.#doneReason = `wait for context ${label} to be canceled`;
    if (parent) {
      if (parent.#err) this.#cancel(parent.#err, parent.#cause);
      else parent.#children.add(this);
    }
  }

  /** The root context: never canceled. */
  static background(kernel: Kernel): Context {
    return new Context(kernel, null, "background");
  }

  /** Aborts with the cause when the context is canceled. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#err) this.#controller.abort(this.#cause);
    }
    return this.#controller.signal;
  }

  get err(): Error | undefined {
    return this.#err;
  }

  get cause(): unknown {
    return this.#cause;
  }

  get canceled(): boolean {
    return this.#err !== undefined;
  }

  /** A child canceled by the returned function (with an optional cause) or with this context. */
  withCancel(label = `${this.label}/cancel`): { ctx: Context; cancel: CancelFunc } {
    const ctx = new Context(this.kernel, this, label);
    return { ctx, cancel: (cause) => ctx.#cancelBy(cause) };
  }

  /** A child that is also canceled with DeadlineExceededError once d of virtual time has passed. */
  withTimeout(d: Duration, label = `${this.label}/timeout`): { ctx: Context; cancel: CancelFunc } {
    const child = this.withCancel(label);
    const ctx = child.ctx;
    if (ctx.canceled) return child;
    const expire = (): void => {
      const err = new DeadlineExceededError(label);
      ctx.#cancel(err, err);
    };
    if (d <= 0) {
      expire();
      return child;
    }
    // The deadline cancels synchronously when the clock fires it: no task is spawned for it.
    const timer = this.kernel.clock.newTimer(d, "context", label);
    timer.c.addReceiver({
      deliver: () => {
        expire();
        return true;
      },
    });
    ctx.#timer = timer;
    return child;
  }

  /** Parks until the context is canceled; resolves with the cause. */
  done(): Promise<unknown> {
    if (this.#err) return Promise.resolve(this.#cause);
    const parked = this.kernel.park<unknown>(this.#doneReason);
    this.#receivers.push(parked);
    return parked.promise;
  }

  poll(): unknown | Empty {
    return this.#err ? this.#cause : EMPTY;
  }

  addReceiver(receiver: Receiver<unknown>): void {
    this.#receivers.push(receiver);
  }

  removeReceiver(receiver: Receiver<unknown>): void {
    const i = this.#receivers.indexOf(receiver);
    if (i >= 0) this.#receivers.splice(i, 1);
  }

  #cancelBy(cause: unknown): void {
    const err = new ContextCanceledError(this.label);
    this.#cancel(err, cause ?? err);
  }

  #cancel(err: Error, cause: unknown): void {
    if (this.#err) return;
    this.#err = err;
    this.#cause = cause;
    this.#timer?.stop();
    this.#timer = undefined;
    if (this.parent) this.parent.#children.delete(this);
    for (const child of [...this.#children]) child.#cancel(err, cause);
    this.#children.clear();
    this.#controller?.abort(cause);
    for (const r of this.#receivers.splice(0)) r.deliver(cause);
  }
}
