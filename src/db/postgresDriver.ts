// The real-PostgreSQL backend (`PREBUILDSIM_DATABASE_URL`), through `pg` on one session, the same
// shape as PGlite's. Each driver instance works in its own schema (search_path), so concurrent
// test processes can share one server without seeing each other's rows.
import pg from "pg";
import type { RawRow, SqlDriver, SqlExecutor } from "./driver.ts";

let instances = 0;

export interface PostgresDriverOptions {
  /** Leave the schema and its rows when closing (`run --keep-database`), for psql and `import`. */
  readonly keepSchema?: boolean;
}

export async function openPostgresDriver(
  url: string,
  options: PostgresDriverOptions = {},
): Promise<SqlDriver> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`cannot connect to PostgreSQL at ${redact(url)}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  instances += 1;
  const schema = `prebuildsim_${process.pid}_${instances}`;
  // A schema left by an earlier process with the same pid is stale: start clean.
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path TO ${schema}`);

  const run: SqlExecutor = {
    async query(sql, params = []) {
      const result = await client.query<RawRow>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql) {
      await client.query(sql);
    },
  };
  return {
    backend: "postgres",
    description: `postgres schema ${schema}`,
    query: run.query,
    exec: run.exec,
    async transaction(fn) {
      await client.query("BEGIN");
      try {
        const result = await fn(run);
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      }
    },
    async close() {
      try {
        if (options.keepSchema !== true) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
