// Fast reset to the seeded empty state: one TRUNCATE of every table, then the seed rows again.
// Reopening PGlite costs seconds; this costs milliseconds, so one instance serves many runs.
import type { SqlDriver } from "./driver.ts";
import { seedSql } from "./migrate.ts";

const tableLists = new WeakMap<SqlDriver, string>();

async function dataTables(driver: SqlDriver): Promise<string> {
  let list = tableLists.get(driver);
  if (list === undefined) {
    const rows = await driver.query(
      `SELECT tablename FROM pg_tables
       WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'
       ORDER BY tablename`,
    );
    list = rows.map((r) => `"${String(r.tablename)}"`).join(", ");
    if (list === "")
      throw new Error(`reset on ${driver.description}: no tables found; was the schema migrated?`);
    tableLists.set(driver, list);
  }
  return list;
}

let seed: string | undefined;

export async function resetToSeed(driver: SqlDriver): Promise<void> {
  const tables = await dataTables(driver);
  seed ??= seedSql();
  await driver.transaction(async (tx) => {
    await tx.exec(`TRUNCATE ${tables}`);
    await tx.exec(seed as string);
  });
}
