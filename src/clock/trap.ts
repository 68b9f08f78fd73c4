// Traps (quartz `Trap`): a test traps calls into the clock by method and tags, waits for a call,
// inspects its arguments and releases it; the caller stays parked until every trap that caught the
// call has released it. A trap matches a call when all the trap's tags are among the call's tags.
//
// Under a host that can tell when it is idle (the kernel), the test-facing promises resolve only
// once the kernel is idle again, so a test always observes a quiescent world; and a wait that could
// only be satisfied by the test itself (no call arrived and nothing can run) rejects at once instead
// of hanging until the test times out.
import { formatDuration, formatInstant } from "./format.ts";
import type { ClockHost, Parked } from "./host.ts";
import type { Duration, Instant } from "./types.ts";

export type ClockMethod =
  | "now"
  | "since"
  | "until"
  | "newTimer"
  | "afterFunc"
  | "newTicker"
  | "tickerFunc"
  | "tickerFuncWait"
  | "sleep"
  | "timerStop"
  | "timerReset"
  | "tickerStop"
  | "tickerReset";

/** The asynchronous form that honours traps, named when a synchronous call meets a trap. */
const TRAPPABLE_FORM: Record<ClockMethod, string> = {
  now: "nowAsync",
  since: "sinceAsync",
  until: "untilAsync",
  newTimer: "newTimerAsync",
  afterFunc: "afterFuncAsync",
  newTicker: "newTickerAsync",
  tickerFunc: "tickerFuncAsync",
  tickerFuncWait: "Waiter.wait",
  sleep: "sleep",
  timerStop: "Timer.stopAsync",
  timerReset: "Timer.resetAsync",
  tickerStop: "Ticker.stopAsync",
  tickerReset: "Ticker.resetAsync",
};

/** The arguments a trapped call exposes besides its tags. */
export interface CallArgs {
  readonly duration?: Duration;
  readonly time?: Instant;
}

function describeCall(method: ClockMethod, tags: readonly string[], args: CallArgs): string {
  const parts: string[] = [];
  if (args.duration !== undefined) parts.push(formatDuration(args.duration));
  if (args.time !== undefined) parts.push(formatInstant(args.time));
  parts.push(`[${tags.join(", ")}]`);
  return `${method}(${parts.join(", ")})`;
}

/** A call that one or more traps caught; its caller is parked on `held`. */
class PendingCall {
  readonly description: string;
  readonly held: Parked<void>;
  readonly completed: Promise<void>;
  #releasesLeft: number;
  #done = false;
  #complete!: () => void;

  constructor(
    readonly method: ClockMethod,
    readonly tags: readonly string[],
    readonly args: CallArgs,
    trapCount: number,
    host: ClockHost,
  ) {
    this.description = describeCall(method, tags, args);
    this.#releasesLeft = trapCount;
    this.held = host.park<void>(`trapped call ${this.description} awaiting release`);
    this.completed = new Promise<void>((resolve) => {
      this.#complete = resolve;
    });
  }

  get done(): boolean {
    return this.#done;
  }

  get releasesLeft(): number {
    return this.#releasesLeft;
  }

  releaseOne(): void {
    this.#releasesLeft--;
    if (this.#releasesLeft === 0) this.held.deliver(undefined);
  }

  /** Called by the clock once the released call has taken effect. */
  complete(): void {
    this.#done = true;
    this.#complete();
  }
}

/** One trap's view of a caught call: its arguments, and `release` to let it proceed. */
export class TrappedCall {
  #released = false;

  constructor(
    private readonly call: PendingCall,
    private readonly trap: Trap,
  ) {}

  get method(): ClockMethod {
    return this.call.method;
  }
  get tags(): readonly string[] {
    return this.call.tags;
  }
  /** The duration argument (timers, tickers, sleep, resets). */
  get duration(): Duration | undefined {
    return this.call.args.duration;
  }
  /** The instant argument (since, until). */
  get time(): Instant | undefined {
    return this.call.args.time;
  }

  /** Releases a call that the test never waited for (its trap closed). */
  releaseUnseen(): void {
    this.#released = true;
    this.call.releaseOne();
  }

  /**
   * Releases the call; resolves once the call has taken effect (it uses the clock's time at
   * release, as in quartz). Every trap that caught the call must release it.
   */
  async release(): Promise<void> {
    if (this.#released) throw new Error(`${this.trap} released ${this.call.description} twice`);
    this.#released = true;
    this.trap.callReleased();
    this.call.releaseOne();
    const idle = this.trap.host.idle();
    if (!idle) return this.call.completed;
    await idle;
    if (!this.call.done) {
      throw new Error(
        `${this.call.description} was released by ${this.trap} but is still held by ` +
          `${this.call.releasesLeft} other trap(s); release it there too`,
      );
    }
  }
}

export class TrapClosedError extends Error {
  constructor(trap: Trap) {
    super(`${trap} is closed`);
    this.name = "TrapClosedError";
  }
}

interface CallWaiter {
  resolve(call: TrappedCall): void;
  reject(error: unknown): void;
}

export class Trap {
  readonly #queue: TrappedCall[] = [];
  readonly #waiters: CallWaiter[] = [];
  #unreleased = 0;
  #closed = false;

  constructor(
    private readonly registry: TrapRegistry,
    readonly method: ClockMethod,
    readonly tags: readonly string[],
  ) {}

