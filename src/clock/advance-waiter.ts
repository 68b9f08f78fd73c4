// Returned by advance/advanceNext/set (quartz `AdvanceWaiter`): settles when every callback that the
// advance fired has finished, rejecting with a callback's error. Under a host that knows when it is
// idle (the kernel) it settles once the kernel is idle again, so ticks delivered to channels have
// been acted on too; if the kernel is idle while a fired callback is still parked, waiting longer
// could only hang, so the waiter rejects and names the callbacks.
import type { ClockHost } from "./host.ts";

export class AdvanceWaiter implements PromiseLike<undefined> {
  readonly #running = new Map<number, string>();
  readonly #errors: unknown[] = [];
  #nextId = 0;
  #promise: Promise<undefined> | undefined;
  #allDone: (() => void) | undefined;

  constructor(private readonly host: ClockHost) {}

  /** Registers a fired callback; returns the hook its host calls when it has finished. */
  track(label: string): (error?: unknown) => void {
    const id = this.#nextId++;
    this.#running.set(id, label);
    return (error?: unknown) => {
      this.#running.delete(id);
      if (error !== undefined) this.#errors.push(error);
      if (this.#running.size === 0) this.#allDone?.();
    };
  }

  wait(): Promise<undefined> {
    this.#promise ??= this.#settle();
    return this.#promise;
  }

  // biome-ignore lint/suspicious/noThenProperty: the waiter is deliberately awaitable, as the issue asks.
  then<A = undefined, B = never>(
    onFulfilled?: ((value: undefined) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.wait().then(onFulfilled, onRejected);
  }

  async #settle(): Promise<undefined> {
    const idle = this.host.idle();
    if (idle) {
      await idle;
      if (this.#running.size > 0) {
        throw new Error(
          `advance waiter: nothing can run, but fired callbacks have not finished: ${[...this.#running.values()].join(", ")}`,
        );
      }
    } else if (this.#running.size > 0) {
      await new Promise<void>((resolve) => {
        this.#allDone = resolve;
      });
    }
    if (this.#errors.length === 1) throw this.#errors[0];
    if (this.#errors.length > 1) throw new AggregateError(this.#errors, "advance waiter: callbacks failed");
    return undefined;
  }
}
