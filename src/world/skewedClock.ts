// A replica's view of time: the shared virtual clock read with an offset (the `clockSkew` of a
// replica and the `clock-skew` fault). Only readings move: timers, tickers and sleeps take relative
// durations and stay on the shared timeline, exactly as a skewed wall clock on a real host would
// still sleep for the right length of time.
import type { Clock, Duration, Instant, Ticker, Timer, Waiter } from "../clock/types.ts";
import { missableTicker, missableTickerFn } from "./missableTicks.ts";
import type { TickerName } from "./perturbations.ts";

/** Whether the replica's tick of `ticker` due at `due` (shared clock) is missed. */
export type TickGate = (ticker: TickerName, due: Instant) => boolean;

/** The replica's tickers by their tags: the reconciliation loop's and the metrics refresher's. */
function tickerName(tags: readonly string[]): TickerName | null {
  if (tags[0] !== "prebuilds") return null;
  return tags[1] === "reconcile" || tags[1] === "metrics" ? tags[1] : null;
}

export class SkewedClock implements Clock {
  #offset: Duration;

  constructor(
    private readonly base: Clock,
    offset: Duration = 0,
    private readonly gate: TickGate | null = null,
  ) {
    this.#offset = offset;
  }

  // simulation hook: the tick faults (`tick-missed`, `metrics-refresh-missed`) see the replica's
  // prebuilds tickers through here; every other ticker, and every tick they let pass, is the base clock's.
  #ticker(ticker: Ticker, tags: readonly string[]): Ticker {
    const name = tickerName(tags);
    const gate = this.gate;
    if (gate === null || name === null) return ticker;
    return missableTicker(ticker, (due) => gate(name, due));
  }

  #tickerFn(fn: () => void | Promise<void>, tags: readonly string[]): () => void | Promise<void> {
    const name = tickerName(tags);
    const gate = this.gate;
    if (gate === null || name === null) return fn;
    return missableTickerFn(
      fn,
      () => this.base.now(),
      (due) => gate(name, due),
    );
  }

  /** How far ahead (negative: behind) of the shared clock this clock reads. */
  get offset(): Duration {
    return this.#offset;
  }

  setOffset(offset: Duration): void {
    this.#offset = offset;
  }

  now(...tags: string[]): Instant {
    return this.base.now(...tags) + this.#offset;
  }
  since(t: Instant, ...tags: string[]): Duration {
    return this.base.since(t, ...tags) + this.#offset;
  }
  until(t: Instant, ...tags: string[]): Duration {
    return this.base.until(t, ...tags) - this.#offset;
  }
  newTimer(d: Duration, ...tags: string[]): Timer {
    return this.base.newTimer(d, ...tags);
  }
  afterFunc(d: Duration, fn: () => void | Promise<void>, ...tags: string[]): Timer {
    return this.base.afterFunc(d, fn, ...tags);
  }
  newTicker(d: Duration, ...tags: string[]): Ticker {
    return this.#ticker(this.base.newTicker(d, ...tags), tags);
  }
  tickerFunc(signal: AbortSignal, d: Duration, fn: () => void | Promise<void>, ...tags: string[]): Waiter {
    return this.base.tickerFunc(signal, d, this.#tickerFn(fn, tags), ...tags);
  }
  sleep(d: Duration, ...tags: string[]): Promise<void> {
    return this.base.sleep(d, ...tags);
  }

  async nowAsync(...tags: string[]): Promise<Instant> {
    return (await this.base.nowAsync(...tags)) + this.#offset;
  }
  async sinceAsync(t: Instant, ...tags: string[]): Promise<Duration> {
    return (await this.base.sinceAsync(t, ...tags)) + this.#offset;
  }
  async untilAsync(t: Instant, ...tags: string[]): Promise<Duration> {
    return (await this.base.untilAsync(t, ...tags)) - this.#offset;
  }
  newTimerAsync(d: Duration, ...tags: string[]): Promise<Timer> {
    return this.base.newTimerAsync(d, ...tags);
  }
  afterFuncAsync(d: Duration, fn: () => void | Promise<void>, ...tags: string[]): Promise<Timer> {
    return this.base.afterFuncAsync(d, fn, ...tags);
  }
  async newTickerAsync(d: Duration, ...tags: string[]): Promise<Ticker> {
    return this.#ticker(await this.base.newTickerAsync(d, ...tags), tags);
  }
  tickerFuncAsync(
    signal: AbortSignal,
    d: Duration,
    fn: () => void | Promise<void>,
    ...tags: string[]
  ): Promise<Waiter> {
    return this.base.tickerFuncAsync(signal, d, this.#tickerFn(fn, tags), ...tags);
  }
}