  get host(): ClockHost {
    return this.registry.host;
  }

  matches(method: ClockMethod, tags: readonly string[]): boolean {
    return method === this.method && this.tags.every((t) => tags.includes(t));
  }

  catch(call: PendingCall): void {
    const view = new TrappedCall(call, this);
    const waiter = this.#waiters.shift();
    if (!waiter) {
      this.#queue.push(view);
      return;
    }
    this.#unreleased++;
    waiter.resolve(view);
  }

  /** Waits for the next call this trap caught. */
  async wait(): Promise<TrappedCall> {
    if (this.#closed) throw new TrapClosedError(this);
    const queued = this.#queue.shift();
    if (queued) {
      this.#unreleased++;
      await this.host.idle();
      return queued;
    }
    let arrived: TrappedCall | undefined;
    let failed: unknown;
    let wake!: () => void;
    const settled = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const waiter: CallWaiter = {
      resolve: (call) => {
        arrived = call;
        wake();
      },
      reject: (error) => {
        failed = error;
        wake();
      },
    };
    this.#waiters.push(waiter);
    const idle = this.host.idle();
    await (idle ?? settled);
    if (failed !== undefined) throw failed;
    if (arrived) return arrived;
    this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
    throw new Error(`${this} is waiting for a call, but nothing can run until the test acts`);
  }

  callReleased(): void {
    this.#unreleased--;
  }

  /**
   * Stops trapping. Calls caught but never waited for are released; closing with calls that were
   * waited for but not released is an error (quartz fails the test the same way).
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.registry.remove(this);
    for (const view of this.#queue.splice(0)) view.releaseUnseen();
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new TrapClosedError(this));
    if (this.#unreleased > 0) throw new Error(`${this} closed with ${this.#unreleased} unreleased call(s)`);
  }

  toString(): string {
    return `trap ${this.method}[${this.tags.join(", ")}]`;
  }
}

/** The traps set on one clock. */
export class TrapRegistry {
  readonly #traps: Trap[] = [];

  constructor(readonly host: ClockHost) {}

  add(method: ClockMethod, tags: readonly string[]): Trap {
    const trap = new Trap(this, method, tags);
    this.#traps.push(trap);
    return trap;
  }

  get empty(): boolean {
    return this.#traps.length === 0;
  }

  remove(trap: Trap): void {
    const i = this.#traps.indexOf(trap);
    if (i >= 0) this.#traps.splice(i, 1);
  }

  /** Hands a call to every matching trap; undefined when none matches (the common, cheap case). */
  match(method: ClockMethod, tags: readonly string[], args: CallArgs): PendingCall | undefined {
    if (this.#traps.length === 0) return undefined;
    const traps = this.#traps.filter((t) => t.matches(method, tags));
    if (traps.length === 0) return undefined;
    const call = new PendingCall(method, tags, args, traps.length, this.host);
    for (const t of traps) t.catch(call);
    return call;
  }

  /** For synchronous calls, which cannot wait for a release: a matching trap is an error. */
  refuse(method: ClockMethod, tags: readonly string[], args: CallArgs): void {
    if (this.#traps.length === 0) return;
    const trap = this.#traps.find((t) => t.matches(method, tags));
    if (!trap) return;
    throw new Error(
      `${describeCall(method, tags, args)} matched ${trap}, but a synchronous call cannot wait for ` +
        `release: call ${TRAPPABLE_FORM[method]} where a test must trap it`,
    );
  }

  /** Runs `effect` once every trap that caught the call has released it. */
  async gate<R>(
    method: ClockMethod,
    tags: readonly string[],
    args: CallArgs,
    effect: () => R | Promise<R>,
  ): Promise<R> {
    const call = this.match(method, tags, args);
    if (!call) return effect();
    await call.held.promise;
    try {
      return effect();
    } finally {
      call.complete();
    }
  }
}

/** `clock.trap().newTicker("prebuilds")`: one factory per trappable clock method. */
export class Trapper {
  constructor(private readonly registry: TrapRegistry) {}
  now(...tags: string[]): Trap {
    return this.registry.add("now", tags);
  }
  since(...tags: string[]): Trap {
    return this.registry.add("since", tags);
  }
  until(...tags: string[]): Trap {
    return this.registry.add("until", tags);
  }
  newTimer(...tags: string[]): Trap {
    return this.registry.add("newTimer", tags);
  }
  afterFunc(...tags: string[]): Trap {
    return this.registry.add("afterFunc", tags);
  }
  newTicker(...tags: string[]): Trap {
    return this.registry.add("newTicker", tags);
  }
  tickerFunc(...tags: string[]): Trap {
    return this.registry.add("tickerFunc", tags);
  }
  tickerFuncWait(...tags: string[]): Trap {
    return this.registry.add("tickerFuncWait", tags);
  }
  sleep(...tags: string[]): Trap {
    return this.registry.add("sleep", tags);
  }
  timerStop(...tags: string[]): Trap {
    return this.registry.add("timerStop", tags);
  }
  timerReset(...tags: string[]): Trap {
    return this.registry.add("timerReset", tags);
  }
  tickerStop(...tags: string[]): Trap {
    return this.registry.add("tickerStop", tags);
  }
  tickerReset(...tags: string[]): Trap {
    return this.registry.add("tickerReset", tags);
  }
}
