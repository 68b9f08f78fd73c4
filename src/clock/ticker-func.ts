// `tickerFunc` (quartz `TickerFunc`): calls fn every period until the signal aborts or fn fails.
// A tick that comes while the previous call is still running is skipped, and the schedule still
// moves on to the next period. The waiter settles only after the running call has finished:
// it resolves when the signal aborted, and rejects with fn's error when fn failed (the error wins
// even when the signal aborted during that call).
import { type ClockCore, tagList } from "./clock-core.ts";
import { ScheduledEvent } from "./event-heap.ts";
import { formatDuration } from "./format.ts";
import type { Parked } from "./host.ts";
import type { Duration, Waiter } from "./types.ts";

export class TickerFuncRun extends ScheduledEvent implements Waiter {
  readonly #waiters: Parked<void>[] = [];
  #inProgress = false;
  #finished = false;
  #failed = false;
  #error: unknown;
  readonly #onAbort = (): void => {
    if (!this.#inProgress) this.#finish();
  };
  readonly #invoke = async (): Promise<void> => {
    try {
      await this.fn();
    } catch (error) {
      this.#failed = true;
      this.#error = error;
    }
  };
  readonly #afterCall = (): void => {
    this.#inProgress = false;
    if (this.#failed || this.signal.aborted) this.#finish();
  };

  constructor(
    private readonly core: ClockCore,
    private readonly signal: AbortSignal,
    private readonly period: Duration,
    private readonly fn: () => void | Promise<void>,
    private readonly tags: readonly string[],
  ) {
    super();
    if (signal.aborted) {
      this.#finished = true;
      return;
    }
    signal.addEventListener("abort", this.#onAbort, { once: true });
    core.schedule(this, core.time + period);
  }

  fire(): void {
    this.core.schedule(this, this.at + this.period);
    if (this.#inProgress) return;
    this.#inProgress = true;
    this.core.fireCallback(this.describe(), this.#invoke, this.#afterCall);
  }

  wait(...tags: string[]): Promise<void> {
    return this.core.traps.gate("tickerFuncWait", tags, {}, () => this.#wait());
  }

  describe(): string {
    return `tickerFunc(${formatDuration(this.period)})${tagList(this.tags)}`;
  }

  #wait(): Promise<void> {
    if (this.#finished) return this.#failed ? Promise.reject(this.#error) : Promise.resolve();
    const parked = this.core.host.park<void>({ describe: () => `wait for ${this.describe()} to stop` });
    this.#waiters.push(parked);
    return parked.promise;
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.core.unschedule(this);
    this.signal.removeEventListener("abort", this.#onAbort);
    for (const w of this.#waiters.splice(0)) {
      if (this.#failed) w.fail(this.#error);
      else w.deliver(undefined);
    }
  }
}
