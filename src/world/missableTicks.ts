// A replica's tickers with the `tick-missed` and `metrics-refresh-missed` faults in between: a
// missed tick is consumed before anyone sees it, so the reconciliation loop waits for the next one
// (the gap between two cycles doubles) and the metrics cache keeps its age one more period. The
// decision is made once per tick, by its due instant, when it is first offered or read; a tick
// that is not missed passes through unchanged, on the same call.
import { EMPTY, type Empty, type Receiver } from "../clock/selectable.ts";
import type { Instant, Ticker, TickSource } from "../clock/types.ts";

/** Whether the tick due at `due` is missed. */
export type MissTick = (due: Instant) => boolean;

/** Asks `miss` once per due instant (a tick can be offered, refused by a stale receiver, then read). */
function once(miss: MissTick): MissTick {
  let last: { due: Instant; missed: boolean } | null = null;
  return (due) => {
    if (last === null || last.due !== due) last = { due, missed: miss(due) };
    return last.missed;
  };
}

class MissableTickSource implements TickSource {
  readonly #wrapped = new WeakMap<Receiver<Instant>, Receiver<Instant>>();

  constructor(
    private readonly inner: TickSource,
    private readonly miss: MissTick,
  ) {}

  get label(): string {
    return this.inner.label;
  }

  poll(): Instant | Empty {
    const v = this.inner.poll();
    return v !== EMPTY && this.miss(v) ? EMPTY : v;
  }

  tryReceive(): Instant | undefined {
    const v = this.inner.tryReceive();
    return v !== undefined && this.miss(v) ? undefined : v;
  }

  async receive(): Promise<Instant> {
    for (;;) {
      const v = await this.inner.receive();
      if (!this.miss(v)) return v;
    }
  }

  addReceiver(receiver: Receiver<Instant>): void {
    const wrapper: Receiver<Instant> = {
      deliver: (t) => {
        if (!this.miss(t)) return receiver.deliver(t);
        // Swallowed: the receiver keeps waiting, for the next tick.
        this.inner.addReceiver(wrapper);
        return true;
      },
    };
    this.#wrapped.set(receiver, wrapper);
    this.inner.addReceiver(wrapper);
  }

  removeReceiver(receiver: Receiver<Instant>): void {
    const wrapper = this.#wrapped.get(receiver);
    if (wrapper !== undefined) this.inner.removeReceiver(wrapper);
  }
}

/** `ticker` whose ticks `miss` may swallow. */
export function missableTicker(ticker: Ticker, miss: MissTick): Ticker {
  const c = new MissableTickSource(ticker.c, once(miss));
  return {
    c,
    stop: (...tags) => ticker.stop(...tags),
    reset: (d, ...tags) => ticker.reset(d, ...tags),
    stopAsync: (...tags) => ticker.stopAsync(...tags),
    resetAsync: (d, ...tags) => ticker.resetAsync(d, ...tags),
  };
}

/** `fn` as a ticker function whose calls `miss` may skip (asked with the instant of the call). */
export function missableTickerFn(
  fn: () => void | Promise<void>,
  now: () => Instant,
  miss: MissTick,
): () => void | Promise<void> {
  return () => (miss(now()) ? undefined : fn());
}
