// A simulated database connection: the identity a replica's stores share (for lease ownership,
// fault targeting and error messages) and the latency every round trip pays on the virtual clock.
import type { Clock } from "../clock/types.ts";
import { type DurationDistribution, type RandomStream, sampleDuration } from "../kernel/rng.ts";
import type { DriverGate } from "./driverGate.ts";
import type { QueryFaults } from "./faults.ts";
import type { LockManager } from "./lockManager.ts";
import type { TxOptions } from "./store.ts";

/** All the db layer needs of a clock: the virtual time, and sleeping on it (the park point). */
export type DatabaseClock = Pick<Clock, "now" | "sleep">;

/**
 * What the db layer needs of the kernel: a zero-length park point. The virtual clock returns at
 * once from a sleep of 0, so without this a round trip whose sampled latency rounds to 0 ms would
 * not be a park point at all.
 */
export interface DatabaseScheduler {
  /** The task holding the baton, or null outside tasks (then there is nothing to yield). */
  readonly currentTask: unknown;
  yield(): Promise<void>;
}

export class SimulatedConnection {
  constructor(
    readonly name: string,
    readonly clock: DatabaseClock,
    readonly gate: DriverGate,
    readonly locks: LockManager,
    readonly faults: QueryFaults,
    private readonly latency: DurationDistribution,
    private readonly latencyStream: RandomStream,
    private readonly scheduler: DatabaseScheduler | undefined,
  ) {}

  /** The kernel task holding the baton, or null outside tasks (or without a kernel): the gate's caller. */
  task(): unknown {
    return this.scheduler?.currentTask ?? null;
  }

  /**
   * The park point of one round trip: sleep a sampled latency on the virtual clock (or, for a
   * latency of 0 inside a kernel task, yield). Under the kernel this is where other tasks run; the
   * operation itself then runs without parking.
   */
  park(what: string): Promise<void> {
    const latency = sampleDuration(this.latencyStream, this.latency);
    if (latency > 0 || this.scheduler === undefined || this.scheduler.currentTask === null) {
      return this.clock.sleep(latency, "db", this.name, what);
    }
    return this.scheduler.yield();
  }
}

/** The statement that gives a transaction the requested isolation and access mode. */
export function transactionModeSql(options: TxOptions | undefined, forceReadOnly: boolean): string {
  const isolation = (options?.isolation ?? "read committed").toUpperCase();
  const readOnly = forceReadOnly || options?.readOnly === true;
  return `SET TRANSACTION ISOLATION LEVEL ${isolation}, ${readOnly ? "READ ONLY" : "READ WRITE"}`;
}
