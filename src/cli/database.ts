// The database a command runs on: the in-process PGlite, or PostgreSQL when --database-url (or
// PREBUILDSIM_DATABASE_URL) is given. Opened once per process and reused run after run.
import { openDriver } from "../db/backend.ts";
import type { SqlDriver } from "../db/driver.ts";
import type { PostgresDriverOptions } from "../db/postgresDriver.ts";
import { InputError } from "../run/inputError.ts";

/** Opens the driver; a PostgreSQL that cannot be reached is bad input (the URL), exit 2. */
export async function openCommandDriver(
  databaseUrl: string | undefined,
  options: PostgresDriverOptions = {},
): Promise<SqlDriver> {
  try {
    return await openDriver(databaseUrl, options);
  } catch (error) {
    if (databaseUrl !== undefined && /cannot connect to PostgreSQL/.test((error as Error).message))
      throw new InputError(`--database-url: ${(error as Error).message}`, { cause: error });
    throw error;
  }
}

/** Runs `fn` with a driver and closes it afterwards (a PostgreSQL schema is dropped on close). */
export async function withDriver<T>(
  databaseUrl: string | undefined,
  fn: (driver: SqlDriver) => Promise<T>,
  options: PostgresDriverOptions = {},
): Promise<T> {
  const driver = await openCommandDriver(databaseUrl, options);
  try {
    return await fn(driver);
  } finally {
    await driver.close();
  }
}
