// Upstream's other reconciler integration tests (spec §9.2), on PGlite under the kernel.
import { Registry } from "prom-client";
import { describe, expect, test } from "vitest";
import { HOUR, MILLISECOND, SECOND } from "../../src/clock/types.ts";
import { MetricName } from "../../src/prebuilds/metricsCollector.ts";
import { RECONCILIATION_DURATION_METRIC, type StoreReconciler } from "../../src/prebuilds/reconciler.ts";
import { setPrebuildsReconciliationPaused } from "../../src/prebuilds/settings.ts";
import { type SimContext, useSimulation } from "./kernelHarness.ts";
import { metricValue, presetLabels } from "./metricsReader.ts";
import {
  addTestParameter,
  PRESET_PARAMETERS,
  prebuildsOf,
  prebuildWithBuild,
  templateWithPreset,
  versionWithParameter,
} from "./reconcileFixtures.ts";

const sim = useSimulation();

async function cycles(c: SimContext, reconciler: StoreReconciler, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await c.runTask(() => reconciler.reconcileAll(c.background));
}

async function workspaceBuildJobs(c: SimContext): Promise<number> {
  const rows = await c.db.driver.query(
    "SELECT count(*)::int AS n FROM provisioner_jobs WHERE type = 'workspace_build'",
  );
  return rows[0]?.n as number;
}

/** How many builds carry each preset, in the order given. */
async function buildsPerPreset(c: SimContext, presetIds: readonly string[]): Promise<number[]> {
  const counts: number[] = [];
  for (const id of presetIds) {
    const rows = await c.db.driver.query(
      "SELECT count(*)::int AS n FROM workspace_builds WHERE template_version_preset_id = $1",
      [id],
    );
    counts.push(rows[0]?.n as number);
  }
  return counts;
}

test("TestNoReconciliationActionsIfNoPresets", async () => {
  const c = sim();
  await c.fx.template();
  const reconciler = c.newReconciler();
  const stats = await c.runTask(() => reconciler.reconcileAll(c.background));
  expect(stats.presetsTotal).toBe(0);
  expect(await workspaceBuildJobs(c)).toBe(0);
});

test("TestNoReconciliationActionsIfNoPrebuilds", async () => {
  const c = sim();
  await templateWithPreset(c, { desired: null });
  const reconciler = c.newReconciler();
  await c.runTask(() => reconciler.reconcileAll(c.background));
  expect(await workspaceBuildJobs(c)).toBe(0);
});

test("TestMultiplePresetsPerTemplateVersion", async () => {
  const c = sim();
  const t = await templateWithPreset(c, { desired: 4, presetName: "preset-1" });
  const preset2 = await c.fx.preset({
    templateVersionId: t.version.id,
    name: "preset-2",
    desiredInstances: 10,
    parameters: PRESET_PARAMETERS,
  });
  const existing: string[] = [];
  for (let i = 0; i < 4; i++) {
    const { workspace } = await prebuildWithBuild(c, t, { status: "running", createdAt: c.clock.now() });
    existing.push(workspace.id);
  }
  const reconciler = c.newReconciler();
  for (let cycle = 0; cycle < 8; cycle++) {
    await cycles(c, reconciler, 1);
    const created = (await prebuildsOf(c.db.driver, t.template.id)).filter((id) => !existing.includes(id));
    expect(created).toHaveLength(10);
    expect(await buildsPerPreset(c, [t.preset.id, preset2.id])).toEqual([4, 10]);
  }
});

