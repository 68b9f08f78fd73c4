// The world's settings, resolved in one place (as fast-check resolves its Parameters into
// QualifiedParameters): callers pass what they want to change, `resolveWorldSettings` fills in
// every default below and checks the values, and every component reads the resolved object. A
// setting that is not here is the scenario's (SCENARIOS.md), not the world's.
import { DEFAULT_STALL_AFTER_MS, type SchedulingPolicy } from "../kernel/index.ts";

/** What a caller may set; everything is optional. */
export interface WorldParameters {
  /**
   * How the kernel picks among tasks runnable at one instant. Default `"random"` (from the run's
   * seed): each seed explores another interleaving. The kernel's own default is `"fifo"`, which
   * suits its unit tests; a simulated deployment always states its choice here.
   */
  readonly policy?: SchedulingPolicy;
  /**
   * Real milliseconds a task may hold the baton without reaching a park point before the watchdog
   * reports a hang (a PGlite call that never settles); `false` turns the watchdog off. Default
   * `DEFAULT_STALL_AFTER_MS` (30 s), the kernel's. Never changes a history, only whether a hang ends it.
   */
  readonly stallAfterMs?: number | false;
  /**
   * How many times in a row an actor outside coderd's request paths (provisioner daemon, agent,
   * operator) retries a round trip a database fault failed, before the error escapes to its task
   * (a `task.error`). Default `Infinity`: they retry for as long as the run lasts, as a daemon
   * does.
   */
  readonly retryAttempts?: number;
  /**
   * Task switches allowed at one virtual instant before the kernel halts the run with a
   * LivelockError (tasks waking each other forever, which virtual time cannot end). Default
   * `Infinity`: no limit (a run with many daemons and people makes tens of thousands of switches
   * at busy instants, and none of today's scenarios livelocks).
   */
  readonly maxSwitchesPerInstant?: number;
}

/** Every setting, resolved. */
export interface WorldSettings {
  readonly policy: SchedulingPolicy;
  /** Always `"record"`: a task that throws is a finding (`no-crash`), not the end of the run. */
  readonly onTaskFailure: "record";
  readonly watchdog: { readonly stallAfterMs: number } | false;
  readonly retryAttempts: number;
  readonly maxSwitchesPerInstant: number;
}

export const DEFAULT_WORLD_PARAMETERS = {
  policy: "random",
  stallAfterMs: DEFAULT_STALL_AFTER_MS,
  retryAttempts: Number.POSITIVE_INFINITY,
  maxSwitchesPerInstant: Number.POSITIVE_INFINITY,
} as const satisfies Required<WorldParameters>;

/** `parameters` with every default filled in; throws a RangeError naming a value out of range. */
export function resolveWorldSettings(parameters: WorldParameters = {}): WorldSettings {
  const policy = parameters.policy ?? DEFAULT_WORLD_PARAMETERS.policy;
  const stallAfterMs = parameters.stallAfterMs ?? DEFAULT_WORLD_PARAMETERS.stallAfterMs;
  const retryAttempts = parameters.retryAttempts ?? DEFAULT_WORLD_PARAMETERS.retryAttempts;
  const maxSwitchesPerInstant =
    parameters.maxSwitchesPerInstant ?? DEFAULT_WORLD_PARAMETERS.maxSwitchesPerInstant;
  if (stallAfterMs !== false && !(stallAfterMs > 0)) {
    throw new RangeError(`world settings: stallAfterMs must be positive or false, got ${stallAfterMs}`);
  }
  if (!(retryAttempts >= 1) || (Number.isFinite(retryAttempts) && !Number.isInteger(retryAttempts))) {
    throw new RangeError(
      `world settings: retryAttempts must be a whole number ≥ 1 or Infinity, got ${retryAttempts}`,
    );
  }
  if (!(maxSwitchesPerInstant >= 1)) {
    throw new RangeError(
      `world settings: maxSwitchesPerInstant must be at least 1, got ${maxSwitchesPerInstant}`,
    );
  }
  return {
    policy,
    onTaskFailure: "record",
    watchdog: stallAfterMs === false ? false : { stallAfterMs },
    retryAttempts,
    maxSwitchesPerInstant,
  };
}
