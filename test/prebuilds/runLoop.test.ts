// The run loop (spec §4.2, TestRunLoop) in upstream's shape but without polling: trap the
// ("prebuilds", "reconcile") ticker, release it, advance one interval, and assert the cycle's
// effects once the advance's waiter has settled (the kernel is idle again).
import { Registry } from "prom-client";
import { expect, test } from "vitest";
import { HOUR, MINUTE, SECOND } from "../../src/clock/types.ts";
import { RECONCILIATION_DURATION_METRIC } from "../../src/prebuilds/reconciler.ts";
import { type SimContext, useSimulation } from "./kernelHarness.ts";
import { seriesOf } from "./metricsReader.ts";
import {
  PRESET_PARAMETERS,
  prebuildsOf,
  prebuildWithBuild,
  templateWithPreset,
} from "./reconcileFixtures.ts";

const sim = useSimulation();

async function startTrapped(c: SimContext, reconciler: Parameters<SimContext["newRunLoop"]>[0]) {
  const trap = c.clock.trap().newTicker("prebuilds", "reconcile");
  const loop = c.newRunLoop(reconciler);
  const call = await trap.wait();
  const interval = call.duration;
  await call.release();
  trap.close();
  return { loop, interval };
}

test("TestRunLoop", async () => {
  const c = sim();
  const t = await templateWithPreset(c, { desired: 4, presetName: "preset-1" });
  const existing = new Set<string>();
  for (let i = 0; i < 4; i++) {
    existing.add(
      (await prebuildWithBuild(c, t, { status: "running", createdAt: c.clock.now() })).workspace.id,
    );
  }
  await c.fx.preset({
    templateVersionId: t.version.id,
    name: "preset-2",
    desiredInstances: 10,
    parameters: PRESET_PARAMETERS,
  });
  const registry = new Registry();
  const reconciler = c.newReconciler({
    registry,
    config: {
      reconciliationInterval: SECOND,
      reconciliationBackoffInterval: MINUTE,
      reconciliationBackoffLookback: 20 * HOUR,
    },
  });
  const created = async () =>
    (await prebuildsOf(c.db.driver, t.template.id)).filter((id) => !existing.has(id)).length;

  const { loop, interval } = await startTrapped(c, reconciler);
  expect(interval).toBe(SECOND);
  // No cycle at start: the first comes one interval later.
  expect(await created()).toBe(0);

  await c.clock.advance(SECOND).wait();
  expect(await created()).toBe(10);

  await c.fx.preset({
    templateVersionId: t.version.id,
    name: "preset-3",
    desiredInstances: 5,
    parameters: PRESET_PARAMETERS,
  });
  expect(await created()).toBe(10);

  await c.clock.advance(SECOND).wait();
  expect(await created()).toBe(15);

  // Observed at every tick; the two cycles took no virtual time (no database latency here).
  const histogram = await seriesOf(registry, RECONCILIATION_DURATION_METRIC);
  expect(histogram.find((s) => s.labels.le === "0.005")?.value).toBe(2);
  expect(histogram.find((s) => s.labels.le === "+Inf")?.value).toBe(2);

  await loop.stop();
  expect(loop.finished()).toBe(true);
  expect(c.kernel.failures).toEqual([]);
  expect(c.logger.entriesAt("info").map((e) => e.msg)).toContain("reconciler stopped");
});

test("a non-positive interval runs every 5 minutes", async () => {
  const c = sim();
  const reconciler = c.newReconciler({ config: { reconciliationInterval: 0 } });
  const { loop, interval } = await startTrapped(c, reconciler);
  expect(interval).toBe(5 * MINUTE);
  await loop.stop();
});

test("stop is idempotent and a stopped reconciler does not run again", async () => {
  const c = sim();
  await templateWithPreset(c, { desired: 1 });
  const reconciler = c.newReconciler({ config: { reconciliationInterval: SECOND } });
  const { loop } = await startTrapped(c, reconciler);
  await loop.stop(new Error("entitlements change"));
  await c.runTask(() => reconciler.stop(c.background));
  expect(c.logger.entriesAt("info").filter((e) => e.msg === "reconciler stopped")).toHaveLength(1);

  // A second run returns at once: no ticker is ever created again.
  const trap = c.clock.trap().newTicker("prebuilds", "reconcile");
  await c.runTask(() => reconciler.run(c.background));
  trap.close();
  const ticks = c.clock.peek();
  expect(ticks === undefined || ticks > SECOND).toBe(true);
});

test("the loop keeps going after a failed cycle", async () => {
  const c = sim();
  const t = await templateWithPreset(c, { desired: 1 });
  const reconciler = c.newReconciler({ config: { reconciliationInterval: SECOND } });
  const { loop } = await startTrapped(c, reconciler);
  c.db.faults.add({
    query: "GetRunningPrebuiltWorkspaces",
    probability: 1,
    from: c.clock.now(),
    until: c.clock.now() + 1500,
  });
  await c.clock.advance(SECOND).wait();
  expect(await prebuildsOf(c.db.driver, t.template.id)).toHaveLength(0);
  expect(c.logger.entriesAt("error").map((e) => e.msg)).toContain("reconciliation failed");
  await c.clock.advance(SECOND).wait();
  expect(await prebuildsOf(c.db.driver, t.template.id)).toHaveLength(1);
  await loop.stop();
});

test("provision notifications beyond the queue's 10 slots are dropped, the rest published", async () => {
  const c = sim();
  await templateWithPreset(c, { desired: 12 });
  const dropped: string[] = [];
  const reconciler = c.newReconciler({
    config: { reconciliationInterval: SECOND },
    hooks: { jobNotificationDropped: (e) => dropped.push(e.job) },
  });
  const postings: string[] = [];
  c.pubsub.subscribe("provisioner_job_posted", (m) => postings.push(m));
  const { loop } = await startTrapped(c, reconciler);
  await c.clock.advance(SECOND).wait();
  // The publisher, parked on the channel, takes the first job directly (as a Go receiver blocked
  // on the channel would); ten more fill the buffer, the twelfth is dropped. The publisher runs
  // only after the cycle, which parks nowhere without database latency.
  expect(dropped).toHaveLength(1);
  expect(postings).toHaveLength(11);
  expect(reconciler.provisionNotifyQueueLength).toBe(0);
  await loop.stop();
});
