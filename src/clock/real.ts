// The real clock (quartz `NewReal`): host time and host timers, for the command line's own progress
// output. The only file of the clock layer allowed to read real time. Tags are ignored and nothing
// is trappable, so the `…Async` twins simply resolve with the synchronous result.
import { checkPeriod, checkWholeMs } from "./clock-core.ts";
import { StandaloneHost } from "./host.ts";
import { OneSlotTickSource } from "./tick-source.ts";
import type { Clock, Duration, Instant, Ticker, Timer, Waiter } from "./types.ts";

const host = new StandaloneHost();

class RealTimer implements Timer {
  readonly c = new OneSlotTickSource(host, this);
  #handle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    d: Duration,
    private readonly fn?: () => void | Promise<void>,
  ) {
    this.#arm(d);
  }

  stop(): boolean {
    const active = this.#handle !== undefined;
    clearTimeout(this.#handle);
    this.#handle = undefined;
    this.c.discard();
    return active;
  }

  reset(d: Duration): boolean {
    checkWholeMs("Timer.reset", d);
    const active = this.stop();
    this.#arm(d);
    return active;
  }

  stopAsync(): Promise<boolean> {
    return Promise.resolve(this.stop());
  }

  resetAsync(d: Duration): Promise<boolean> {
    return Promise.resolve(this.reset(d));
  }

  describe(): string {
    return this.fn ? "real afterFunc" : "real timer";
  }

  #arm(d: Duration): void {
    this.#handle = setTimeout(
      () => {
        this.#handle = undefined;
        if (this.fn) host.runCallback("real afterFunc", this.fn, () => {});
        else this.c.offer(Date.now());
      },
      Math.max(0, d),
    );
  }
}

class RealTicker implements Ticker {
  readonly c = new OneSlotTickSource(host, this);
  #handle: ReturnType<typeof setInterval> | undefined;

  constructor(d: Duration) {
    this.#start(d);
  }

  stop(): void {
    clearInterval(this.#handle);
    this.#handle = undefined;
    this.c.discard();
  }

  reset(d: Duration): void {
    checkPeriod("Ticker.reset", d);
    this.stop();
    this.#start(d);
  }

  stopAsync(): Promise<void> {
    this.stop();
    return Promise.resolve();
  }

  resetAsync(d: Duration): Promise<void> {
    this.reset(d);
    return Promise.resolve();
  }

  describe(): string {
    return "real ticker";
  }

  #start(d: Duration): void {
    this.#handle = setInterval(() => this.c.offer(Date.now()), d);
  }
}

class RealTickerFunc implements Waiter {
  readonly #done: Promise<void>;

  constructor(signal: AbortSignal, d: Duration, fn: () => void | Promise<void>) {
    this.#done = new Promise<void>((resolve, reject) => {
      let running: Promise<void> | undefined;
      let failure: { error: unknown } | undefined;
      const finish = (): void => {
        clearInterval(handle);
        signal.removeEventListener("abort", onAbort);
        if (failure) reject(failure.error);
        else resolve();
      };
      const onAbort = (): void => {
        if (running) void running.then(finish);
        else finish();
      };
      const handle = setInterval(() => {
        if (running) return; // skip a tick while the previous call runs
        running = Promise.resolve()
          .then(fn)
          .catch((error: unknown) => {
            failure = { error };
          })
          .then(() => {
            running = undefined;
            if (failure || signal.aborted) finish();
          });
      }, d);
      if (signal.aborted) finish();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
    this.#done.catch(() => {}); // observed through wait(); never an unhandled rejection
  }

  wait(): Promise<void> {
    return this.#done;
  }
}

export class RealClock implements Clock {
  now(): Instant {
    return Date.now();
  }
  since(t: Instant): Duration {
    return Date.now() - t;
  }
  until(t: Instant): Duration {
    return t - Date.now();
  }
  newTimer(d: Duration): Timer {
    checkWholeMs("newTimer", d);
    return new RealTimer(d);
  }
  afterFunc(d: Duration, fn: () => void | Promise<void>): Timer {
    checkWholeMs("afterFunc", d);
    return new RealTimer(d, fn);
  }
  newTicker(d: Duration): Ticker {
    checkPeriod("newTicker", d);
    return new RealTicker(d);
  }
  tickerFunc(signal: AbortSignal, d: Duration, fn: () => void | Promise<void>): Waiter {
    checkPeriod("tickerFunc", d);
    return new RealTickerFunc(signal, d, fn);
  }
  sleep(d: Duration): Promise<void> {
    checkWholeMs("sleep", d);
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, d)));
  }
  nowAsync(): Promise<Instant> {
    return Promise.resolve(this.now());
  }
  sinceAsync(t: Instant): Promise<Duration> {
    return Promise.resolve(this.since(t));
  }
  untilAsync(t: Instant): Promise<Duration> {
    return Promise.resolve(this.until(t));
  }
  newTimerAsync(d: Duration): Promise<Timer> {
    return Promise.resolve().then(() => this.newTimer(d));
  }
  afterFuncAsync(d: Duration, fn: () => void | Promise<void>): Promise<Timer> {
    return Promise.resolve().then(() => this.afterFunc(d, fn));
  }
  newTickerAsync(d: Duration): Promise<Ticker> {
    return Promise.resolve().then(() => this.newTicker(d));
  }
  tickerFuncAsync(signal: AbortSignal, d: Duration, fn: () => void | Promise<void>): Promise<Waiter> {
    return Promise.resolve().then(() => this.tickerFunc(signal, d, fn));
  }
}
