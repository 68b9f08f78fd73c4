// Go's errgroup: `go` runs a function as a task of the group, `wait` waits for all of them and
// returns the first error. With a limit (errgroup's SetLimit), `go` parks while `limit` tasks are
// running. With a context, the group's `ctx` is canceled (with the error as cause) at the first
// error and when `wait` returns. Errors returned by group tasks are results, not kernel failures.
import { Channel } from "./channel.ts";
import type { CancelFunc, Context } from "./context.ts";
import type { Kernel } from "./kernel.ts";
import { LazyWait } from "./lazy-wait.ts";
import { WaitGroup } from "./wait-group.ts";

export interface TaskGroupOptions {
  /** At most this many tasks run at once (a positive integer); unlimited when omitted. */
  limit?: number;
  /** Derives the group's `ctx` from this context. */
  context?: Context;
}

export class TaskGroup {
  readonly ctx: Context | undefined;
  readonly #cancel: CancelFunc | undefined;
  readonly #slots: Channel<true> | undefined;
  readonly #running: WaitGroup;
  #failure: { error: unknown } | undefined;

  constructor(
    private readonly kernel: Kernel,
    readonly label: string,
    options: TaskGroupOptions = {},
  ) {
    const { limit, context } = options;
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
      throw new RangeError(`task group ${label}: limit must be a positive integer, got ${limit}`);
    }
    this.#slots = limit === undefined ? undefined : new Channel<true>(kernel, `${label} slots`, limit);
    this.#running = new WaitGroup(kernel, label);
    if (context) {
      const { ctx, cancel } = context.withCancel(label);
      this.ctx = ctx;
      this.#cancel = cancel;
    }
  }

  /** Starts fn as a task of the group; parks first while the limit is reached. */
  async go(name: string, fn: () => void | Promise<void>): Promise<void> {
    if (this.#slots) await this.#slots.send(true);
    this.#start(name, fn);
  }

  /** Starts fn only if a slot is free; false otherwise. */
  tryGo(name: string, fn: () => void | Promise<void>): boolean {
    if (this.#slots && !this.#slots.trySend(true)) return false;
    this.#start(name, fn);
    return true;
  }

  /**
   * Waits for every task; rejects with the first error any of them threw. Starts only when awaited
   * (lazy-wait.ts): a dropped `wait()` parks nothing and does not cancel the group's context.
   */
  wait(): LazyWait<void> {
    return new LazyWait(() => this.#wait());
  }

  async #wait(): Promise<void> {
    await this.#running.wait();
    this.#cancel?.();
    if (this.#failure) throw this.#failure.error;
  }

  #start(name: string, fn: () => void | Promise<void>): void {
    this.#running.add(1);
    this.kernel.spawn(`${this.label}/${name}`, async () => {
      try {
        await fn();
      } catch (error) {
        if (!this.#failure) {
          this.#failure = { error };
          this.#cancel?.(error);
        }
      } finally {
        this.#slots?.tryReceive();
        this.#running.done();
      }
    });
  }
}
