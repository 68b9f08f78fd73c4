// Go's sync.WaitGroup: `wait` parks until the counter is back to zero.
import type { Parked } from "../clock/host.ts";
import type { Kernel } from "./kernel.ts";

export class WaitGroup {
  readonly #waiters: Parked<void>[] = [];
  readonly #reason: string;
  #count = 0;

  constructor(
    private readonly kernel: Kernel,
    readonly label: string,
  ) {
    this.#reason = `wait for wait group ${label}`;
  }

  get count(): number {
    return this.#count;
  }

  add(n = 1): void {
    if (!Number.isSafeInteger(n))
      throw new RangeError(`wait group ${this.label}: add(${n}) needs an integer`);
    const next = this.#count + n;
    if (next < 0) throw new Error(`wait group ${this.label}: negative counter (${next})`);
    this.#count = next;
    if (next === 0) for (const w of this.#waiters.splice(0)) w.deliver(undefined);
  }

  done(): void {
    this.add(-1);
  }

  wait(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    const parked = this.kernel.park<void>(this.#reason);
    this.#waiters.push(parked);
    return parked.promise;
  }
}
