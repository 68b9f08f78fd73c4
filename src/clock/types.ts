// The quartz-style clock contract (coder/quartz `clock.go`), in integer epoch milliseconds.
// Everything in the simulation reads time only through a `Clock`; the virtual clock drives it
// under the kernel, the real clock serves the command line's own progress output.
//
// Traps and synchronous calls: quartz blocks a trapped call's goroutine until the test releases it.
// JavaScript cannot block a synchronous call, so every synchronous method has an `…Async` twin that
// honours traps (the caller waits, parked, until release). Code that a test must be able to trap
// calls the twin (`await clock.newTickerAsync(interval, "prebuilds", "reconcile")`); a synchronous
// call that matches a trap throws instead of silently escaping it. `sleep` and `Waiter.wait` are
// asynchronous already and are trapped directly.
import type { Selectable } from "./selectable.ts";

/** Milliseconds since the Unix epoch (UTC). */
export type Instant = number;
/** A length of time in milliseconds. */
export type Duration = number;

export const MILLISECOND: Duration = 1;
export const SECOND: Duration = 1000;
export const MINUTE: Duration = 60 * SECOND;
export const HOUR: Duration = 60 * MINUTE;

/** The receiving end of a one-slot channel of instants (quartz's `C`). */
export interface TickSource extends Selectable<Instant> {
  /** Waits (a park point under the kernel) for the next value. */
  receive(): Promise<Instant>;
  /** The buffered value, or undefined when none is waiting. Never waits. */
  tryReceive(): Instant | undefined;
}

export interface Timer {
  /** Channel-style timers deliver here; `afterFunc` timers never do. */
  readonly c: TickSource;
  /** Stops the timer; true when it was active. An unread value is discarded. */
  stop(...tags: string[]): boolean;
  /** Re-arms the timer for `d` from now; true when it was active. Counts as a new schedule. */
  reset(d: Duration, ...tags: string[]): boolean;
  /** `stop` that honours traps (`timerStop`). */
  stopAsync(...tags: string[]): Promise<boolean>;
  /** `reset` that honours traps (`timerReset`). */
  resetAsync(d: Duration, ...tags: string[]): Promise<boolean>;
}

export interface Ticker {
  readonly c: TickSource;
  stop(...tags: string[]): void;
  reset(d: Duration, ...tags: string[]): void;
  /** `stop` that honours traps (`tickerStop`). */
  stopAsync(...tags: string[]): Promise<void>;
  /** `reset` that honours traps (`tickerReset`). */
  resetAsync(d: Duration, ...tags: string[]): Promise<void>;
}

/** Returned by `tickerFunc`: settles when the signal aborts or the callback fails. */
export interface Waiter {
  wait(...tags: string[]): Promise<void>;
}

export interface Clock {
  now(...tags: string[]): Instant;
  since(t: Instant, ...tags: string[]): Duration;
  until(t: Instant, ...tags: string[]): Duration;
  newTimer(d: Duration, ...tags: string[]): Timer;
  afterFunc(d: Duration, fn: () => void | Promise<void>, ...tags: string[]): Timer;
  newTicker(d: Duration, ...tags: string[]): Ticker;
  tickerFunc(signal: AbortSignal, d: Duration, fn: () => void | Promise<void>, ...tags: string[]): Waiter;
  sleep(d: Duration, ...tags: string[]): Promise<void>;

  // The twins that honour traps (see the comment at the top of this file).
  nowAsync(...tags: string[]): Promise<Instant>;
  sinceAsync(t: Instant, ...tags: string[]): Promise<Duration>;
  untilAsync(t: Instant, ...tags: string[]): Promise<Duration>;
  newTimerAsync(d: Duration, ...tags: string[]): Promise<Timer>;
  afterFuncAsync(d: Duration, fn: () => void | Promise<void>, ...tags: string[]): Promise<Timer>;
  newTickerAsync(d: Duration, ...tags: string[]): Promise<Ticker>;
  tickerFuncAsync(
    signal: AbortSignal,
    d: Duration,
    fn: () => void | Promise<void>,
    ...tags: string[]
  ): Promise<Waiter>;
}
