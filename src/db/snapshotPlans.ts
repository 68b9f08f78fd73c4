// Does the reconciler's snapshot stay index-driven? EXPLAINs the 7 snapshot queries (spec §4.6)
// exactly as the Store sends them and lists every sequential scan of a table that grows with the
// deployment's history — each one would make a reconcile cycle cost grow with that history.
// Used by the db benchmark and by a regression test on a synthetic history; and lists every scan of
// the provisioner queue repeated inside a loop (a cost growing with the backlog squared).
import type { Instant } from "../clock/types.ts";
import type { SqlDriver, SqlExecutor } from "./driver.ts";
import * as snapshot from "./queries/prebuilds.ts";

/** Tables whose row count grows with every build ever made. */
export const HISTORY_TABLES: readonly string[] = [
  "workspaces",
  "workspace_builds",
  "provisioner_jobs",
  "workspace_resources",
  "workspace_agents",
];

interface Statement {
  sql: string;
  params: readonly unknown[];
}

/** The 7 snapshot statements exactly as the Store sends them. */
async function snapshotStatements(
  driver: SqlDriver,
  params: { lookback: Instant; hardLimit: number },
): Promise<Statement[]> {
  const statements: Statement[] = [];
  const recorder: SqlExecutor = {
    query: (sql, args = []) => {
      statements.push({ sql, params: args });
      return driver.query(sql, args);
    },
    exec: (sql) => driver.exec(sql),
  };
  await snapshot.getTemplatePresetsWithPrebuilds.run(recorder, null);
  await snapshot.getActivePresetPrebuildSchedules.run(recorder);
  await snapshot.getRunningPrebuiltWorkspaces.run(recorder);
  await snapshot.countInProgressPrebuilds.run(recorder);
  await snapshot.countPendingNonActivePrebuilds.run(recorder);
  await snapshot.getPresetsBackoff.run(recorder, params.lookback);
  await snapshot.getPresetsAtFailureLimit.run(recorder, params.hardLimit);
  return statements;
}

/** Each plan line of the snapshot's statements under `explain` ("EXPLAIN", "EXPLAIN ANALYZE"), with its query's number from 1. */
async function planLines(
  driver: SqlDriver,
  params: { lookback: Instant; hardLimit: number },
  explain: string,
): Promise<{ query: number; line: string }[]> {
  const lines: { query: number; line: string }[] = [];
  for (const [i, s] of (await snapshotStatements(driver, params)).entries())
    for (const row of await driver.query(`${explain} ${s.sql}`, s.params))
      lines.push({ query: i + 1, line: String(Object.values(row)[0]) });
  return lines;
}

/** "query N: table" for each sequential scan of a history table in the snapshot's plans. */
export async function historyTableScans(
  driver: SqlDriver,
  params: { lookback: Instant; hardLimit: number },
): Promise<string[]> {
  const scans: string[] = [];
  for (const { query, line } of await planLines(driver, params, "EXPLAIN")) {
    const table = /Seq Scan on (\w+)/.exec(line)?.[1];
    if (table !== undefined && HISTORY_TABLES.includes(table)) scans.push(`query ${query}: ${table}`);
  }
  return scans;
}

/**
 * "query N: plan line" for each scan of provisioner_jobs that ran more than once in one execution
 * (EXPLAIN ANALYZE) other than a probe by primary key: a queue walk inside a loop costs queue
 * length × the loop's rows, which is what made a backlog's cycles grow faster than its builds.
 */
export async function repeatedQueueScans(
  driver: SqlDriver,
  params: { lookback: Instant; hardLimit: number },
): Promise<string[]> {
  const scans: string[] = [];
  for (const { query, line } of await planLines(driver, params, "EXPLAIN ANALYZE")) {
    const loops = Number(/loops=(\d+)/.exec(line)?.[1] ?? "1");
    if (/Scan\b.* on provisioner_jobs\b/.test(line) && !line.includes("provisioner_jobs_pkey") && loops > 1)
      scans.push(`query ${query}: ${line.trim()}`);
  }
  return scans;
}
