// The default backend: PostgreSQL 18 compiled to WASM, in this process (notes/TOOLCHAIN.md).
// Start-up costs seconds and hundreds of MB, so a process opens one and resets it between runs.
import { PGlite } from "@electric-sql/pglite";
import type { RawRow, SqlDriver, SqlExecutor } from "./driver.ts";

interface PGliteLike {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
}

function executor(db: PGliteLike): SqlExecutor {
  return {
    async query(sql, params = []) {
      const result = await db.query<RawRow>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql) {
      await db.exec(sql);
    },
  };
}

export async function openPGliteDriver(): Promise<SqlDriver> {
  const db = await PGlite.create();
  const plain = executor(db);
  return {
    backend: "pglite",
    description: "pglite (in-process PostgreSQL 18)",
    query: plain.query,
    exec: plain.exec,
    transaction: (fn) => db.transaction((tx) => fn(executor(tx))),
    close: () => db.close(),
  };
}
