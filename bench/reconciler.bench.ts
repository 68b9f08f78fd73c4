// Wall time of reconciliation cycles on PGlite: a first cycle that creates every prebuild, and a
// steady-state cycle (everything running and ready, nothing to do), for growing preset counts.
import { performance } from "node:perf_hooks";
import { Registry } from "prom-client";
import { openDriver } from "../src/db/backend.ts";
import { Database } from "../src/db/database.ts";
import { DbFixtures } from "../src/db/fixtures.ts";
import { Context, Kernel } from "../src/kernel/index.ts";
import { nullLogger } from "../src/prebuilds/logger.ts";
import { StoreReconciler } from "../src/prebuilds/reconciler.ts";
import type { BenchResult } from "./main.ts";

const DESIRED = 2;
const RUNS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

export async function run(): Promise<BenchResult[]> {
  const driver = await openDriver();
  const results: BenchResult[] = [];
  try {
    for (const presets of [10, 50]) {
      const first: number[] = [];
      const steady: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const kernel = new Kernel({ seed: i, watchdog: false });
        const db = await Database.open({ driver, clock: kernel.clock, rng: kernel.rng });
        const store = db.connect("replica-0");
        const fx = new DbFixtures(store, {
          ids: kernel.rng.stream("fixtures"),
          now: () => kernel.clock.now(),
        });
        for (let p = 0; p < presets; p++) {
          const { version } = await fx.template({ name: `t${p}` });
          await fx.preset({ templateVersionId: version.id, desiredInstances: DESIRED });
        }
        const reconciler = new StoreReconciler({
          kernel,
          store,
          clock: kernel.clock,
          ids: kernel.rng.stream("reconciler"),
          logger: nullLogger,
          registry: new Registry(),
        });
        const ctx = Context.background(kernel);
        const cycle = async (): Promise<number> => {
          const start = performance.now();
          kernel.spawn("cycle", async () => {
            await reconciler.reconcileAll(ctx);
          });
          await kernel.run();
          return performance.now() - start;
        };
        first.push(await cycle());
        // Every created prebuild becomes running and ready.
        for (;;) {
          const job = await store.acquireProvisionerJob({
            now: kernel.clock.now(),
            workerId: fx.id(),
            initiator: "any",
          });
          if (job === null) break;
          const resource = await store.insertWorkspaceResource({
            id: fx.id(),
            jobId: job.id,
            transition: "start",
            type: "docker_container",
            name: "main",
            createdAt: kernel.clock.now(),
          });
          await store.insertWorkspaceAgent({
            id: fx.id(),
            resourceId: resource.id,
            name: "main",
            lifecycleState: "ready",
            createdAt: kernel.clock.now(),
          });
          await store.updateProvisionerJobWithCompleteById({
            id: job.id,
            completedAt: kernel.clock.now(),
            error: null,
          });
        }
        steady.push(await cycle());
      }
      results.push({
        name: `first cycle, ${presets} presets × ${DESIRED} creates`,
        value: median(first),
        unit: "ms",
        note: `median of ${RUNS}`,
      });
      results.push({
        name: `steady-state cycle, ${presets} presets, ${presets * DESIRED} running`,
        value: median(steady),
        unit: "ms",
        note: `median of ${RUNS}`,
      });
    }
  } finally {
    await driver.close();
  }
  return results;
}
