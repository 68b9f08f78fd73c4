// Does the reconciler's snapshot stay index-driven? EXPLAINs the 7 snapshot queries (spec §4.6)
// exactly as the Store sends them and lists every sequential scan of a table that grows with the
// deployment's history — each one would make a reconcile cycle cost grow with that history.
// Used by the db benchmark and by a regression test on a synthetic history.
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

/** "query N: table" for each sequential scan of a history table in the snapshot's plans. */
export async function historyTableScans(
  driver: SqlDriver,
  params: { lookback: Instant; hardLimit: number },
): Promise<string[]> {
  const statements: { sql: string; params: readonly unknown[] }[] = [];
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
  const scans: string[] = [];
  for (const [i, s] of statements.entries()) {
    for (const row of await driver.query(`EXPLAIN ${s.sql}`, s.params)) {
      const table = /Seq Scan on (\w+)/.exec(String(Object.values(row)[0]))?.[1];
      if (table !== undefined && HISTORY_TABLES.includes(table)) scans.push(`query ${i + 1}: ${table}`);
    }
  }
  return scans;
}
