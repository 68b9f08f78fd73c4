// The deterministic scheduler (ARCHITECTURE.md §2). Tasks pass a baton: exactly one runs at a time,
// and it runs until it parks at a park point (a clock wait, a sync primitive, `yield`), which it
// announces by calling `park`; the kernel never infers quiescence from the microtask queue, so a
// task may await anything (PGlite, say) while it holds the baton and nothing else runs meanwhile.
//
// The kernel runs only while someone drives it: `run` (which also moves virtual time forward to the
// next clock event whenever no task can run, FoundationDB style), or `runUntilIdle` and the clock's
// test-facing promises (trap waits, advance waiters), which run tasks at the current instant until
// none can run. In between, spawns and wakes only queue tasks, so code outside the kernel (a test,
// the world's setup awaiting the database) never interleaves with tasks.
import { formatInstant } from "../clock/format.ts";
import {
  type ClockHost,
  type Describable,
  describeReason,
  type Parked,
  type WaitReason,
} from "../clock/host.ts";
import type { Instant } from "../clock/types.ts";
import { VirtualClock } from "../clock/virtual-clock.ts";
import {
  DeadlockError,
  errorText,
  KernelStoppedError,
  LivelockError,
  type ParkedTaskReport,
  TaskFailedError,
  type TaskFailure,
  WatchdogError,
} from "./errors.ts";
import {
  KERNEL_EVENT_KINDS,
  type KernelEvent,
  type KernelEventKind,
  type KernelEventSink,
} from "./events.ts";
import { Queue } from "./queue.ts";
import { type RandomStream, Rng } from "./rng.ts";
import { Task, type TaskInfo } from "./task.ts";
import { DEFAULT_STALL_AFTER_MS, Watchdog } from "./watchdog.ts";

/** How the kernel picks among tasks runnable at the same instant. */
export type SchedulingPolicy = "fifo" | "random";
/** Whether a task's uncaught error stops the kernel ("abort") or is only recorded ("record"). */
export type FailurePolicy = "abort" | "record";

export interface KernelOptions {
  /** The run's seed; the "kernel" stream of `rng` (or of a fresh Rng of this seed) drives `random`. */
  seed?: number | string;
  rng?: Rng;
  /** The virtual start instant (default: quartz's, 2024-01-01T00:00:00Z). */
  start?: Instant;
  policy?: SchedulingPolicy;
  onTaskFailure?: FailurePolicy;
  /** Real-time stall detection while the kernel is driven; false turns it off. */
  watchdog?: { stallAfterMs: number } | false;
  /**
   * Task switches allowed at one virtual instant before the kernel halts with a LivelockError
   * (default Infinity: no limit). Counting costs nothing the history can see.
   */
  maxSwitchesPerInstant?: number;
}

export interface RunOptions {
  /** Stop before virtual time passes this instant (the clock is left exactly there). */
  until?: Instant;
}

export interface RunOutcome {
  /** "deadline": the next clock event lies after `until`; "finished": no task and no event left. */
  readonly reason: "deadline" | "finished";
  readonly at: Instant;
}

type WakeFn = (task: Task, seq: number, value: unknown, failed: boolean) => boolean;

/** The kernel's `Parked`: delivering wakes the task it was created for, once. */
class TaskParking<T> implements Parked<T> {
  readonly promise: Promise<T>;
  readonly #seq: number;

  constructor(
    private readonly task: Task,
    private readonly wake: WakeFn,
  ) {
    this.#seq = task.parkSeq;
    this.promise = new Promise<T>((resolve, reject) => {
      task.resume = resolve as (value: unknown) => void;
      task.abort = reject;
    });
  }

