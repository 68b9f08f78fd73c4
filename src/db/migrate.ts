// Applies `migrations/NNN_name.sql` in file-name order, each once, recording them in
// `schema_migrations`. The same files run unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15.
import { readdirSync, readFileSync } from "node:fs";
import type { SqlDriver } from "./driver.ts";

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);

/** The migration holding the seeded rows; the fast reset re-applies it after TRUNCATE. */
export const SEED_MIGRATION = "005_seed_rows.sql";

export interface Migration {
  name: string;
  sql: string;
}

export function loadMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: readFileSync(new URL(name, MIGRATIONS_DIR), "utf8") }));
}

export function seedSql(): string {
  const seed = loadMigrations().find((m) => m.name === SEED_MIGRATION);
  if (!seed) throw new Error(`seed migration ${SEED_MIGRATION} not found in ${MIGRATIONS_DIR.pathname}`);
  return seed.sql;
}

/** Applies the pending migrations; returns the names applied now. */
export async function migrate(driver: SqlDriver): Promise<string[]> {
  await driver.exec("CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY)");
  const done = new Set(
    (await driver.query("SELECT name FROM schema_migrations ORDER BY name")).map((r) => String(r.name)),
  );
  const applied: string[] = [];
  for (const m of loadMigrations()) {
    if (done.has(m.name)) continue;
    try {
      await driver.transaction(async (tx) => {
        await tx.exec(m.sql);
        await tx.query("INSERT INTO schema_migrations (name) VALUES ($1)", [m.name]);
      });
    } catch (err) {
      throw new Error(`migration ${m.name} failed on ${driver.description}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    applied.push(m.name);
  }
  return applied;
}
