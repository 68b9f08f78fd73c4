// One simulated deployment's database: a shared driver (PGlite or PostgreSQL), the simulated
// advisory-lock manager, the fault hooks, and one connection identity per replica.
//
//   const db = await Database.open({ driver, clock, rng, latency });   // reset to the seed
//   const store = db.connect("replica-0");                              // a root Store
//   db.loseConnection("replica-0");                                     // a fault mid-cycle
import type { DurationDistribution, RandomStream } from "../kernel/rng.ts";
import { type DatabaseClock, type DatabaseScheduler, SimulatedConnection } from "./connection.ts";
import type { SqlDriver } from "./driver.ts";
import { DriverGate } from "./driverGate.ts";
import { QueryFaults } from "./faults.ts";
import { LockManager } from "./lockManager.ts";
import { resetToSeed } from "./reset.ts";
import { RootStore } from "./rootStore.ts";
import type { Store } from "./store.ts";

export interface DatabaseOptions {
  /** A migrated driver (see `openDriver`/`sharedDriver`); one serves many runs in turn. */
  driver: SqlDriver;
  clock: DatabaseClock;
  /** Seeded streams: "db.latency.<connection>" for latency, "db.faults" for fault draws. */
  rng: { stream(name: string): RandomStream };
  /** Simulated latency of every round trip (default: none). */
  latency?: DurationDistribution;
  /**
   * The kernel, so that a round trip whose latency is 0 still parks (yields) inside a task.
   * Without it a zero latency is no park point (what tests that write fixtures from outside any
   * task rely on).
   */
  scheduler?: DatabaseScheduler;
}

export class Database {
  readonly driver: SqlDriver;
  readonly clock: DatabaseClock;
  readonly locks: LockManager;
  readonly faults: QueryFaults;
  readonly #gate: DriverGate;
  readonly #rng: DatabaseOptions["rng"];
  readonly #latency: DurationDistribution;
  readonly #scheduler: DatabaseScheduler | undefined;
  readonly #stores = new Map<string, RootStore>();

  private constructor(options: DatabaseOptions) {
    this.driver = options.driver;
    this.clock = options.clock;
    this.#rng = options.rng;
    this.#latency = options.latency ?? { fixed: 0 };
    this.#scheduler = options.scheduler;
    this.#gate = DriverGate.of(options.driver);
    this.locks = new LockManager(options.clock);
    this.faults = new QueryFaults(options.rng.stream("db.faults"));
  }

  /** Resets the driver's data to the seeded empty state and returns a fresh Database on it. */
  static async open(options: DatabaseOptions): Promise<Database> {
    await resetToSeed(options.driver);
    return new Database(options);
  }

  /** The root Store of the connection `name` (one per replica); the same object for the same name. */
  connect(name: string): Store {
    let store = this.#stores.get(name);
    if (store === undefined) {
      const connection = new SimulatedConnection(
        name,
        this.clock,
        this.#gate,
        this.locks,
        this.faults,
        this.#latency,
        this.#rng.stream(`db.latency.${name}`),
        this.#scheduler,
      );
      store = new RootStore(connection);
      this.#stores.set(name, store);
    }
    return store;
  }

  /** The connection broke: its leases end now and its open lock sessions fail from now on. Returns the leases ended. */
  loseConnection(name: string): number {
    return this.locks.loseConnection(name);
  }
}
