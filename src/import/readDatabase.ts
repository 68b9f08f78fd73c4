// The database path of `prebuildsim import`: the import queries in one read-only transaction on a
// Coder PostgreSQL (`--database-url`), or on any SQL session (the tests read the PGlite database a
// run left behind). Only SELECTs; the transaction is rolled back at the end, having written nothing.
import pg from "pg";
import type { RawRow, SqlExecutor } from "../db/driver.ts";
import { InputError } from "../run/inputError.ts";
import type { RowSets, TextRow } from "./observations.ts";
import { type ImportFilter, importQueries, REQUIRED_TABLES } from "./queries.ts";

function textRow(row: RawRow): TextRow {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(row)) out[k] = v === null || v === undefined ? null : String(v);
  return out;
}

/** Runs the import queries on `session` inside `BEGIN TRANSACTION READ ONLY`; `label` names the database in messages. */
export async function readImportRows(
  session: SqlExecutor,
  filter: ImportFilter,
  label: string,
): Promise<RowSets> {
  await session.exec("BEGIN TRANSACTION READ ONLY");
  try {
    const missing = await session.query(
      `SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NULL ORDER BY name`,
      [REQUIRED_TABLES],
    );
    if (missing.length > 0)
      throw new InputError(
        `${label}: not a Coder database with prebuilds: no table ${missing.map((r) => String(r.name)).join(", ")} (Coder v2.24 or later has them)`,
      );
    const sets = new Map<string, readonly TextRow[]>();
    for (const q of importQueries(filter)) sets.set(q.file, (await session.query(q.sql)).map(textRow));
    return sets;
  } finally {
    await session.exec("ROLLBACK");
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

/** Connects to the Coder database at `url`, reads the rows and disconnects; an unreachable one is bad input. */
export async function readImportRowsFromUrl(url: string, filter: ImportFilter): Promise<RowSets> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new InputError(
      `--database-url: cannot connect to PostgreSQL at ${redact(url)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const session: SqlExecutor = {
    async query(sql, params = []) {
      return (await client.query<RawRow>(sql, params as unknown[])).rows;
    },
    async exec(sql) {
      await client.query(sql);
    },
  };
  try {
    return await readImportRows(session, filter, `--database-url ${redact(url)}`);
  } finally {
    await client.end();
  }
}
