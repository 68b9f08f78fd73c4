// A replica's view of time: the shared virtual clock read with an offset (the `clockSkew` of a
// replica and the `clock-skew` fault). Only readings move: timers, tickers and sleeps take relative
// durations and stay on the shared timeline, exactly as a skewed wall clock on a real host would
// still sleep for the right length of time.
import type { Clock, Duration, Instant, Ticker, Timer, Waiter } from "../clock/types.ts";

export class SkewedClock implements Clock {
  #offset: Duration;

  constructor(
    private readonly base: Clock,
    offset: Duration = 0,
  ) {
    this.#offset = offset;
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
    return this.base.newTicker(d, ...tags);
  }
  tickerFunc(signal: AbortSignal, d: Duration, fn: () => void | Promise<void>, ...tags: string[]): Waiter {
    return this.base.tickerFunc(signal, d, fn, ...tags);
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
  newTickerAsync(d: Duration, ...tags: string[]): Promise<Ticker> {
    return this.base.newTickerAsync(d, ...tags);
  }
  tickerFuncAsync(
    signal: AbortSignal,
    d: Duration,
    fn: () => void | Promise<void>,
    ...tags: string[]
  ): Promise<Waiter> {
    return this.base.tickerFuncAsync(signal, d, fn, ...tags);
  }
}
