// Presets whose prebuilds cannot be built (spec §9.3): a 400 from the builder marks the preset
// `validation_failed`, stops that cycle's creates and blocks creation until a new version is
// promoted; a 500 changes nothing.
import { Registry } from "prom-client";
import { expect, test } from "vitest";
import { MetricName } from "../../src/prebuilds/metricsCollector.ts";
import type { PresetStatusEvent } from "../../src/prebuilds/simulationHooks.ts";
import { type SimContext, useSimulation } from "./kernelHarness.ts";
import { metricValue, presetLabels } from "./metricsReader.ts";
import {
  PRESET_PARAMETERS,
  prebuildsOf,
  type TemplateFixture,
  templateWithPreset,
  versionWithParameter,
} from "./reconcileFixtures.ts";
import { failingBuildInserts } from "./storeWrappers.ts";

const sim = useSimulation();

/** A required parameter the preset does not set: every creation is a 400. */
async function addUnsatisfiableParameter(c: SimContext, templateVersionId: string): Promise<void> {
  await c.store.insertTemplateVersionParameter({
    templateVersionId,
    name: "missing",
    type: "string",
    required: true,
    mutable: true,
  });
}

test("TestValidationFailedPresets", async () => {
  const c = sim();
  const a = await templateWithPreset(c, { name: "a", presetName: "preset-a", desired: 2 });
  await c.store.updatePresetPrebuildStatus({ presetId: a.preset.id, status: "validation_failed" });
  const b = await templateWithPreset(c, { name: "b", presetName: "preset-b", desired: 1 });
  await addUnsatisfiableParameter(c, b.version.id);
  const cc = await templateWithPreset(c, { name: "c", presetName: "preset-c", desired: 3 });
  await addUnsatisfiableParameter(c, cc.version.id);
  const d = await templateWithPreset(c, { name: "d", presetName: "preset-d", desired: 1 });
  const e = await templateWithPreset(c, { name: "e", presetName: "preset-e", desired: 1 });

  const registry = new Registry();
  const statusChanges: PresetStatusEvent[] = [];
  const reconciler = c.newReconciler({
    registry,
    store: failingBuildInserts(c.store, d.version.id),
    hooks: { presetStatusChanged: (event) => statusChanges.push(event) },
  });
  for (let i = 0; i < 2; i++) await c.runTask(() => reconciler.reconcileAll(c.background));
  await c.runTask(() => reconciler.forceMetricsUpdate());

  const expectations: {
    t: TemplateFixture;
    status: string;
    workspaces: number;
    gauge: number | undefined;
  }[] = [
    { t: a, status: "validation_failed", workspaces: 0, gauge: 1 },
    { t: b, status: "validation_failed", workspaces: 0, gauge: 1 },
    { t: cc, status: "validation_failed", workspaces: 0, gauge: 1 },
    { t: d, status: "healthy", workspaces: 0, gauge: undefined },
    { t: e, status: "healthy", workspaces: 1, gauge: undefined },
  ];
  for (const { t, status, workspaces, gauge } of expectations) {
    expect((await c.store.getPresetById(t.preset.id)).prebuildStatus, t.template.name).toBe(status);
    expect(await prebuildsOf(c.db.driver, t.template.id), t.template.name).toHaveLength(workspaces);
    const labels = presetLabels(t.template.name, t.preset.name);
    expect(await metricValue(registry, MetricName.presetValidationFailed, labels), t.template.name).toBe(
      gauge,
    );
  }

  // C desired 3 but was attempted once: the 400 stops the cycle's creates, the status the next cycle's.
  const attempts = (t: TemplateFixture) =>
    c.logger
      .entriesAt("error")
      .filter((x) => x.msg === "failed to create prebuild" && x.fields.preset_id === t.preset.id).length;
  expect(attempts(cc)).toBe(1);
  expect(attempts(b)).toBe(1);
  // D's internal errors are retried on every instance and every cycle.
  expect(attempts(d)).toBe(2);
  expect(statusChanges.map((s) => s.preset)).toEqual([
    `b/${b.version.name}/preset-b`,
    `c/${cc.version.name}/preset-c`,
  ]);
});

test("TestValidationFailedPresetResets", async () => {
  const c = sim();
  const t = await templateWithPreset(c, { name: "tpl", presetName: "preset", desired: 1 });
  await addUnsatisfiableParameter(c, t.version.id);
  const registry = new Registry();
  const reconciler = c.newReconciler({ registry });
  const labels = presetLabels("tpl", "preset");

  await c.runTask(() => reconciler.reconcileAll(c.background));
  expect((await c.store.getPresetById(t.preset.id)).prebuildStatus).toBe("validation_failed");
  await c.runTask(() => reconciler.reconcileAll(c.background));
  await c.runTask(() => reconciler.forceMetricsUpdate());
  expect(await metricValue(registry, MetricName.presetValidationFailed, labels)).toBe(1);

  const v2 = await versionWithParameter(c, t.template, { name: "v2", activate: true });
  const newPreset = await c.fx.preset({
    templateVersionId: v2.id,
    name: "preset",
    desiredInstances: 1,
    parameters: PRESET_PARAMETERS,
  });
  await c.runTask(() => reconciler.reconcileAll(c.background));
  await c.runTask(() => reconciler.forceMetricsUpdate());

  expect((await c.store.getPresetById(t.preset.id)).prebuildStatus).toBe("validation_failed");
  expect((await c.store.getPresetById(newPreset.id)).prebuildStatus).toBe("healthy");
  expect(await metricValue(registry, MetricName.presetValidationFailed, labels)).toBeUndefined();
  expect(await prebuildsOf(c.db.driver, t.template.id)).toHaveLength(1);
});
