// The virtual clock (quartz `Mock`): time moves only when the test or the kernel advances it.
// Advancing is strict: it never skips a scheduled event, so every timer fires at exactly its
// instant, and events due at the same instant fire in (instant, sequence) order.
import { AdvanceWaiter } from "./advance-waiter.ts";
import { type ClockCore, checkPeriod, checkWholeMs, tagList } from "./clock-core.ts";
import { EventHeap, ScheduledEvent } from "./event-heap.ts";
import { formatDuration, formatInstant } from "./format.ts";
import { type ClockHost, type Parked, StandaloneHost } from "./host.ts";
import { TickerFuncRun } from "./ticker-func.ts";
import { Trapper, TrapRegistry } from "./trap.ts";
import type { Clock, Duration, Instant, Ticker, Timer, Waiter } from "./types.ts";
import { VirtualTicker } from "./virtual-ticker.ts";
import { VirtualTimer } from "./virtual-timer.ts";

/** quartz's default start: midnight UTC on 1 January 2024. */
export const DEFAULT_START: Instant = Date.UTC(2024, 0, 1);

export interface VirtualClockOptions {
  start?: Instant;
  /** Who runs fired callbacks and parks waiters; plain promises when omitted. */
  host?: ClockHost;
}

class SleepEvent extends ScheduledEvent {
  parked!: Parked<void>;
  constructor(
    private readonly duration: Duration,
    private readonly tags: readonly string[],
  ) {
    super();
  }
  fire(): void {
    this.parked.deliver(undefined);
  }
  describe(): string {
    return `sleep(${formatDuration(this.duration)})${tagList(this.tags)}`;
  }
}

export class VirtualClock implements Clock, ClockCore {
  readonly host: ClockHost;
  readonly traps: TrapRegistry;
  readonly #heap = new EventHeap();
  #now: Instant;
  #seq = 0;
  /** The waiter of the advance in progress, which counts the callbacks it fires. */
  #firing: AdvanceWaiter | null = null;

