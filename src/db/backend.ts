// Which SQL backend a process uses: PGlite in-process by default, a real PostgreSQL server when
// PREBUILDSIM_DATABASE_URL is set. Either way the driver comes back migrated.
import type { SqlDriver } from "./driver.ts";
import { migrate } from "./migrate.ts";
import { openPGliteDriver } from "./pgliteDriver.ts";
import { openPostgresDriver, type PostgresDriverOptions } from "./postgresDriver.ts";

export const DATABASE_URL_VARIABLE = "PREBUILDSIM_DATABASE_URL";

/** The configured PostgreSQL URL, or undefined for PGlite. */
export function databaseUrlFromEnvironment(): string | undefined {
  const url = process.env[DATABASE_URL_VARIABLE];
  return url === undefined || url.trim() === "" ? undefined : url.trim();
}

/** Opens and migrates a driver: PostgreSQL at `url` when given, PGlite otherwise. */
export async function openDriver(url?: string, options: PostgresDriverOptions = {}): Promise<SqlDriver> {
  const driver = url === undefined ? await openPGliteDriver() : await openPostgresDriver(url, options);
  await migrate(driver);
  return driver;
}

let shared: Promise<SqlDriver> | undefined;

/**
 * The process's one driver (PGlite costs seconds and hundreds of MB to start: one per worker
 * process, reset between runs), chosen by PREBUILDSIM_DATABASE_URL.
 */
export function sharedDriver(): Promise<SqlDriver> {
  shared ??= openDriver(databaseUrlFromEnvironment()).then(forgottenWhenClosed);
  return shared;
}

/**
 * The shared driver, closing which also forgets it: whoever asks next gets a new one instead of a
 * closed one (`npm run bench` runs sections one after another in one process, and one closing the
 * driver made the next fail inside PGlite).
 */
function forgottenWhenClosed(driver: SqlDriver): SqlDriver {
  const close = driver.close.bind(driver);
  driver.close = async () => {
    shared = undefined;
    await close();
  };
  return driver;
}
