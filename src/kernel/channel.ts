// Go's channel: buffered (capacity > 0) or unbuffered (capacity 0: a send waits for a receiver).
// `send` and `receive` are park points when they must wait; receiving from a closed, drained
// channel returns CLOSED; sending on a closed channel, or closing twice, throws (Go panics).
import type { Parked } from "../clock/host.ts";
import { EMPTY, type Empty, type Receiver, type Selectable } from "../clock/selectable.ts";
import type { Kernel } from "./kernel.ts";
import { Queue } from "./queue.ts";

/** What `receive` returns once the channel is closed and drained. */
export const CLOSED: unique symbol = Symbol("closed");
export type Closed = typeof CLOSED;

interface BlockedSend<T> {
  readonly value: T;
  readonly parked: Parked<void>;
}

export class Channel<T> implements Selectable<T | Closed> {
  readonly #buffer = new Queue<T>();
  readonly #receivers: Receiver<T | Closed>[] = [];
  readonly #senders: BlockedSend<T>[] = [];
  readonly #receiveReason: string;
  readonly #sendReason: string;
  #closed = false;

  constructor(
    private readonly kernel: Kernel,
    readonly label: string,
    readonly capacity = 0,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new RangeError(`channel ${label}: capacity must be a non-negative integer, got ${capacity}`);
    }
    this.#receiveReason = `receive from channel ${label}`;
    this.#sendReason = `send to channel ${label}`;
  }

  /** Values buffered now. */
  get length(): number {
    return this.#buffer.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends v, waiting (parked) while the buffer is full or, unbuffered, until a receiver takes it. */
  send(value: T): Promise<void> {
    if (this.trySend(value)) return Promise.resolve();
    const parked = this.kernel.park<void>(this.#sendReason);
    this.#senders.push({ value, parked });
    return parked.promise;
  }

  /** Sends without waiting; false when the send would have to wait. */
  trySend(value: T): boolean {
    if (this.#closed) throw new Error(`send on closed channel ${this.label}`);
    while (this.#receivers.length > 0) {
      if ((this.#receivers.shift() as Receiver<T | Closed>).deliver(value)) return true;
    }
    if (this.#buffer.size < this.capacity) {
      this.#buffer.push(value);
      return true;
    }
    return false;
  }

  /** Receives a value, waiting (parked) while none is ready; CLOSED once closed and drained. */
  receive(): Promise<T | Closed> {
    const v = this.poll();
    if (v !== EMPTY) return Promise.resolve(v);
    const parked = this.kernel.park<T | Closed>(this.#receiveReason);
    this.#receivers.push(parked);
    return parked.promise;
  }

  /** Receives without waiting: a value, CLOSED, or EMPTY when a receive would have to wait. */
  tryReceive(): T | Closed | Empty {
    return this.poll();
  }

  poll(): T | Closed | Empty {
    if (this.#buffer.size > 0) {
      const v = this.#buffer.take(0) as T;
      // a slot is free: the longest-blocked sender's value moves into the buffer
      const sender = this.#senders.shift();
      if (sender) {
        this.#buffer.push(sender.value);
        sender.parked.deliver(undefined);
      }
      return v;
    }
    const sender = this.#senders.shift();
    if (sender) {
      sender.parked.deliver(undefined);
      return sender.value;
    }
    return this.#closed ? CLOSED : EMPTY;
  }

  /** Closes the channel: waiting receivers get CLOSED, waiting senders fail. */
  close(): void {
    if (this.#closed) throw new Error(`close of closed channel ${this.label}`);
    this.#closed = true;
    for (const r of this.#receivers.splice(0)) r.deliver(CLOSED);
    for (const s of this.#senders.splice(0)) s.parked.fail(new Error(`send on closed channel ${this.label}`));
  }

  addReceiver(receiver: Receiver<T | Closed>): void {
    this.#receivers.push(receiver);
  }

  removeReceiver(receiver: Receiver<T | Closed>): void {
    const i = this.#receivers.indexOf(receiver);
    if (i >= 0) this.#receivers.splice(i, 1);
  }
}
