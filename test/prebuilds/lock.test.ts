// The reconciliation lock (spec §4.5, TestReconciliationLock): five reconcilers on five connections
// of one database, scheduled by the kernel's seeded `random` policy with database latency, never
// run their lock-holding bodies at the same time — for every seed fast-check tries.
import fc from "fast-check";
import { Registry } from "prom-client";
import { expect, test } from "vitest";
import { MILLISECOND, SECOND } from "../../src/clock/types.ts";
import { Database } from "../../src/db/database.ts";
import { DbFixtures } from "../../src/db/fixtures.ts";
import { Context, Kernel } from "../../src/kernel/index.ts";
import { nullLogger } from "../../src/prebuilds/logger.ts";
import { StoreReconciler } from "../../src/prebuilds/reconciler.ts";
import type { SimulationHooks } from "../../src/prebuilds/simulationHooks.ts";
import { T0, useDriver } from "./harness.ts";
import { prebuildsOf, templateWithPreset } from "./reconcileFixtures.ts";

const driver = useDriver();
const REPLICAS = 5;

async function world(seed: number, hooks: SimulationHooks = {}) {
  const kernel = new Kernel({ seed, policy: "random", start: T0 });
  const db = await Database.open({
    driver: driver(),
    clock: kernel.clock,
    rng: kernel.rng,
    latency: { uniform: [MILLISECOND, 20 * MILLISECOND] },
  });
  const reconcilers = Array.from(
    { length: REPLICAS },
    (_, i) =>
      new StoreReconciler({
        kernel,
        store: db.connect(`replica-${i}`),
        clock: kernel.clock,
        ids: kernel.rng.stream(`replica-${i}`),
        name: `replica-${i}`,
        logger: nullLogger,
        registry: new Registry(),
        hooks,
      }),
  );
  return { kernel, db, reconcilers, background: Context.background(kernel) };
}

/**
 * Each replica tries the lock four times; a body holds it for one second. Returns the most bodies
 * that ran at once and which replica got the lock, in order. `locked: false` runs the same bodies
 * without the lock, to show the check can see an overlap.
 */
async function contend(seed: number, locked: boolean) {
  const { kernel, reconcilers, background } = await world(seed);
  let holders = 0;
  let maxHolders = 0;
  const order: number[] = [];
  const body = (i: number) => async () => {
    holders++;
    order.push(i);
    maxHolders = Math.max(maxHolders, holders);
    await kernel.clock.sleep(SECOND);
    holders--;
  };
  reconcilers.forEach((reconciler, i) => {
    kernel.spawn(`replica-${i}`, async () => {
      for (let round = 0; round < 4; round++) {
        if (locked) await reconciler.withReconciliationLock(background, nullLogger, body(i));
        else await body(i)();
        await kernel.clock.sleep((i + 1) * 300 * MILLISECOND);
      }
    });
  });
  const outcome = await kernel.run();
  expect(outcome.reason).toBe("finished");
  expect(kernel.failures).toEqual([]);
  return { maxHolders, order: order.join(",") };
}

test("TestReconciliationLock: lock-holding bodies never overlap (fast-check over seeds)", async () => {
  const orders = new Set<string>();
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (seed) => {
      const { maxHolders, order } = await contend(seed, true);
      expect(maxHolders).toBe(1);
      expect(order.split(",").length).toBeGreaterThanOrEqual(4);
      orders.add(order);
    }),
    { numRuns: 30 },
  );
  // The seeds really schedule the replicas differently.
  expect(orders.size).toBeGreaterThan(1);
});

test("without the lock the same bodies overlap (the check can fail)", async () => {
  expect((await contend(1, false)).maxHolders).toBeGreaterThan(1);
});

test("five concurrent cycles create exactly the desired prebuilds (fast-check over seeds)", async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (seed) => {
      const { kernel, db, reconcilers, background } = await world(seed);
      const fx = new DbFixtures(db.connect("fixtures"), {
        ids: kernel.rng.stream("fixtures"),
        now: () => kernel.clock.now(),
      });
      let t: Awaited<ReturnType<typeof templateWithPreset>> | undefined;
      kernel.spawn("fixtures", async () => {
        t = await templateWithPreset(
          { store: db.connect("fixtures"), fx, clock: kernel.clock },
          { desired: 3 },
        );
      });
      await kernel.run();
      const acquired: boolean[] = [];
      for (const r of reconcilers) {
        kernel.spawn("cycle", async () => {
          const stats = await r.reconcileAll(background);
          acquired.push(stats.presetsTotal > 0);
        });
      }
      await kernel.run();
      expect(kernel.failures).toEqual([]);
      expect(acquired.filter(Boolean).length).toBeGreaterThanOrEqual(1);
      expect(await prebuildsOf(db.driver, t!.template.id)).toHaveLength(3);
    }),
    { numRuns: 15 },
  );
});

test("TestReconciliationStats: elapsed is the cycle's virtual time, lock wait and latency included", async () => {
  const { kernel, db, reconcilers, background } = await world(7);
  const fx = new DbFixtures(db.connect("fixtures"), {
    ids: kernel.rng.stream("fixtures"),
    now: () => kernel.clock.now(),
  });
  kernel.spawn("fixtures", async () => {
    await templateWithPreset({ store: db.connect("fixtures"), fx, clock: kernel.clock }, { desired: 1 });
  });
  await kernel.run();
  let measured = 0;
  let stats: Awaited<ReturnType<StoreReconciler["reconcileAll"]>> | undefined;
  kernel.spawn("cycle", async () => {
    const start = kernel.clock.now();
    stats = await reconcilers[0]!.reconcileAll(background);
    measured = kernel.clock.now() - start;
  });
  await kernel.run();
  expect(stats?.presetsTotal).toBe(1);
  expect(stats?.presetsReconciled).toBe(1);
  expect(stats?.elapsed).toBeGreaterThan(0);
  expect(stats?.elapsed).toBe(measured);
});

test("the same seed gives the same history: cycles, preset decisions and created ids", async () => {
  const history = async (seed: number) => {
    const events: unknown[] = [];
    const record = (kind: string) => (event: object) => events.push({ kind, ...event });
    const { kernel, db, reconcilers, background } = await world(seed, {
      cycleEnd: record("end"),
      presetEvaluated: record("preset"),
    });
    const fx = new DbFixtures(db.connect("fixtures"), {
      ids: kernel.rng.stream("fixtures"),
      now: () => kernel.clock.now(),
    });
    let templateId = "";
    kernel.spawn("fixtures", async () => {
      const t = await templateWithPreset(
        { store: db.connect("fixtures"), fx, clock: kernel.clock },
        { desired: 4 },
      );
      templateId = t.template.id;
    });
    await kernel.run();
    for (const r of reconcilers) {
      kernel.spawn("cycles", async () => {
        for (let i = 0; i < 3; i++) {
          await r.reconcileAll(background);
          await kernel.clock.sleep(SECOND);
        }
      });
    }
    await kernel.run();
    return JSON.stringify({
      events,
      at: kernel.clock.now(),
      prebuilds: await prebuildsOf(db.driver, templateId),
    });
  };
  const first = await history(42);
  expect(await history(42)).toBe(first);
  expect(first).toContain('"lockAcquired":true');
});
