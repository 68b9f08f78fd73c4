// The default backend: PostgreSQL 18 compiled to WASM, in this process (notes/TOOLCHAIN.md).
// Start-up costs seconds and hundreds of MB, so a process opens one and resets it between runs.
// Statements go through a PGliteSession (prepared statements on the wire protocol).
import { PGlite } from "@electric-sql/pglite";
import type { SqlDriver } from "./driver.ts";
import { PGliteSession } from "./pgliteSession.ts";

export async function openPGliteDriver(): Promise<SqlDriver> {
  const db = await PGlite.create();
  const session = new PGliteSession(db);
  return {
    backend: "pglite",
    description: "pglite (in-process PostgreSQL 18)",
    query: session.autocommit.query,
    exec: session.autocommit.exec,
    transaction: (fn) => session.transaction(fn),
    close: () => db.close(),
  };
}
