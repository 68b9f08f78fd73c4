// The virtual clock's schedule: a binary min-heap ordered by (instant, sequence). The sequence is
// taken when an event is (re)scheduled, so events due at the same instant fire in the order they
// were scheduled, and a reset counts as a new schedule. Each event remembers its heap slot so that
// stop and reset cost O(log n).
import type { Instant } from "./types.ts";

export abstract class ScheduledEvent {
  /** When the event is due; meaningful while scheduled. */
  at: Instant = 0;
  /** The schedule's sequence number, the tie-breaker among events due at the same instant. */
  seq = 0;
  /** Slot in the heap, or -1 when not scheduled. */
  heapIndex = -1;

  get scheduled(): boolean {
    return this.heapIndex >= 0;
  }

  /** Called by the clock once the event is due and removed from the schedule. */
  abstract fire(): void;
  abstract describe(): string;
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export class EventHeap {
  readonly #items: ScheduledEvent[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): ScheduledEvent | undefined {
    return this.#items[0];
  }

  push(e: ScheduledEvent): void {
    if (e.heapIndex >= 0) throw new Error(`event heap: ${e.describe()} is already scheduled`);
    e.heapIndex = this.#items.length;
    this.#items.push(e);
    this.#up(e.heapIndex);
  }

  pop(): ScheduledEvent | undefined {
    const top = this.#items[0];
    if (top) this.remove(top);
    return top;
  }

  /** Removes an event; events not in the heap are ignored. */
  remove(e: ScheduledEvent): void {
    const i = e.heapIndex;
    if (i < 0) return;
    const last = this.#items.pop() as ScheduledEvent;
    e.heapIndex = -1;
    if (last === e) return;
    this.#items[i] = last;
    last.heapIndex = i;
    this.#down(i);
    this.#up(last.heapIndex);
  }

  #up(i: number): void {
    const items = this.#items;
    const e = items[i] as ScheduledEvent;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = items[parentIndex] as ScheduledEvent;
      if (!before(e, parent)) break;
      items[i] = parent;
      parent.heapIndex = i;
      i = parentIndex;
    }
    items[i] = e;
    e.heapIndex = i;
  }

  #down(i: number): void {
    const items = this.#items;
    const n = items.length;
    const e = items[i] as ScheduledEvent;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(items[right] as ScheduledEvent, items[left] as ScheduledEvent)) child = right;
      const c = items[child] as ScheduledEvent;
      if (!before(c, e)) break;
      items[i] = c;
      c.heapIndex = i;
      i = child;
    }
    items[i] = e;
    e.heapIndex = i;
  }
}