  constructor(options: VirtualClockOptions = {}) {
    this.#now = options.start ?? DEFAULT_START;
    checkWholeMs("VirtualClock start", this.#now);
    this.host = options.host ?? new StandaloneHost();
    this.traps = new TrapRegistry(this.host);
  }

  /** The current virtual instant; unlike `now()` it is never trapped (for hosts and traces). */
  get time(): Instant {
    return this.#now;
  }

  /** How many events are scheduled. */
  get pending(): number {
    return this.#heap.size;
  }

  trap(): Trapper {
    return new Trapper(this.traps);
  }

  // ---- Clock: reads -------------------------------------------------------------------------

  now(...tags: string[]): Instant {
    this.traps.refuse("now", tags, {});
    return this.#now;
  }

  since(t: Instant, ...tags: string[]): Duration {
    this.traps.refuse("since", tags, { time: t });
    return this.#now - t;
  }

  until(t: Instant, ...tags: string[]): Duration {
    this.traps.refuse("until", tags, { time: t });
    return t - this.#now;
  }

  nowAsync(...tags: string[]): Promise<Instant> {
    return this.traps.gate("now", tags, {}, () => this.#now);
  }

  sinceAsync(t: Instant, ...tags: string[]): Promise<Duration> {
    return this.traps.gate("since", tags, { time: t }, () => this.#now - t);
  }

  untilAsync(t: Instant, ...tags: string[]): Promise<Duration> {
    return this.traps.gate("until", tags, { time: t }, () => t - this.#now);
  }

  // ---- Clock: timers and tickers --------------------------------------------------------------

  newTimer(d: Duration, ...tags: string[]): Timer {
    checkWholeMs("newTimer", d);
    this.traps.refuse("newTimer", tags, { duration: d });
    return new VirtualTimer(this, d, tags);
  }

  newTimerAsync(d: Duration, ...tags: string[]): Promise<Timer> {
    checkWholeMs("newTimerAsync", d);
    return this.traps.gate("newTimer", tags, { duration: d }, () => new VirtualTimer(this, d, tags));
  }

  afterFunc(d: Duration, fn: () => void | Promise<void>, ...tags: string[]): Timer {
    checkWholeMs("afterFunc", d);
    this.traps.refuse("afterFunc", tags, { duration: d });
    return new VirtualTimer(this, d, tags, fn);
  }

  afterFuncAsync(d: Duration, fn: () => void | Promise<void>, ...tags: string[]): Promise<Timer> {
    checkWholeMs("afterFuncAsync", d);
    return this.traps.gate("afterFunc", tags, { duration: d }, () => new VirtualTimer(this, d, tags, fn));
  }

  newTicker(d: Duration, ...tags: string[]): Ticker {
    checkPeriod("newTicker", d);
    this.traps.refuse("newTicker", tags, { duration: d });
    return new VirtualTicker(this, d, tags);
  }

  newTickerAsync(d: Duration, ...tags: string[]): Promise<Ticker> {
    checkPeriod("newTickerAsync", d);
    return this.traps.gate("newTicker", tags, { duration: d }, () => new VirtualTicker(this, d, tags));
  }

  tickerFunc(signal: AbortSignal, d: Duration, fn: () => void | Promise<void>, ...tags: string[]): Waiter {
    checkPeriod("tickerFunc", d);
    this.traps.refuse("tickerFunc", tags, { duration: d });
    return new TickerFuncRun(this, signal, d, fn, tags);
  }

  tickerFuncAsync(
    signal: AbortSignal,
    d: Duration,
    fn: () => void | Promise<void>,
    ...tags: string[]
  ): Promise<Waiter> {
    checkPeriod("tickerFuncAsync", d);
    return this.traps.gate(
      "tickerFunc",
      tags,
      { duration: d },
      () => new TickerFuncRun(this, signal, d, fn, tags),
    );
  }

  /** Waits d (a park point under the kernel); a non-positive d returns at once. Always trappable. */
  sleep(d: Duration, ...tags: string[]): Promise<void> {
    checkWholeMs("sleep", d);
    if (this.traps.empty) return this.#sleep(d, tags);
    return this.traps.gate("sleep", tags, { duration: d }, () => this.#sleep(d, tags));
  }

  // ---- control (the test or the kernel) -------------------------------------------------------

  /**
   * Moves time forward by d and fires the events due at the new instant. Throws when an event is
   * due before that instant: advance never skips one (use `advanceNext` or `peek`).
   */
  advance(d: Duration): AdvanceWaiter {
    checkWholeMs("advance", d);
    if (d < 0) throw new RangeError(`advance: negative duration ${formatDuration(d)}`);
    const target = this.#now + d;
    const next = this.#heap.peek();
    if (next && next.at < target) {
      throw new RangeError(
        `cannot advance ${formatDuration(d)}: ${next.describe()} is due in ${formatDuration(next.at - this.#now)}, ` +
          `at ${formatInstant(next.at)}`,
      );
    }
    const waiter = new AdvanceWaiter(this.host);
    this.#moveTo(target);
    if (next && next.at === target) this.#fireDue(waiter);
    return waiter;
  }

  /** Advances exactly to the next scheduled event; throws when nothing is scheduled. */
  advanceNext(): [Duration, AdvanceWaiter] {
    const next = this.#heap.peek();
    if (!next) throw new Error(`advanceNext: nothing is scheduled at ${formatInstant(this.#now)}`);
    const d = next.at - this.#now;
    return [d, this.advance(d)];
  }

  /** The time until the next scheduled event, or undefined when nothing is scheduled. */
  peek(): Duration | undefined {
    const next = this.#heap.peek();
    return next ? next.at - this.#now : undefined;
  }

  /**
   * Sets the time. Forward, it is `advance`; backward is allowed only while nothing is scheduled
   * (e.g. to pick a start instant before any timer exists).
   */
  set(t: Instant): AdvanceWaiter {
    checkWholeMs("set", t);
    if (t >= this.#now) return this.advance(t - this.#now);
    if (this.#heap.size > 0) {
      throw new RangeError(
        `cannot set the clock back to ${formatInstant(t)}: ${this.#heap.size} event(s) are scheduled`,
      );
    }
    this.#now = t;
    return new AdvanceWaiter(this.host);
  }

  /**
   * For hosts: moves to the next scheduled event if it is due at or before `limit`, fires
   * everything due then, and returns true; returns false (time unchanged) otherwise.
   */
  fireNext(limit: Instant): boolean {
    const next = this.#heap.peek();
    if (!next || next.at > limit) return false;
    this.#moveTo(next.at);
    this.#fireDue(null);
    return true;
  }

  // ---- ClockCore ------------------------------------------------------------------------------

  schedule(e: ScheduledEvent, at: Instant): void {
    e.at = at;
    e.seq = this.#seq++;
    this.#heap.push(e);
  }

  unschedule(e: ScheduledEvent): void {
    this.#heap.remove(e);
  }

  fireCallback(label: string, fn: () => void | Promise<void>, onDone?: (error?: unknown) => void): void {
    const tracked = this.#firing?.track(label);
    if (!tracked) {
      this.host.runCallback(label, fn, onDone ?? noop);
      return;
    }
    this.host.runCallback(label, fn, (error) => {
      onDone?.(error);
      tracked(error);
    });
  }

  // ---- internals ------------------------------------------------------------------------------

  #sleep(d: Duration, tags: readonly string[]): Promise<void> {
    if (d <= 0) return Promise.resolve();
    const e = new SleepEvent(d, tags);
    e.parked = this.host.park<void>(e);
    this.schedule(e, this.#now + d);
    return e.parked.promise;
  }

  #moveTo(t: Instant): void {
    if (t === this.#now) return;
    this.host.clockAdvanced(this.#now, t);
    this.#now = t;
  }

  #fireDue(waiter: AdvanceWaiter | null): void {
    this.#firing = waiter;
    try {
      for (;;) {
        const e = this.#heap.peek();
        if (!e || e.at !== this.#now) break;
        this.#heap.remove(e);
        this.host.clockFired(this.#now, e);
        e.fire();
      }
    } finally {
      this.#firing = null;
    }
  }
}

function noop(): void {}
