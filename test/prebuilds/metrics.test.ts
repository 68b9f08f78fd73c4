// The reconciler's Prometheus metrics (spec §6.4): upstream's collector table, duplicate names,
// the paused gauge, the refresh timestamp and the text exposition.
import { Registry } from "prom-client";
import { describe, expect, test } from "vitest";
import { SECOND } from "../../src/clock/types.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../../src/db/constants.ts";
import type { JobOutcome } from "../../src/db/fixtures.ts";
import type { WorkspaceTransition } from "../../src/db/rows.ts";
import { MetricName } from "../../src/prebuilds/metricsCollector.ts";
import { RECONCILIATION_DURATION_METRIC } from "../../src/prebuilds/reconciler.ts";
import { setPrebuildsReconciliationPaused } from "../../src/prebuilds/settings.ts";
import { useSimulation } from "./kernelHarness.ts";
import { metricValue, presetLabels, seriesOf } from "./metricsReader.ts";
import { prebuildWithBuild, templateWithPreset } from "./reconcileFixtures.ts";

const sim = useSimulation();

const TRANSITIONS: WorkspaceTransition[] = ["start", "stop", "delete"];
const STATUSES: JobOutcome[] = ["pending", "running", "succeeded", "canceling", "canceled", "failed"];

type Who = "prebuilds" | "other";

interface Case {
  name: string;
  transitions: WorkspaceTransition[];
  statuses: JobOutcome[];
  initiators: Who[];
  owners: Who[];
  ready: boolean;
  templateDeleted: boolean;
  /** Expected value per metric; metrics not listed here or in `absent` are not checked. */
  expected: Partial<Record<MetricKey, number>>;
  /** Metrics that must have no series for the preset's labels. */
  absent?: MetricKey[];
}

type MetricKey = "created" | "failed" | "claimed" | "desired" | "running" | "eligible";

const cases: Case[] = [
  {
    name: "prebuild running",
    transitions: ["start"],
    statuses: ["succeeded"],
    initiators: ["prebuilds"],
    owners: ["prebuilds"],
    ready: false,
    templateDeleted: false,
    expected: { created: 1, claimed: 0, failed: 0, desired: 1, running: 1, eligible: 0 },
  },
  {
    name: "prebuild eligible",
    transitions: ["start"],
    statuses: ["succeeded"],
    initiators: ["prebuilds"],
    owners: ["prebuilds"],
    ready: true,
    templateDeleted: false,
    expected: { created: 1, claimed: 0, failed: 0, desired: 1, running: 1, eligible: 1 },
  },
  {
    name: "prebuild failed",
    transitions: TRANSITIONS,
    statuses: ["failed"],
    initiators: ["prebuilds"],
    owners: ["prebuilds", "other"],
    ready: false,
    templateDeleted: false,
    expected: { created: 1, failed: 1, desired: 1, running: 0, eligible: 0 },
  },
  {
    name: "prebuild claimed",
    transitions: TRANSITIONS,
    statuses: STATUSES,
    initiators: ["prebuilds"],
    owners: ["other"],
    ready: false,
    templateDeleted: false,
    expected: { created: 1, claimed: 1, desired: 1, running: 0, eligible: 0 },
  },
  {
    name: "workspaces that were not created by the prebuilds user are not counted",
    transitions: TRANSITIONS,
    statuses: STATUSES,
    initiators: ["other"],
    owners: ["other"],
    ready: false,
    templateDeleted: false,
    expected: { desired: 1, running: 0, eligible: 0 },
    absent: ["created", "failed", "claimed"],
  },
  {
    name: "deleted templates should not be included in exported metrics",
    transitions: TRANSITIONS,
    statuses: STATUSES,
    initiators: ["prebuilds"],
    owners: ["prebuilds", "other"],
    ready: false,
    templateDeleted: true,
    expected: {},
    absent: ["created", "failed", "claimed", "desired", "running", "eligible"],
  },
];

interface Row {
  name: string;
  c: Case;
  transition: WorkspaceTransition;
  status: JobOutcome;
  initiator: Who;
  owner: Who;
}

function rowsOf(c: Case): Row[] {
  const rows: Row[] = [];
  for (const transition of c.transitions)
    for (const status of c.statuses)
      for (const initiator of c.initiators)
        for (const owner of c.owners)
          rows.push({
            name: `${transition} × ${status}, initiator ${initiator}, owner ${owner}`,
            c,
            transition,
            status,
            initiator,
            owner,
          });
  return rows;
}

const METRICS = {
  created: MetricName.createdTotal,
  failed: MetricName.failedTotal,
  claimed: MetricName.claimedTotal,
  desired: MetricName.desired,
  running: MetricName.running,
  eligible: MetricName.eligible,
} as const;

