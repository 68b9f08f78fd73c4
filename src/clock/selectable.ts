// The receive protocol shared by everything a task can wait on: clock tick sources, kernel channels
// and contexts. It lives in the clock layer (the lowest one) so that the kernel's `select` can wait on
// a ticker and a context at once without the clock knowing about the kernel.

/** Returned by `poll` when no value is ready. */
export const EMPTY: unique symbol = Symbol("empty");
export type Empty = typeof EMPTY;

/** One waiting receive. */
export interface Receiver<T> {
  /**
   * Offers a value. Returns false when the receive no longer wants one (a `select` that already
   * took another case, or a wait already woken), so the source offers the value to the next receiver.
   */
  deliver(value: T): boolean;
}

/** A source of values that a task can wait on, alone or together with others. */
export interface Selectable<T> {
  /** Names the source in park reasons and deadlock reports. */
  readonly label: string;
  /** Takes a value that is ready now, or returns EMPTY. Never waits. */
  poll(): T | Empty;
  /** Queues a receiver; the source offers it the next value. */
  addReceiver(receiver: Receiver<T>): void;
  /** Drops a receiver that stopped waiting; unknown receivers are ignored. */
  removeReceiver(receiver: Receiver<T>): void;
}
