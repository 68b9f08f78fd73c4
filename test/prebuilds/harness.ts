// One PGlite per test file, reset to the seed before every test (notes/TOOLCHAIN.md: starting
// PGlite costs seconds, a reset milliseconds). Tests that need no scheduler use a clock whose
// `sleep` returns at once; reconciler tests build a kernel on the same driver (`kernelHarness.ts`).
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Duration, Instant } from "../../src/clock/types.ts";
import { openDriver } from "../../src/db/backend.ts";
import type { DatabaseClock } from "../../src/db/connection.ts";
import { Database } from "../../src/db/database.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import { DbFixtures } from "../../src/db/fixtures.ts";
import type { Store } from "../../src/db/store.ts";
import { type RandomStream, Rng } from "../../src/kernel/rng.ts";

/** Monday 1 January 2024, 08:00 UTC (the cancel-pending tests' fixed instant, spec §9.5). */
export const T0: Instant = Date.UTC(2024, 0, 1, 8, 0, 0);

/** A clock the test sets by hand; every database round trip returns at once. */
export class ManualClock implements DatabaseClock {
  constructor(public current: Instant) {}
  now(): Instant {
    return this.current;
  }
  advance(d: Duration): void {
    this.current += d;
  }
  async sleep(): Promise<void> {}
}

export interface DbContext {
  readonly clock: ManualClock;
  readonly rng: Rng;
  readonly db: Database;
  readonly store: Store;
  readonly fx: DbFixtures;
  /** Ids for the code under test, apart from the fixtures' own stream. */
  readonly ids: RandomStream;
}

/** Registers the hooks that open the file's driver; the getter returns it inside tests. */
export function useDriver(): () => SqlDriver {
  let driver: SqlDriver | undefined;
  beforeAll(async () => {
    driver = await openDriver();
  });
  afterAll(async () => {
    await driver?.close();
  });
  return () => {
    if (driver === undefined) throw new Error("prebuilds test harness: driver did not open");
    return driver;
  };
}

/** A fresh database context for every test, on a manual clock at T0. */
export function useDatabase(): () => DbContext {
  const driver = useDriver();
  let current: DbContext | undefined;
  beforeEach(async () => {
    const clock = new ManualClock(T0);
    const rng = new Rng("prebuilds-test");
    const db = await Database.open({ driver: driver(), clock, rng });
    const store = db.connect("test");
    const fx = new DbFixtures(store, { ids: rng.stream("fixtures"), now: () => clock.now() });
    current = { clock, rng, db, store, fx, ids: rng.stream("ids") };
  });
  return () => {
    if (current === undefined) throw new Error("prebuilds test harness: context used outside a test");
    return current;
  };
}