for (const metricCase of cases) {
  describe(`TestMetricsCollector: ${metricCase.name}`, () => {
    test.each(rowsOf(metricCase))("$name", async (row) => {
      const c = sim();
      const other = await c.fx.user({ username: "someone" });
      const idOf = (who: Who) => (who === "prebuilds" ? PREBUILDS_SYSTEM_USER_ID : other.id);
      const templates = [];
      for (const name of ["template-a", "template-b"]) {
        const t = await templateWithPreset(c, { name, presetName: "preset", desired: 1 });
        const workspace = await c.fx.workspace({ templateId: t.template.id, ownerId: idOf(row.owner) });
        await c.fx.build({
          workspace,
          templateVersionId: t.version.id,
          presetId: t.preset.id,
          transition: row.transition,
          status: row.status,
          initiatorId: idOf(row.initiator),
          agents: [{ lifecycle: metricCase.ready ? "ready" : "starting" }],
        });
        if (metricCase.templateDeleted) {
          await c.store.updateTemplateDeletedById({
            id: t.template.id,
            deleted: true,
            updatedAt: c.clock.now(),
          });
        }
        templates.push(t);
      }
      const registry = new Registry();
      const reconciler = c.newReconciler({ registry });
      await c.runTask(() => reconciler.forceMetricsUpdate());

      for (const t of templates) {
        const labels = presetLabels(t.template.name, t.preset.name);
        for (const [key, value] of Object.entries(metricCase.expected) as [MetricKey, number][]) {
          expect(await metricValue(registry, METRICS[key], labels), `${t.template.name} ${key}`).toBe(value);
        }
        for (const key of metricCase.absent ?? []) {
          expect(
            await metricValue(registry, METRICS[key], labels),
            `${t.template.name} ${key}`,
          ).toBeUndefined();
        }
      }
    });
  });
}

test("duplicate template names: only the live template is reported, without a duplicate-series error", async () => {
  const c = sim();
  const old = await templateWithPreset(c, { name: "tpl", presetName: "preset", desired: 1 });
  await prebuildWithBuild(c, old, { ready: true });
  await c.store.updateTemplateDeletedById({ id: old.template.id, deleted: true, updatedAt: c.clock.now() });
  const live = await templateWithPreset(c, { name: "tpl", presetName: "preset", desired: 3 });
  await prebuildWithBuild(c, live, { ready: true });
  await prebuildWithBuild(c, live, { ready: false });

  const registry = new Registry();
  const reconciler = c.newReconciler({ registry });
  await c.runTask(() => reconciler.forceMetricsUpdate());
  const text = await registry.metrics();
  expect(text).toContain(MetricName.desired);
  const labels = presetLabels("tpl", "preset");
  expect(await seriesOf(registry, MetricName.desired)).toEqual([{ labels, value: 3 }]);
  expect(await seriesOf(registry, MetricName.running)).toEqual([{ labels, value: 2 }]);
  expect(await seriesOf(registry, MetricName.eligible)).toEqual([{ labels, value: 1 }]);
  expect(await seriesOf(registry, MetricName.createdTotal)).toEqual([{ labels, value: 2 }]);
});

test("the paused gauge follows the setting at each cycle", async () => {
  const c = sim();
  await templateWithPreset(c, { desired: 1 });
  const registry = new Registry();
  const reconciler = c.newReconciler({ registry });
  const paused = () => metricValue(registry, MetricName.reconciliationPaused);
  const cycle = () => c.runTask(() => reconciler.reconcileAll(c.background));

  await cycle();
  expect(await paused()).toBe(0);
  await setPrebuildsReconciliationPaused(c.store, true);
  await cycle();
  expect(await paused()).toBe(1);
  await setPrebuildsReconciliationPaused(c.store, false);
  await cycle();
  expect(await paused()).toBe(0);
});

test("before the first refresh only the paused gauge and a zero timestamp are exported", async () => {
  const c = sim();
  const t = await templateWithPreset(c, { desired: 1 });
  const registry = new Registry();
  const reconciler = c.newReconciler({ registry });
  expect(await metricValue(registry, MetricName.metricsLastUpdated)).toBe(0);
  expect(await seriesOf(registry, MetricName.desired)).toEqual([]);
  expect(await metricValue(registry, MetricName.reconciliationPaused)).toBe(0);

  c.clock.advance(90 * SECOND);
  await c.runTask(() => reconciler.forceMetricsUpdate());
  expect(await metricValue(registry, MetricName.metricsLastUpdated)).toBe(Math.floor(c.clock.now() / SECOND));
  expect(await metricValue(registry, MetricName.desired, presetLabels(t.template.name, t.preset.name))).toBe(
    1,
  );
});

test("the text exposition names every metric with its type", async () => {
  const c = sim();
  await templateWithPreset(c, { desired: 1 });
  const registry = new Registry();
  const reconciler = c.newReconciler({ registry });
  await c.runTask(() => reconciler.forceMetricsUpdate());
  const text = await registry.metrics();
  const types: Record<string, string> = {
    [MetricName.createdTotal]: "counter",
    [MetricName.failedTotal]: "counter",
    [MetricName.claimedTotal]: "counter",
    [MetricName.resourceReplacementsTotal]: "counter",
    [MetricName.desired]: "gauge",
    [MetricName.running]: "gauge",
    [MetricName.eligible]: "gauge",
    [MetricName.presetHardLimited]: "gauge",
    [MetricName.presetValidationFailed]: "gauge",
    [MetricName.metricsLastUpdated]: "gauge",
    [MetricName.reconciliationPaused]: "gauge",
    [RECONCILIATION_DURATION_METRIC]: "histogram",
  };
  for (const [name, type] of Object.entries(types)) expect(text).toContain(`# TYPE ${name} ${type}\n`);
});
