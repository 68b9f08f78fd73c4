// The reset's checkpoint (issue #19): PGlite has no checkpointer, so without one the WAL segments
// and the files TRUNCATE replaced stay in its in-memory file system for as long as the process runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDriver } from "../../src/db/backend.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import { checkpointAboveWal, resetToSeed } from "../../src/db/reset.ts";

let driver: SqlDriver;
beforeAll(async () => {
  driver = await openDriver(undefined); // migrated
}, 60_000);
afterAll(() => driver.close());

async function number(sql: string): Promise<number> {
  const [row] = await driver.query(sql);
  return Number(row?.n);
}

/** WAL written since the last checkpoint's redo point. */
const walSinceCheckpoint = () =>
  number(
    "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), redo_lsn)::float8 AS n FROM pg_control_checkpoint()",
  );
/** Files in the database's directory, the zero-length ones TRUNCATE left for the next checkpoint included. */
const databaseFiles = () =>
  number(
    "SELECT count(*)::int AS n FROM pg_ls_dir('base/' || (SELECT oid FROM pg_database WHERE datname = current_database()))",
  );

describe("checkpointAboveWal", () => {
  it("checkpoints only when more WAL than the bound was written since the last checkpoint", async () => {
    await resetToSeed(driver);
    await driver.exec("CHECKPOINT");
    const written = await walSinceCheckpoint();
    expect(await checkpointAboveWal(driver, written + 1_000_000)).toBe(false);
    await resetToSeed(driver); // writes WAL: deletes and the seeded rows
    const before = await walSinceCheckpoint();
    expect(before).toBeGreaterThan(written);
    expect(await checkpointAboveWal(driver, before - 1)).toBe(true);
    expect(await walSinceCheckpoint()).toBeLessThan(before);
  });

  it("lets PostgreSQL remove the files TRUNCATE replaced", async () => {
    await driver.exec("CHECKPOINT");
    const files = await databaseFiles();
    const tables = (
      await driver.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    ).map((r) => `"${String(r.tablename)}"`);
    await driver.exec(`TRUNCATE ${tables.join(", ")}`);
    // The old relation files stay (emptied) until a checkpoint: this is what grew without one.
    expect(await databaseFiles()).toBeGreaterThan(files);
    expect(await checkpointAboveWal(driver, 0)).toBe(true);
    expect(await databaseFiles()).toBe(files);
  });
});
