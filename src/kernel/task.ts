// A kernel task: Go's goroutine under baton passing. Its state changes only through the kernel.
import type { WaitReason } from "../clock/host.ts";

/**
 * runnable: waiting for the baton; running: holds the baton; parked: waits at a park point;
 * finished: its function returned or threw; abandoned: dropped by `Kernel.stop` while unfinished.
 */
export type TaskState = "runnable" | "running" | "parked" | "finished" | "abandoned";

export interface TaskInfo {
  readonly id: number;
  readonly name: string;
  /** The task that spawned it, or null when spawned from outside the kernel. */
  readonly parent: number | null;
  readonly state: TaskState;
}

export class Task implements TaskInfo {
  state: TaskState = "runnable";
  started = false;
  /** Counts parks, so that a wake meant for an earlier park is recognised as stale. */
  parkSeq = 0;
  reason: WaitReason | undefined;
  /** The resolvers of the current park's promise. */
  resume: ((value: unknown) => void) | undefined;
  abort: ((error: unknown) => void) | undefined;
  /** What the task is woken with, handed over when it gets the baton. */
  wakeValue: unknown;
  wakeFailed = false;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly parent: number | null,
    readonly fn: () => void | PromiseLike<void>,
    /** Called as soon as the task ends (clock callbacks report their completion this way). */
    readonly onDone: ((error?: unknown) => void) | undefined,
    /** An observer runs before any pick and never counts in one (`Kernel.spawnObserver`). */
    readonly observer = false,
  ) {}

  toString(): string {
    return `#${this.id} ${this.name}`;
  }
}
