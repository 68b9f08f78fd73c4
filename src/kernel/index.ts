// The kernel layer's public API: the deterministic scheduler, Go-style primitives, seeded
// randomness, the determinism guard and the trace event types.
export { Channel, CLOSED, type Closed } from "./channel.ts";
export {
  type CancelFunc,
  Context,
  ContextCanceledError,
  DeadlineExceededError,
} from "./context.ts";
export { type DemoOptions, type DemoSummary, formatDemoSummary, runKernelDemo } from "./demo.ts";
export {
  DeadlockError,
  KernelStoppedError,
  LivelockError,
  type ParkedTaskReport,
  TaskFailedError,
  type TaskFailure,
  WatchdogError,
} from "./errors.ts";
export type { KernelEvent, KernelEventKind, KernelEventSink } from "./events.ts";
export {
  DEFAULT_EXEMPT,
  DeterminismGuard,
  DeterminismViolation,
  type GuardMode,
  type GuardOptions,
  type GuardViolation,
} from "./guard.ts";
export {
  type FailurePolicy,
  Kernel,
  type KernelOptions,
  type RunOptions,
  type RunOutcome,
  type SchedulingPolicy,
} from "./kernel.ts";
export { Mutex } from "./mutex.ts";
export * from "./rng.ts";
export { type Selected, select } from "./select.ts";
export type { TaskInfo, TaskState } from "./task.ts";
export { TaskGroup, type TaskGroupOptions } from "./task-group.ts";
export { WaitGroup } from "./wait-group.ts";
export { DEFAULT_STALL_AFTER_MS } from "./watchdog.ts";
