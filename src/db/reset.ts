// Fast reset to the seeded empty state, so that one driver (one PGlite instance: seconds and
// hundreds of MB to start) serves many runs in turn.
//
// Two ways to empty the tables, chosen per reset:
// - DELETE of every table with foreign-key triggers off (`session_replication_role = replica`):
//   cheapest for the small states tests and short runs leave (TRUNCATE must create a new file
//   for every table and index, which costs more than deleting a few hundred rows);
// - TRUNCATE of every table: for large states, and regularly after many DELETE resets, because
//   PGlite runs no autovacuum and the dead rows DELETE leaves would slow every later scan.
//
// PGlite has no checkpointer either: until a checkpoint, every WAL segment written stays in its
// in-memory file system (16 MiB each, ~0.6 MiB a seed of the 1-hour reference deployment), and so
// do the files TRUNCATE replaced (PostgreSQL unlinks them at the next checkpoint). PostgreSQL would
// checkpoint by itself only at max_wal_size (1 GiB), so a process running seed after seed grew by
// up to that much (issue #19). A reset therefore checkpoints once enough WAL has accumulated; a
// checkpoint changes no data and no plan, only what the file system keeps.
import type { SqlDriver, SqlExecutor } from "./driver.ts";
import { seedSql } from "./migrate.ts";

/** Above this many workspace builds a reset truncates. */
const TRUNCATE_ABOVE_BUILDS = 1_000;
/** WAL written since the last checkpoint above which a PGlite reset checkpoints (two segments). */
const CHECKPOINT_ABOVE_WAL_BYTES = 32 * 1024 * 1024;
/** After this many builds deleted (a proxy for dead rows) since the last truncate, truncate. */
const TRUNCATE_AFTER_DELETED_BUILDS = 10_000;

interface ResetPlan {
  /** Child tables before their parents, so a plain DELETE never trips a foreign key. */
  tables: string[];
  deletedSinceTruncate: number;
  /** False when the role may not disable triggers (a non-superuser on a real server). */
  canDisableTriggers: boolean;
}

const plans = new WeakMap<SqlDriver, ResetPlan>();
let seed: string | undefined;

export async function resetToSeed(driver: SqlDriver): Promise<void> {
  const plan = plans.get(driver) ?? (await makePlan(driver));
  plans.set(driver, plan);
  seed ??= seedSql();
  const seedRows = seed;
  const [count] = await driver.query("SELECT count(*)::int AS n FROM workspace_builds");
  const builds = Number(count?.n ?? 0);
  const truncate =
    builds > TRUNCATE_ABOVE_BUILDS || plan.deletedSinceTruncate + builds > TRUNCATE_AFTER_DELETED_BUILDS;
  await driver.transaction(async (tx) => {
    if (truncate) await tx.exec(`TRUNCATE ${plan.tables.map(quote).join(", ")}`);
    else await deleteAll(tx, plan);
    await tx.exec(seedRows);
  });
  plan.deletedSinceTruncate = truncate ? 0 : plan.deletedSinceTruncate + builds;
  // A real server checkpoints by itself (and CHECKPOINT needs a privileged role there).
  if (driver.backend === "pglite") await checkpointAboveWal(driver, CHECKPOINT_ABOVE_WAL_BYTES);
}

/**
 * CHECKPOINT when more than `bytes` of WAL were written since the last one, so PostgreSQL removes
 * (or recycles, within min_wal_size) the segments before it and the files dropped since. Returns
 * whether it checkpointed.
 */
export async function checkpointAboveWal(driver: SqlDriver, bytes: number): Promise<boolean> {
  const [row] = await driver.query(
    "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), redo_lsn)::float8 AS wal FROM pg_control_checkpoint()",
  );
  if (!(Number(row?.wal ?? 0) > bytes)) return false;
  await driver.exec("CHECKPOINT");
  return true;
}

async function deleteAll(tx: SqlExecutor, plan: ResetPlan): Promise<void> {
  const deletes = plan.tables.map((t) => `DELETE FROM ${quote(t)};`).join("\n");
  if (plan.canDisableTriggers) await tx.exec(`SET LOCAL session_replication_role = replica;\n${deletes}`);
  else await tx.exec(deletes);
}

async function makePlan(driver: SqlDriver): Promise<ResetPlan> {
  const tables = (
    await driver.query(
      `SELECT tablename FROM pg_tables
       WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'
       ORDER BY tablename`,
    )
  ).map((r) => String(r.tablename));
  if (tables.length === 0)
    throw new Error(`reset on ${driver.description}: no tables found; was the schema migrated?`);
  const edges = (
    await driver.query(
      `SELECT child.relname AS child, parent.relname AS parent
       FROM pg_constraint c
       JOIN pg_class child ON child.oid = c.conrelid
       JOIN pg_class parent ON parent.oid = c.confrelid
       WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace AND child.oid <> parent.oid
       ORDER BY 1, 2`,
    )
  ).map((r) => ({ child: String(r.child), parent: String(r.parent) }));
  const [role] = await driver.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
  return {
    tables: childrenFirst(tables, edges),
    deletedSinceTruncate: 0,
    canDisableTriggers: role?.rolsuper === true,
  };
}

/** Topological order in which every table comes before the tables it references. */
function childrenFirst(tables: string[], edges: { child: string; parent: string }[]): string[] {
  const out: string[] = [];
  const done = new Set<string>();
  const visit = (table: string, path: string[]) => {
    if (done.has(table)) return;
    if (path.includes(table))
      throw new Error(`reset: foreign-key cycle through ${[...path, table].join(" → ")}`);
    // Referencing tables (children) first.
    for (const e of edges) if (e.parent === table) visit(e.child, [...path, table]);
    done.add(table);
    out.push(table);
  };
  for (const t of tables) visit(t, []);
  return out;
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
