// A FIFO queue without O(n) shifts: the kernel's run queue (`take(0)` for the fifo policy, a random
// offset for the random policy) and channel buffers.
export class Queue<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Removes and returns the item `offset` places from the front (0 = oldest). */
  take(offset: number): T | undefined {
    if (offset < 0 || offset >= this.size) return undefined;
    const items = this.#items;
    const head = this.#head;
    const item = items[head + offset];
    // the oldest item takes the chosen one's place: the order of the rest stays deterministic
    items[head + offset] = items[head];
    items[head] = undefined;
    this.#head = head + 1;
    if (this.#head === items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > items.length) {
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Removes every item, oldest first. */
  drain(): T[] {
    const out = this.#items.slice(this.#head) as T[];
    this.#items = [];
    this.#head = 0;
    return out;
  }
}
