// Go's sync.Mutex, made fair: unlock hands the mutex straight to the longest waiter, so a task that
// locks again right after unlocking cannot overtake the queue. `lock` is a park point when the
// mutex is held.
import type { Parked } from "../clock/host.ts";
import type { Kernel } from "./kernel.ts";
import type { TaskInfo } from "./task.ts";

interface LockWaiter {
  readonly parked: Parked<void>;
  readonly task: TaskInfo | null;
}

export class Mutex {
  readonly #waiters: LockWaiter[] = [];
  #locked = false;
  #owner: TaskInfo | null = null;

  constructor(
    private readonly kernel: Kernel,
    readonly label: string,
  ) {}

  get locked(): boolean {
    return this.#locked;
  }

  /** The task that holds the mutex (null when free, or when locked from outside any task). */
  get owner(): TaskInfo | null {
    return this.#owner;
  }

  lock(): Promise<void> {
    if (this.tryLock()) return Promise.resolve();
    const task = this.kernel.currentTask;
    const parked = this.kernel.park<void>(this);
    this.#waiters.push({ parked, task });
    return parked.promise;
  }

  tryLock(): boolean {
    if (this.#locked) return false;
    this.#locked = true;
    this.#owner = this.kernel.currentTask;
    return true;
  }

  unlock(): void {
    if (!this.#locked) throw new Error(`unlock of unlocked mutex ${this.label}`);
    const next = this.#waiters.shift();
    if (next) {
      this.#owner = next.task;
      next.parked.deliver(undefined);
      return;
    }
    this.#locked = false;
    this.#owner = null;
  }

  /** The park reason of a waiting `lock`, computed when a report asks for it. */
  describe(): string {
    const owner = this.#owner;
    return `lock mutex ${this.label}${owner ? ` (held by #${owner.id} ${owner.name})` : ""}`;
  }
}
