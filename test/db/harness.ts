// Runs a db test suite against every available backend: PGlite always, PostgreSQL when
// PREBUILDSIM_DATABASE_URL is set (CI sets it; locally: `export PREBUILDSIM_DATABASE_URL=$(sudo
// scripts/postgres.sh)`). Without it the PostgreSQL suite shows as skipped, with the reason.
import { afterAll, beforeAll, beforeEach, describe } from "vitest";
import { DATABASE_URL_VARIABLE, databaseUrlFromEnvironment, openDriver } from "../../src/db/backend.ts";
import { Database } from "../../src/db/database.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import { DbFixtures } from "../../src/db/fixtures.ts";
import type { Store } from "../../src/db/store.ts";
import { Rng } from "../../src/kernel/rng.ts";
import { InstantClock } from "./instantClock.ts";

/** Monday 2 March 2026, 08:00 UTC: the instant every db test starts at. */
export const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);

export interface DbTestContext {
  driver: SqlDriver;
  clock: InstantClock;
  rng: Rng;
  db: Database;
  /** The root store of connection "test". */
  store: Store;
  fx: DbFixtures;
}

const url = databaseUrlFromEnvironment();

// One driver per backend per test file (PGlite costs seconds and ~200 MB to start), shared by all
// the file's describe blocks and closed when the file is done.
const drivers = new Map<string, Promise<SqlDriver>>();
function driverFor(backendUrl: string | undefined): Promise<SqlDriver> {
  const key = backendUrl ?? "pglite";
  let driver = drivers.get(key);
  if (driver === undefined) {
    driver = openDriver(backendUrl);
    drivers.set(key, driver);
  }
  return driver;
}
afterAll(async () => {
  const open = [...drivers.values()];
  drivers.clear();
  for (const driver of open) await (await driver).close();
});

/**
 * `describe`s `title` once per backend. `body` receives a getter for the context, which is fresh
 * (database reset to the seed, clock at T0) for every test.
 */
export function describeEachBackend(title: string, body: (ctx: () => DbTestContext) => void): void {
  describe(`${title} [pglite]`, () => withBackend(undefined, body));
  describe.skipIf(url === undefined)(
    `${title} [postgres]${url === undefined ? ` — skipped: ${DATABASE_URL_VARIABLE} is unset (scripts/postgres.sh starts one)` : ""}`,
    () => withBackend(url, body),
  );
}

function withBackend(backendUrl: string | undefined, body: (ctx: () => DbTestContext) => void): void {
  let driver: SqlDriver | undefined;
  let current: DbTestContext | undefined;
  beforeAll(async () => {
    driver = await driverFor(backendUrl);
  });
  beforeEach(async () => {
    if (driver === undefined) throw new Error("db test harness: driver did not open");
    const clock = new InstantClock(T0);
    const rng = new Rng("db-test");
    const db = await Database.open({ driver, clock, rng });
    const store = db.connect("test");
    const fx = new DbFixtures(store, { ids: rng.stream("ids"), now: () => clock.now() });
    current = { driver, clock, rng, db, store, fx };
  });
  body(() => {
    if (current === undefined) throw new Error("db test harness: context used outside a test");
    return current;
  });
}