  deliver(value: T): boolean {
    return this.wake(this.task, this.#seq, value, false);
  }

  fail(error: unknown): boolean {
    return this.wake(this.task, this.#seq, error, true);
  }
}

interface Settle {
  resolve(): void;
  reject(error: unknown): void;
}

interface ActiveRun {
  readonly until: Instant;
  resolve(outcome: RunOutcome): void;
  reject(error: unknown): void;
}

export class Kernel implements ClockHost {
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly policy: SchedulingPolicy;
  readonly failurePolicy: FailurePolicy;
  /** Every uncaught task error, in the order they happened. */
  readonly failures: TaskFailure[] = [];

  readonly #pickStream: RandomStream;
  readonly #runq = new Queue<Task>();
  /**
   * Runnable observer tasks (`spawnObserver`): they run before any pick and are never counted in
   * one, so the rest of the run draws the same picks with or without them.
   */
  readonly #observers = new Queue<Task>();
  /** Unfinished tasks in spawn order (so reports list them deterministically). */
  readonly #live = new Map<number, Task>();
  readonly #sinks: { sink: KernelEventSink; kinds: ReadonlySet<KernelEventKind> | null }[] = [];
  /**
   * How many sinks want each kind. Park, switch, wake and fire happen on every step of a run, and
   * building their events (park reasons are formatted text) costs more than the step itself: they
   * are only built when some sink asked for them.
   */
  readonly #wanted = new Map<KernelEventKind, number>();
  readonly #watchdog: Watchdog | null;
  #idleWaiters: Settle[] = [];
  #current: Task | null = null;
  #nextId = 1;
  #switches = 0;
  readonly #maxSwitchesPerInstant: number;
  /** Switches at `#instant`, the instant of the last switch. */
  #instantSwitches = 0;
  #instant: Instant = Number.NaN;
  #dispatchScheduled = false;
  #dispatching = false;
  #running: ActiveRun | null = null;
  #halted: Error | null = null;

  constructor(options: KernelOptions = {}) {
    this.rng = options.rng ?? new Rng(options.seed ?? 0);
    this.policy = options.policy ?? "fifo";
    this.failurePolicy = options.onTaskFailure ?? "abort";
    this.#maxSwitchesPerInstant = options.maxSwitchesPerInstant ?? Number.POSITIVE_INFINITY;
    this.#pickStream = this.rng.stream("kernel");
    this.clock = new VirtualClock({ start: options.start, host: this });
    const wd = options.watchdog ?? { stallAfterMs: DEFAULT_STALL_AFTER_MS };
    this.#watchdog = wd
      ? new Watchdog(
          wd,
          { holder: () => this.#current, switches: () => this.#switches },
          (holder, stalledMs) =>
            this.#halt(new WatchdogError(holder.id, holder.name, this.clock.time, stalledMs)),
        )
      : null;
  }

  /** The current virtual instant. */
  get now(): Instant {
    return this.clock.time;
  }

  /** The task holding the baton, or null outside tasks. */
  get currentTask(): TaskInfo | null {
    return this.#current;
  }

  /** How many times the baton has been handed to a task. */
  get switches(): number {
    return this.#switches;
  }

  /** Unfinished tasks, in spawn order. */
  get tasks(): readonly TaskInfo[] {
    return [...this.#live.values()];
  }

  /**
   * Attaches a trace sink, for every event or only those of `kinds`; returns the function that
   * detaches it.
   */
  onEvent(sink: KernelEventSink, kinds?: readonly KernelEventKind[]): () => void {
    const entry = { sink, kinds: kinds === undefined ? null : new Set(kinds) };
    this.#sinks.push(entry);
    this.#countWanted(entry.kinds, 1);
    return () => {
      const i = this.#sinks.indexOf(entry);
      if (i < 0) return;
      this.#sinks.splice(i, 1);
      this.#countWanted(entry.kinds, -1);
    };
  }

  #countWanted(kinds: ReadonlySet<KernelEventKind> | null, delta: number): void {
    for (const kind of kinds ?? KERNEL_EVENT_KINDS)
      this.#wanted.set(kind, (this.#wanted.get(kind) ?? 0) + delta);
  }

  #wants(kind: KernelEventKind): boolean {
    return (this.#wanted.get(kind) ?? 0) > 0;
  }

  /** Creates a task; it first runs when the kernel is driven and picks it. */
  spawn(name: string, fn: () => void | PromiseLike<void>): TaskInfo {
    return this.#spawn(name, fn, undefined);
  }

  /**
   * Creates an observer task: one that only looks (a sampler reading the database without latency)
   * and wakes nothing, so it must not change the history it looks at. Whenever it is runnable it
   * runs before the next pick, and it never takes part in one: under the random policy the other
   * tasks get the same picks — the same interleaving — whether it exists and however often it
   * wakes. It must not write what other tasks read, nor wake them.
   */
  spawnObserver(name: string, fn: () => void | PromiseLike<void>): TaskInfo {
    return this.#spawn(name, fn, undefined, true);
  }

  /**
   * Parks the calling task until the returned handle is delivered (or failed). The caller registers
   * the handle with whatever will wake it and then awaits `promise`; the baton passes on only after
   * the caller's synchronous code has finished. Throws outside a task: only tasks may wait.
   */
  park<T>(reason: WaitReason): Parked<T> {
    const task = this.#current;
    if (!task) {
      if (this.#halted) throw this.#halted;
      throw new Error(
        `blocking wait (${describeReason(reason)}) outside a kernel task at ${formatInstant(this.clock.time)}: ` +
          `only code running in a task spawned on the kernel may wait`,
      );
    }
    task.state = "parked";
    task.reason = reason;
    task.parkSeq++;
    this.#current = null;
    const parking = new TaskParking<T>(task, this.#wake);
    if (this.#wants("park")) {
      this.#emit({ kind: "park", at: this.clock.time, task: task.id, reason: describeReason(reason) });
    }
    this.#schedule();
    return parking;
  }

  /** A park point that is immediately runnable again: lets other runnable tasks go first. */
  yield(): Promise<void> {
    const parked = this.park<void>("yield");
    parked.deliver(undefined);
    return parked.promise;
  }

  /**
   * Runs tasks, moving virtual time to the next clock event whenever none can run, until the next
   * event lies after `until` or nothing is left. Rejects with a DeadlockError when tasks are parked
   * and nothing can wake them, with a TaskFailedError under the "abort" policy, with a WatchdogError
   * on a stall.
   */
  run(options: RunOptions = {}): Promise<RunOutcome> {
    if (this.#halted) return Promise.reject(this.#halted);
    if (this.#running) return Promise.reject(new Error("kernel.run: a run is already in progress"));
    const until = options.until ?? Number.POSITIVE_INFINITY;
    if (until !== Number.POSITIVE_INFINITY && !Number.isSafeInteger(until)) {
      return Promise.reject(new RangeError(`kernel.run: until ${until} is not a whole millisecond instant`));
    }
    if (until < this.clock.time) {
      return Promise.reject(
        new RangeError(
          `kernel.run: until ${formatInstant(until)} is before now, ${formatInstant(this.clock.time)}`,
        ),
      );
    }
    return new Promise<RunOutcome>((resolve, reject) => {
      this.#running = { until, resolve, reject };
      this.#watchdog?.start();
      this.#schedule();
    });
  }

  /** Runs tasks at the current instant until none can run; never moves virtual time. */
  runUntilIdle(): Promise<void> {
    if (this.#running) return Promise.reject(new Error("kernel.runUntilIdle: run() is in progress"));
    return this.#whenIdle();
  }

  /**
   * Ends the kernel: unfinished tasks are abandoned (never resumed) and returned, so the caller can
   * report what was still waiting. Cancel tasks through their contexts and `runUntilIdle` first to
   * let them finish cleanly.
   */
  stop(): TaskInfo[] {
    const abandoned = [...this.#live.values()];
    for (const task of abandoned) task.state = "abandoned";
    this.#live.clear();
    this.#runq.drain();
    this.#observers.drain();
    this.#current = null;
    this.#halt(new KernelStoppedError(this.clock.time));
    return abandoned;
  }

  // ---- ClockHost ------------------------------------------------------------------------------

  runCallback(name: string, fn: () => void | PromiseLike<void>, onDone: (error?: unknown) => void): void {
    this.#spawn(name, fn, onDone);
  }

  idle(): Promise<void> {
    return this.#whenIdle();
  }

  clockAdvanced(from: Instant, to: Instant): void {
    if (this.#wants("advance")) this.#emit({ kind: "advance", from, to });
  }

  clockFired(at: Instant, event: Describable): void {
    if (this.#wants("fire")) this.#emit({ kind: "fire", at, event: event.describe() });
  }

  // ---- internals ------------------------------------------------------------------------------

  #spawn(
    name: string,
    fn: () => void | PromiseLike<void>,
    onDone: ((error?: unknown) => void) | undefined,
    observer = false,
  ): TaskInfo {
    if (this.#halted) throw this.#halted;
    const parent = this.#current?.id ?? null;
    const task = new Task(this.#nextId++, name, parent, fn, onDone, observer);
    this.#live.set(task.id, task);
    if (this.#wants("spawn")) {
      this.#emit({ kind: "spawn", at: this.clock.time, task: task.id, name, parent });
    }
    this.#queueOf(task).push(task);
    this.#schedule();
    return task;
  }

  readonly #wake: WakeFn = (task, seq, value, failed) => {
    if (task.state !== "parked" || task.parkSeq !== seq) return false;
    task.state = "runnable";
    task.reason = undefined;
    task.wakeValue = value;
    task.wakeFailed = failed;
    this.#queueOf(task).push(task);
    if (this.#wants("wake")) this.#emit({ kind: "wake", at: this.clock.time, task: task.id });
    this.#schedule();
    return true;
  };

  #driven(): boolean {
    return this.#running !== null || this.#idleWaiters.length > 0;
  }

  #schedule(): void {
    if (this.#dispatchScheduled || this.#dispatching || this.#current || this.#halted || !this.#driven())
      return;
    this.#dispatchScheduled = true;
    queueMicrotask(this.#dispatch);
  }

  /** Hands the baton to the next runnable task, moving time forward first when running. */
  readonly #dispatch = (): void => {
    this.#dispatchScheduled = false;
    this.#dispatching = true;
    try {
      while (!this.#current && !this.#halted) {
        const next = this.#takeNext();
        if (next) {
          // a task that returned without awaiting its park finished while queued: skip it
          if (next.state === "runnable") this.#give(next);
          continue;
        }
        if (this.#running && this.clock.fireNext(this.#running.until)) continue;
        this.#quiesce();
        break;
      }
    } finally {
      this.#dispatching = false;
    }
  };

  #queueOf(task: Task): Queue<Task> {
    return task.observer ? this.#observers : this.#runq;
  }

  /** The next task to run: a runnable observer, else the policy's pick. */
  #takeNext(): Task | undefined {
    return this.#observers.size > 0 ? this.#observers.take(0) : this.#runq.take(this.#pickOffset());
  }

  #pickOffset(): number {
    const n = this.#runq.size;
    if (this.policy === "fifo" || n <= 1) return 0;
    return this.#pickStream.int(n);
  }

  #give(task: Task): void {
    if (this.#instant !== this.clock.time) {
      this.#instant = this.clock.time;
      this.#instantSwitches = 0;
    }
    if (++this.#instantSwitches > this.#maxSwitchesPerInstant) {
      this.#halt(new LivelockError(this.clock.time, this.#instantSwitches - 1, task.name));
      return;
    }
    this.#current = task;
    task.state = "running";
    this.#switches++;
    if (this.#wants("switch")) this.#emit({ kind: "switch", at: this.clock.time, task: task.id });
    if (!task.started) {
      task.started = true;
      this.#start(task);
      return;
    }
    const resume = task.resume as (value: unknown) => void;
    const abort = task.abort as (error: unknown) => void;
    task.resume = undefined;
    task.abort = undefined;
    const value = task.wakeValue;
    task.wakeValue = undefined;
    if (task.wakeFailed) abort(value);
    else resume(value);
  }

  #start(task: Task): void {
    let result: unknown;
    try {
      result = task.fn();
    } catch (error) {
      this.#finish(task, true, error);
      return;
    }
    // A thenable (a LazyWait returned as the task's body, say) is awaited like a promise.
    if (isThenable(result)) {
      Promise.resolve(result).then(
        () => this.#finish(task, false, undefined),
        (error: unknown) => this.#finish(task, true, error),
      );
    } else {
      this.#finish(task, false, undefined);
    }
  }

  #finish(task: Task, failed: boolean, error: unknown): void {
    if (task.state === "abandoned") return;
    if (this.#current === task) this.#current = null;
    const misused = task.state !== "running";
    task.state = "finished";
    this.#live.delete(task.id);
    if (misused && !failed) {
      // the task returned while parked: it did not await one of its park points
      failed = true;
      error = new Error(
        `task ${task} returned while parked on ${describeReason(task.reason ?? "?")}: a park was not awaited`,
      );
    }
    if (this.#wants("finish")) {
      this.#emit(
        failed
          ? { kind: "finish", at: this.clock.time, task: task.id, error: errorText(error) }
          : { kind: "finish", at: this.clock.time, task: task.id },
      );
    }
    task.onDone?.(failed ? error : undefined);
    if (failed) {
      const failure: TaskFailure = { taskId: task.id, task: task.name, at: this.clock.time, error };
      this.failures.push(failure);
      if (this.failurePolicy === "abort") this.#halt(new TaskFailedError(failure));
    }
    this.#schedule();
  }

  /** Nothing can run at this instant (and, when running, nothing more is due before `until`). */
  #quiesce(): void {
    const run = this.#running;
    if (run) {
      this.#running = null;
      if (this.clock.pending > 0) {
        this.clock.advance(run.until - this.clock.time);
        run.resolve({ reason: "deadline", at: this.clock.time });
      } else {
        const parked = this.#parkedReport();
        if (parked.length > 0) run.reject(new DeadlockError(this.clock.time, parked));
        else run.resolve({ reason: "finished", at: this.clock.time });
      }
    }
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w.resolve();
    if (!this.#driven()) this.#watchdog?.stop();
  }

  #parkedReport(): ParkedTaskReport[] {
    const out: ParkedTaskReport[] = [];
    for (const task of this.#live.values()) {
      if (task.state === "parked") {
        out.push({ id: task.id, name: task.name, waitsFor: describeReason(task.reason ?? "?") });
      }
    }
    return out;
  }

  #whenIdle(): Promise<void> {
    if (this.#halted) return Promise.reject(this.#halted);
    if (!this.#current && this.#runq.size === 0 && this.#observers.size === 0 && !this.#running)
      return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#idleWaiters.push({ resolve, reject });
      this.#watchdog?.start();
      this.#schedule();
    });
  }

  #halt(error: Error): void {
    if (this.#halted) return;
    this.#halted = error;
    this.#watchdog?.stop();
    const run = this.#running;
    this.#running = null;
    run?.reject(error);
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w.reject(error);
  }

  #emit(event: KernelEvent): void {
    for (const { sink, kinds } of this.#sinks) if (kinds === null || kinds.has(event.kind)) sink(event);
  }
}

function isThenable(value: unknown): value is PromiseLike<void> {
  return typeof (value as PromiseLike<void> | undefined)?.then === "function";
}
