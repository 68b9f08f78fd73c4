// The reconciler's snapshot (spec §4.6: the 7 queries in order, in one transaction, as
// snapshotState runs them inside the lock session) against histories of 1k, 10k and 50k
// workspace builds, the fast reset, and an EXPLAIN check that no snapshot query scans a table
// that grows with history. Backend: PGlite, or PostgreSQL when PREBUILDSIM_DATABASE_URL is set.
import { HOUR } from "../src/clock/types.ts";
import { sharedDriver } from "../src/db/backend.ts";
import type { DatabaseClock } from "../src/db/connection.ts";
import { Database } from "../src/db/database.ts";
import { historyTableScans } from "../src/db/snapshotPlans.ts";
import type { Store } from "../src/db/store.ts";
import { writeSyntheticHistory } from "../src/db/syntheticHistory.ts";
import { Rng } from "../src/kernel/rng.ts";
import type { BenchResult } from "./main.ts";

const END = Date.UTC(2026, 2, 2, 8);
const SIZES = [1_000, 10_000, 50_000];
const ITERATIONS = 30;

const clock: DatabaseClock = { now: () => END, sleep: async () => {} };

/** snapshotState inside withReconciliationLock: a lock session, then one nested atomic transaction. */
function snapshot(store: Store): Promise<number> {
  return store.inTx(
    (session) =>
      session.inTx(
        async (tx) => {
          const presets = await tx.getTemplatePresetsWithPrebuilds(null);
          await tx.getActivePresetPrebuildSchedules();
          const running = await tx.getRunningPrebuiltWorkspaces();
          await tx.countInProgressPrebuilds();
          await tx.countPendingNonActivePrebuilds();
          await tx.getPresetsBackoff(END - HOUR);
          await tx.getPresetsAtFailureLimit(3);
          return presets.length + running.length;
        },
        { isolation: "repeatable read", readOnly: true },
      ),
    { isolation: "repeatable read", readOnly: true, txIdentifier: "prebuilds.WithReconciliationLock" },
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

export async function run(): Promise<BenchResult[]> {
  const driver = await sharedDriver();
  const results: BenchResult[] = [];
  const medians: number[] = [];
  for (const size of SIZES) {
    const db = await Database.open({ driver, clock, rng: new Rng("bench-db") });
    const history = await writeSyntheticHistory(driver, { builds: size, end: END });
    const store = db.connect("bench");
    for (let i = 0; i < 3; i++) await snapshot(store);
    const times: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const t0 = performance.now();
      await snapshot(store);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = percentile(times, 0.5);
    medians.push(median);
    const note = `${driver.backend}; ${history.builds} builds, ${history.workspaces} workspaces (${history.liveWorkspaces} live), ${history.presets} presets`;
    results.push({
      name: `snapshot (7 queries, 1 tx), ${size} builds, median`,
      value: median,
      unit: "ms",
      note,
    });
    results.push({
      name: `snapshot (7 queries, 1 tx), ${size} builds, p90`,
      value: percentile(times, 0.9),
      unit: "ms",
    });
    if (size === SIZES.at(-1)) {
      const scans = await historyTableScans(driver, { lookback: END - HOUR, hardLimit: 3 });
      results.push({
        name: `seq scans of history tables in snapshot plans, ${size} builds`,
        value: scans.length,
        unit: "scans",
        note: scans.length === 0 ? "all index-driven" : scans.join(", "),
      });
    }
    const t0 = performance.now();
    await Database.open({ driver, clock, rng: new Rng("bench-db") });
    results.push({ name: `reset to seed after ${size} builds`, value: performance.now() - t0, unit: "ms" });
  }
  const first = medians[0] ?? Number.NaN;
  const last = medians.at(-1) ?? Number.NaN;
  results.push({
    name: `snapshot cost ratio ${SIZES.at(-1)} / ${SIZES[0]} builds`,
    value: last / first,
    unit: "x",
    note: `history grew ${(SIZES.at(-1) ?? 0) / (SIZES[0] ?? 1)}x`,
  });
  // The common case between runs: a small state (tests, short scenarios).
  const small: number[] = [];
  for (let i = 0; i < 20; i++) {
    await Database.open({ driver, clock, rng: new Rng("bench-db") });
    await writeSyntheticHistory(driver, { builds: 200, end: END });
    const t0 = performance.now();
    await Database.open({ driver, clock, rng: new Rng("bench-db") });
    small.push(performance.now() - t0);
  }
  small.sort((a, b) => a - b);
  results.push({
    name: "reset to seed after a 200-build run, median",
    value: percentile(small, 0.5),
    unit: "ms",
  });
  await driver.close();
  return results;
}