describe("TestPrebuildScheduling", () => {
  // Monday 2 June 2025.
  const rows = [
    { now: "01:00", expected: [1, 1] },
    { now: "03:00", expected: [2, 1] },
    { now: "07:00", expected: [3, 1] },
    { now: "11:00", expected: [1, 4] },
    { now: "15:00", expected: [1, 5] },
  ];
  test.each(rows)("at $now UTC the presets have $expected prebuilds", async ({ now, expected }) => {
    const c = sim();
    c.clock.set(Date.parse(`2025-06-02T${now}:00Z`));
    const { template, version } = await c.fx.template();
    await addTestParameter(c, version.id);
    const preset1 = await c.fx.preset({
      templateVersionId: version.id,
      name: "preset-1",
      desiredInstances: 1,
      schedulingTimezone: "UTC",
      parameters: PRESET_PARAMETERS,
      schedules: [
        { cron: "* 2-4 * * 1-5", desiredInstances: 2 },
        { cron: "* 6-8 * * 1-5", desiredInstances: 3 },
      ],
    });
    const preset2 = await c.fx.preset({
      templateVersionId: version.id,
      name: "preset-2",
      desiredInstances: 1,
      schedulingTimezone: "UTC",
      parameters: PRESET_PARAMETERS,
      schedules: [
        { cron: "* 10-12 * * 1-5", desiredInstances: 4 },
        { cron: "* 14-16 * * 1-5", desiredInstances: 5 },
      ],
    });
    const reconciler = c.newReconciler();
    await cycles(c, reconciler, 1);
    expect(await buildsPerPreset(c, [preset1.id, preset2.id])).toEqual(expected);
    expect((await prebuildsOf(c.db.driver, template.id)).length).toBe(expected[0]! + expected[1]!);
  });
});

test("TestInvalidPreset: an unsatisfiable required parameter never leaves a workspace behind", async () => {
  const c = sim();
  const t = await templateWithPreset(c, { desired: 1 });
  await c.store.insertTemplateVersionParameter({
    templateVersionId: t.version.id,
    name: "invalid",
    type: "bool",
    required: true,
    mutable: true,
  });
  const reconciler = c.newReconciler();
  for (let i = 0; i < 8; i++) {
    await cycles(c, reconciler, 1);
    expect(await prebuildsOf(c.db.driver, t.template.id)).toEqual([]);
    expect(await workspaceBuildJobs(c)).toBe(0);
  }
});

test("TestDeletionOfPrebuiltWorkspaceWithInvalidPreset", async () => {
  const c = sim();
  const t = await templateWithPreset(c, { desired: 1 });
  const { workspace } = await prebuildWithBuild(c, t);
  const v2 = await versionWithParameter(c, t.template, { name: "v2", activate: true });
  await c.store.insertTemplateVersionParameter({
    templateVersionId: v2.id,
    name: "invalid",
    type: "bool",
    required: true,
    mutable: true,
  });
  await c.fx.preset({
    templateVersionId: v2.id,
    name: "preset",
    desiredInstances: 1,
    parameters: PRESET_PARAMETERS,
  });
  const reconciler = c.newReconciler();
  await cycles(c, reconciler, 1);
  const builds = await c.store.getWorkspaceBuildsByWorkspaceId(workspace.id);
  expect(builds.map((b) => b.transition)).toEqual(["start", "delete"]);
  // The delete build of the old prebuild detected the old preset from its parameters.
  expect(builds[1]?.templateVersionPresetId).toBe(t.preset.id);
  expect(builds[1]?.templateVersionId).toBe(t.version.id);
});

describe("TestSkippingHardLimitedPresets", () => {
  test.each([
    { hardLimit: 1, isHardLimited: true },
    { hardLimit: 2, isHardLimited: false },
  ])("failure hard limit $hardLimit ⇒ hard-limited: $isHardLimited", async ({ hardLimit, isHardLimited }) => {
    const c = sim();
    const t = await templateWithPreset(c, { desired: 1 });
    await prebuildWithBuild(c, t, { status: "failed" });
    c.clock.set(c.clock.now() + MILLISECOND);
    const registry = new Registry();
    const reconciler = c.newReconciler({
      registry,
      config: { failureHardLimit: hardLimit, reconciliationBackoffInterval: 0 },
    });
    await cycles(c, reconciler, 3);
    await c.runTask(() => reconciler.forceMetricsUpdate());

    const workspaces = await prebuildsOf(c.db.driver, t.template.id);
    const preset = await c.store.getPresetById(t.preset.id);
    const gauge = await metricValue(
      registry,
      MetricName.presetHardLimited,
      presetLabels(t.template.name, t.preset.name),
    );
    if (isHardLimited) {
      expect(workspaces).toHaveLength(1);
      expect(preset.prebuildStatus).toBe("hard_limited");
      expect(gauge).toBe(1);
    } else {
      expect(workspaces).toHaveLength(2);
      expect(preset.prebuildStatus).toBe("healthy");
      expect(gauge).toBeUndefined();
    }
  });
});

