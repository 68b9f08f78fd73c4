// What the virtual clock needs from whoever runs the code that uses it. The clock is the lowest
// layer and must not import the kernel, so the kernel implements this interface for the clock; the
// standalone host below lets the quartz behaviour tests run on plain promises, without a kernel.
import type { Receiver } from "./selectable.ts";
import type { Instant } from "./types.ts";

/** Why a task waits: a fixed text, or an object that describes itself when a report asks. */
export type WaitReason = string | { describe(): string };

export function describeReason(reason: WaitReason): string {
  return typeof reason === "string" ? reason : reason.describe();
}

/** A wait that the calling activity parks on; delivering a value (or failing) wakes it once. */
export interface Parked<T> extends Receiver<T> {
  readonly promise: Promise<T>;
  /** Wakes the waiter with an error; false when it was already woken. */
  fail(error: unknown): boolean;
}

/** Something the clock fired, described lazily (only when traced). */
export interface Describable {
  describe(): string;
}

export interface ClockHost {
  /** Creates a wait that the calling activity parks on until it is delivered or failed. */
  park<T>(reason: WaitReason): Parked<T>;
  /**
   * Runs a callback fired by the clock (afterFunc, tickerFunc) as its own activity, and calls
   * `onDone` (with the error, when it failed) as soon as it has finished.
   */
  runCallback(name: string, fn: () => void | Promise<void>, onDone: (error?: unknown) => void): void;
  /**
   * Resolves once nothing can run without outside help (a kernel with no runnable task), or
   * returns undefined when the host cannot tell (plain promises).
   */
  idle(): Promise<void> | undefined;
  /** Observes time moving forward. */
  clockAdvanced(from: Instant, to: Instant): void;
  /** Observes a scheduled event firing. */
  clockFired(at: Instant, event: Describable): void;
}

class Deferred<T> implements Parked<T> {
  readonly promise: Promise<T>;
  #resolve!: (value: T) => void;
  #reject!: (error: unknown) => void;
  #settled = false;
  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }
  deliver(value: T): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.#resolve(value);
    return true;
  }
  fail(error: unknown): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.#reject(error);
    return true;
  }
}

/**
 * Runs the clock on plain promises, like quartz's goroutines: parks are deferred promises and fired
 * callbacks run concurrently. Errors thrown by callbacks are kept in `failures` so none is lost.
 */
export class StandaloneHost implements ClockHost {
  readonly failures: { name: string; error: unknown }[] = [];

  park<T>(_reason: WaitReason): Parked<T> {
    return new Deferred<T>();
  }

  runCallback(name: string, fn: () => void | Promise<void>, onDone: (error?: unknown) => void): void {
    Promise.resolve()
      .then(fn)
      .then(
        () => onDone(),
        (error: unknown) => {
          this.failures.push({ name, error });
          onDone(error);
        },
      );
  }

  idle(): undefined {
    return undefined;
  }

  clockAdvanced(): void {}

  clockFired(): void {}
}
