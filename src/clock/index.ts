// The clock layer's public API: the quartz-style `Clock` contract, the virtual clock with its
// traps and advance waiters, the real clock, and the host interface the kernel implements.
export { AdvanceWaiter } from "./advance-waiter.ts";
export { formatDuration, formatInstant } from "./format.ts";
export {
  type ClockHost,
  type Describable,
  describeReason,
  type Parked,
  StandaloneHost,
  type WaitReason,
} from "./host.ts";
export { RealClock } from "./real.ts";
export { EMPTY, type Empty, type Receiver, type Selectable } from "./selectable.ts";
export { type ClockMethod, Trap, TrapClosedError, TrappedCall, Trapper } from "./trap.ts";
export * from "./types.ts";
export { DEFAULT_START, VirtualClock, type VirtualClockOptions } from "./virtual-clock.ts";