describe("TestHardLimitedPresetShouldNotBlockDeletion", () => {
  test.each([{ change: "a new version is promoted" }, { change: "the template is soft-deleted" }])(
    "$change: the running prebuild is deleted and the gauge disappears",
    async ({ change }) => {
      const c = sim();
      const t = await templateWithPreset(c, { desired: 2 });
      const { workspace: succeeded } = await prebuildWithBuild(c, t, { status: "succeeded" });
      await prebuildWithBuild(c, t, { status: "failed", createdAt: c.clock.now() - 2 * HOUR + SECOND });
      const registry = new Registry();
      const reconciler = c.newReconciler({
        registry,
        config: { failureHardLimit: 1, reconciliationBackoffInterval: 0 },
      });
      const labels = presetLabels(t.template.name, t.preset.name);

      await cycles(c, reconciler, 3);
      await c.runTask(() => reconciler.forceMetricsUpdate());
      expect(await prebuildsOf(c.db.driver, t.template.id)).toHaveLength(2);
      expect((await c.store.getPresetById(t.preset.id)).prebuildStatus).toBe("hard_limited");
      expect(await metricValue(registry, MetricName.presetHardLimited, labels)).toBe(1);

      if (change === "a new version is promoted") {
        await versionWithParameter(c, t.template, { name: "v2", activate: true });
      } else {
        await c.store.updateTemplateDeletedById({
          id: t.template.id,
          deleted: true,
          updatedAt: c.clock.now(),
        });
      }
      await cycles(c, reconciler, 1);
      await c.runTask(() => reconciler.forceMetricsUpdate());

      expect(await prebuildsOf(c.db.driver, t.template.id)).toHaveLength(2);
      const statuses = await c.db.driver.query(
        "SELECT job_status::text AS s, count(*)::int AS n FROM provisioner_jobs GROUP BY 1 ORDER BY 1",
      );
      expect(Object.fromEntries(statuses.map((r) => [r.s, r.n]))).toEqual({
        failed: 1,
        pending: 1,
        succeeded: 1,
      });
      const builds = await c.store.getWorkspaceBuildsByWorkspaceId(succeeded.id);
      expect(builds.map((b) => b.transition)).toEqual(["start", "delete"]);
      expect(await metricValue(registry, MetricName.presetHardLimited, labels)).toBeUndefined();
    },
  );
});

test("TestReconcilerLifecycle: stop without run, a second reconciler on the same registry", async () => {
  const c = sim();
  const registry = new Registry();
  const first = c.newReconciler({ registry });
  expect(registry.getSingleMetric(RECONCILIATION_DURATION_METRIC)).toBeDefined();
  await c.runTask(() => first.stop(c.background, new Error("entitlements change")));
  expect(registry.getMetricsAsArray()).toEqual([]);

  const second = c.newReconciler({ registry });
  expect(registry.getSingleMetric(MetricName.desired)).toBeDefined();
  await c.runTask(() => second.stop(c.background));
  expect(registry.getMetricsAsArray()).toEqual([]);
  expect(c.logger.entriesAt("error").map((e) => e.msg)).toEqual(["stopping reconciler due to an error"]);
  // A stopped reconciler cannot run again: run returns at once.
  await c.runTask(() => second.run(c.background));
});

test("TestReconciliationRespectsPauseSetting", async () => {
  const c = sim();
  const t = await templateWithPreset(c, { desired: 2 });
  const reconciler = c.newReconciler();
  await cycles(c, reconciler, 1);
  const first = await prebuildsOf(c.db.driver, t.template.id);
  expect(first).toHaveLength(2);

  await setPrebuildsReconciliationPaused(c.store, true);
  for (const id of first)
    await c.store.updateWorkspaceDeletedById({ id, deleted: true, updatedAt: c.clock.now() });
  await cycles(c, reconciler, 1);
  expect(await prebuildsOf(c.db.driver, t.template.id)).toHaveLength(0);

  await setPrebuildsReconciliationPaused(c.store, false);
  await cycles(c, reconciler, 1);
  expect(await prebuildsOf(c.db.driver, t.template.id)).toHaveLength(2);
});
