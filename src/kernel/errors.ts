// The ways a kernel run can end badly. Each names tasks and the virtual time.
import { formatInstant } from "../clock/format.ts";
import type { Instant } from "../clock/types.ts";

export interface ParkedTaskReport {
  readonly id: number;
  readonly name: string;
  /** What the task waits for. */
  readonly waitsFor: string;
}

/** Nothing can run, nothing is scheduled on the clock, and tasks are still parked. */
export class DeadlockError extends Error {
  constructor(
    readonly at: Instant,
    readonly parked: readonly ParkedTaskReport[],
  ) {
    super(
      `deadlock at ${formatInstant(at)}: no task can run and nothing is scheduled, but ${parked.length} ` +
        `task(s) are parked:\n${parked.map((p) => `  #${p.id} ${p.name}: ${p.waitsFor}`).join("\n")}`,
    );
    this.name = "DeadlockError";
  }
}

/** An error thrown by a task, with the task and the virtual time it failed at. */
export interface TaskFailure {
  readonly taskId: number;
  readonly task: string;
  readonly at: Instant;
  readonly error: unknown;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A task failed and the kernel's failure policy is "abort". */
export class TaskFailedError extends Error {
  constructor(readonly failure: TaskFailure) {
    super(
      `task #${failure.taskId} ${failure.task} failed at ${formatInstant(failure.at)}: ${errorText(failure.error)}`,
      {
        cause: failure.error,
      },
    );
    this.name = "TaskFailedError";
  }
}

/** A task held the baton too long in real time: it awaits something outside the kernel. */
export class WatchdogError extends Error {
  constructor(
    readonly taskId: number,
    readonly task: string,
    readonly at: Instant,
    readonly stalledMs: number,
  ) {
    super(
      `watchdog: task #${taskId} ${task} has held the baton for ${Math.round(stalledMs)} ms of real time at ` +
        `${formatInstant(at)} without reaching a park point; it awaits a promise outside the kernel ` +
        `(a hung database call, or a missing kernel.yield/park)`,
    );
    this.name = "WatchdogError";
  }
}

/**
 * Tasks kept handing the baton to each other at one virtual instant more often than the kernel's
 * `maxSwitchesPerInstant` allows: a livelock (say, two tasks yielding to each other forever), which
 * virtual time cannot end because it never advances.
 */
export class LivelockError extends Error {
  constructor(
    readonly at: Instant,
    readonly switches: number,
    readonly task: string,
  ) {
    super(
      `livelock: ${switches} task switches at ${formatInstant(at)} without virtual time advancing ` +
        `(the last to run: ${task}); tasks keep waking each other without waiting on the clock`,
    );
    this.name = "LivelockError";
  }
}

/** The kernel was stopped; nothing more runs on it. */
export class KernelStoppedError extends Error {
  constructor(at: Instant) {
    super(`the kernel was stopped at ${formatInstant(at)}`);
    this.name = "KernelStoppedError";
  }
}

export { errorText };
