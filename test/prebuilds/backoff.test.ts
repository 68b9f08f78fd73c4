// Upstream's TestFailedBuildBackoff (spec §9.4): failed prebuilds back a preset off for
// numFailed × interval after the last failure, through the real snapshot queries.
import { expect, test } from "vitest";
import { HOUR, MINUTE, SECOND } from "../../src/clock/types.ts";
import type { StoreReconciler } from "../../src/prebuilds/reconciler.ts";
import { ActionType } from "../../src/prebuilds/reconciliationActions.ts";
import { type SimContext, useSimulation } from "./kernelHarness.ts";
import {
  prebuildsOf,
  prebuildWithBuild,
  type TemplateFixture,
  templateWithPreset,
} from "./reconcileFixtures.ts";

const sim = useSimulation();

async function evaluate(c: SimContext, reconciler: StoreReconciler, t: TemplateFixture) {
  const snapshot = await c.runTask(() => reconciler.snapshotState(c.background, c.store));
  const ps = snapshot.filterByPreset(t.preset.id);
  return { state: ps.calculateState(), actions: reconciler.calculateActions(c.background, ps), ps };
}

test("TestFailedBuildBackoff", async () => {
  const c = sim();
  const backoffInterval = MINUTE;
  const t = await templateWithPreset(c, { desired: 2 });
  for (let i = 0; i < 2; i++) await prebuildWithBuild(c, t, { status: "failed", createdAt: c.clock.now() });
  const reconciler = c.newReconciler({
    config: {
      reconciliationBackoffInterval: backoffInterval,
      reconciliationBackoffLookback: 20 * HOUR,
      reconciliationInterval: SECOND,
    },
  });

  // Two failures: back off for 2 × interval after the last one.
  const first = await evaluate(c, reconciler, t);
  expect(first.actions).toHaveLength(1);
  const backoff = first.actions[0]!;
  expect(backoff.actionType).toBe(ActionType.Backoff);
  expect(backoff.create).toBe(0);
  expect(first.state.actual).toBe(0);
  expect(first.state.desired).toBe(2);
  expect(first.ps.backoff?.numFailed).toBe(2);
  const until = backoff.backoffUntil!;
  expect(until).toBeGreaterThan(c.clock.now());
  expect(Math.trunc((until - c.clock.now()) / MINUTE)).toBe(2);

  // Still inside the window: the same backoff.
  c.clock.advance(SECOND);
  const inside = await evaluate(c, reconciler, t);
  expect(inside.actions).toEqual([backoff]);

  // Past it: create what is missing.
  c.clock.set(until + SECOND);
  const after = await evaluate(c, reconciler, t);
  expect(after.actions).toHaveLength(1);
  expect(after.actions[0]).toMatchObject({ actionType: ActionType.Create, create: 2 });

  // One more failure and one success: three failures now, backing off 3 × interval.
  await prebuildWithBuild(c, t, { status: "failed", createdAt: c.clock.now() });
  await prebuildWithBuild(c, t, { status: "succeeded", createdAt: c.clock.now() });
  const again = await evaluate(c, reconciler, t);
  expect(again.actions).toHaveLength(1);
  expect(again.actions[0]?.actionType).toBe(ActionType.Backoff);
  expect(again.actions[0]?.create).toBe(0);
  expect(again.state.actual).toBe(1);
  expect(again.state.desired).toBe(2);
  expect(again.ps.backoff?.numFailed).toBe(3);
  expect(Math.trunc((again.actions[0]!.backoffUntil! - c.clock.now()) / MINUTE)).toBe(3);
});

test("a backing-off preset is left alone by the cycle and logged as backing off", async () => {
  const c = sim();
  const t = await templateWithPreset(c, { desired: 1 });
  await prebuildWithBuild(c, t, { status: "failed", createdAt: c.clock.now() });
  const reconciler = c.newReconciler({ config: { reconciliationBackoffLookback: 20 * HOUR } });
  await c.runTask(() => reconciler.reconcileAll(c.background));
  expect(await prebuildsOf(c.db.driver, t.template.id)).toHaveLength(1);
  const warning = c.logger
    .entriesAt("warn")
    .find((e) => e.msg === "template prebuild state retrieved, backing off");
  expect(warning?.fields.backoff_secs).toBe(60);
  expect(warning?.fields.backoff_until).toBe(new Date(c.clock.now() + MINUTE).toISOString());
});
