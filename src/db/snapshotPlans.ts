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

/** "query N: table" for each sequential scan of a history table in the snapshot's plans. */
export async function historyTableScans(
  driver: SqlDriver,
  params: { lookback: Instant; hardLimit: number },
): Promise<string[]> {
  const scans: string[] = [];
  for (const [i, s] of (await snapshotStatements(driver, params)).entries()) {
    for (const row of await driver.query(`EXPLAIN ${s.sql}`, s.params)) {
      const table = /Seq Scan on (\w+)/.exec(String(Object.values(row)[0]))?.[1];
      if (table !== undefined && HISTORY_TABLES.includes(table)) scans.push(`query ${i + 1}: ${table}`);
    }
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
  for (const [i, s] of (await snapshotStatements(driver, params)).entries()) {
    for (const row of await driver.query(`EXPLAIN ANALYZE ${s.sql}`, s.params)) {
      const line = String(Object.values(row)[0]);
      const loops = Number(/loops=(\d+)/.exec(line)?.[1] ?? "1");
      if (/Scan\b.* on provisioner_jobs\b/.test(line) && !line.includes("provisioner_jobs_pkey") && loops > 1)
        scans.push(`query ${i + 1}: ${line.trim()}`);
    }
  }
  return scans;
}
