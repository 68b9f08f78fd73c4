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

export class SimulatedConnection {
  constructor(
    readonly name: string,
    readonly clock: DatabaseClock,
    readonly gate: DriverGate,
    readonly locks: LockManager,
    readonly faults: QueryFaults,
    private readonly latency: DurationDistribution,
    private readonly latencyStream: RandomStream,
  ) {}

  /**
   * The park point of one round trip: sleep a sampled latency on the virtual clock. Under the
   * kernel this is where other tasks run; the operation itself then runs without parking.
   */
  park(what: string): Promise<void> {
    return this.clock.sleep(sampleDuration(this.latencyStream, this.latency), "db", this.name, what);
  }
}

/** The statement that gives a transaction the requested isolation and access mode. */
export function transactionModeSql(options: TxOptions | undefined, forceReadOnly: boolean): string {
  const isolation = (options?.isolation ?? "read committed").toUpperCase();
  const readOnly = forceReadOnly || options?.readOnly === true;
  return `SET TRANSACTION ISOLATION LEVEL ${isolation}, ${readOnly ? "READ ONLY" : "READ WRITE"}`;
}
