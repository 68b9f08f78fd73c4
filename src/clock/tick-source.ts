// The `c` of timers and tickers: a one-slot channel of instants. A waiting receiver gets a tick
// directly; otherwise the slot keeps the oldest unread tick and newer ones are dropped, as a Go
// ticker does for a slow reader. Stop and reset discard the unread tick (Go 1.23 semantics: no
// stale value is received after they return).
import type { ClockHost, Describable } from "./host.ts";
import { EMPTY, type Empty, type Receiver } from "./selectable.ts";
import type { Instant, TickSource } from "./types.ts";

export class OneSlotTickSource implements TickSource {
  #value: Instant | undefined;
  readonly #receivers: Receiver<Instant>[] = [];
  /** Described lazily: labels are only needed by traces and reports, not on the hot path. */
  readonly #reason: Describable;

  constructor(
    private readonly host: ClockHost,
    private readonly owner: Describable,
  ) {
    this.#reason = new ReceiveReason(owner);
  }

  get label(): string {
    return this.owner.describe();
  }

  /** Delivers a tick: to the first receiver that takes it, else into the slot if it is empty. */
  offer(t: Instant): void {
    while (this.#receivers.length > 0) {
      const r = this.#receivers.shift() as Receiver<Instant>;
      if (r.deliver(t)) return;
    }
    if (this.#value === undefined) this.#value = t;
  }

  /** Drops the unread tick. */
  discard(): void {
    this.#value = undefined;
  }

  tryReceive(): Instant | undefined {
    const v = this.#value;
    this.#value = undefined;
    return v;
  }

  poll(): Instant | Empty {
    return this.tryReceive() ?? EMPTY;
  }

  receive(): Promise<Instant> {
    const v = this.tryReceive();
    if (v !== undefined) return Promise.resolve(v);
    const parked = this.host.park<Instant>(this.#reason);
    this.#receivers.push(parked);
    return parked.promise;
  }

  addReceiver(receiver: Receiver<Instant>): void {
    this.#receivers.push(receiver);
  }

  removeReceiver(receiver: Receiver<Instant>): void {
    const i = this.#receivers.indexOf(receiver);
    if (i >= 0) this.#receivers.splice(i, 1);
  }
}

/**
 * Why a receive waits. A class, not an object with an arrow function: under tsx (esbuild's
 * keepNames) every named closure costs a defineProperty, and every timer makes a tick source.
 */
class ReceiveReason implements Describable {
  constructor(private readonly owner: Describable) {}

  describe(): string {
    return `receive from ${this.owner.describe()}`;
  }
}
