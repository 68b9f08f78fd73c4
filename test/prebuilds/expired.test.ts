// Upstream's TestExpiredPrebuildsMultipleActions (spec §9.6): a 3-hour TTL, expired prebuilds are
// deleted and replaced, the oldest non-expired ones go when there are too many. Age is measured
// on the virtual clock (spec §12).
import { describe, expect, test } from "vitest";
import { HOUR, MINUTE, SECOND } from "../../src/clock/types.ts";
import { useSimulation } from "./kernelHarness.ts";
import { prebuildsOf, prebuildWithBuild, templateWithPreset } from "./reconcileFixtures.ts";

const sim = useSimulation();

const rows = [
  { running: 2, desired: 2, expired: 0, deletedExpired: 0, deletedOldest: 0, created: 0 },
  { running: 2, desired: 2, expired: 1, deletedExpired: 1, deletedOldest: 0, created: 1 },
  { running: 2, desired: 2, expired: 2, deletedExpired: 2, deletedOldest: 0, created: 2 },
  { running: 4, desired: 2, expired: 2, deletedExpired: 2, deletedOldest: 0, created: 0 },
  { running: 4, desired: 2, expired: 1, deletedExpired: 1, deletedOldest: 1, created: 0 },
];

describe("TestExpiredPrebuildsMultipleActions", () => {
  test.each(rows)(
    "running $running, desired $desired, expired $expired ⇒ $deletedExpired expired and $deletedOldest oldest deleted, $created created",
    async (row) => {
      const c = sim();
      const t = await templateWithPreset(c, {
        desired: row.desired,
        invalidateAfterSecs: (3 * HOUR) / SECOND,
      });
      const now = c.clock.now();
      const expired: string[] = [];
      const fresh: string[] = [];
      for (let i = 0; i < row.running; i++) {
        const isExpired = i < row.expired;
        const createdAt = isExpired ? now - 3 * HOUR - MINUTE : now - 2 * HOUR + i * SECOND;
        const { workspace } = await prebuildWithBuild(c, t, { createdAt });
        (isExpired ? expired : fresh).push(workspace.id);
      }
      const reconciler = c.newReconciler();
      await c.runTask(() => reconciler.reconcileAll(c.background));

      const hasDeleteBuild = async (id: string) =>
        (await c.store.getWorkspaceBuildsByWorkspaceId(id)).at(-1)?.transition === "delete";
      for (const id of expired) expect(await hasDeleteBuild(id)).toBe(true);
      // `fresh` is oldest first.
      for (const [i, id] of fresh.entries()) expect(await hasDeleteBuild(id)).toBe(i < row.deletedOldest);
      const existing = new Set([...expired, ...fresh]);
      const created = (await prebuildsOf(c.db.driver, t.template.id)).filter((id) => !existing.has(id));
      expect(created).toHaveLength(row.created);
    },
  );
});
