// Resource replacement tracking (spec §7.1) and the opt-in failure-limit notification (§7.2, §12).
import { Registry } from "prom-client";
import { expect, test } from "vitest";
import { NotificationTemplateId } from "../../src/db/constants.ts";
import { EnterpriseClaimer } from "../../src/prebuilds/claimer.ts";
import { createWorkspace } from "../../src/prebuilds/createWorkspace.ts";
import { MetricName } from "../../src/prebuilds/metricsCollector.ts";
import { NOTIFICATION_CREATED_BY, TEMPLATE_ADMIN_ROLE } from "../../src/prebuilds/notifications.ts";
import { type SimContext, useSimulation } from "./kernelHarness.ts";
import { metricValue, presetLabels } from "./metricsReader.ts";
import { completePendingJobs } from "./provisionerStandIn.ts";
import { PRESET_PARAMETERS, prebuildWithBuild, templateWithPreset } from "./reconcileFixtures.ts";

const sim = useSimulation();

async function claimOne(c: SimContext) {
  const t = await templateWithPreset(c, { name: "tpl", presetName: "preset", desired: 1 });
  const reconciler = c.newReconciler({ registry: new Registry() });
  await c.runTask(() => reconciler.reconcileAll(c.background));
  await completePendingJobs(c.store, c.ids, c.clock.now());
  const claimant = await c.fx.user({ username: "claimant" });
  const claim = await c.runTask(() =>
    createWorkspace(
      {
        store: c.store,
        clock: c.clock,
        ids: c.ids,
        claimer: new EnterpriseClaimer(),
        pubsub: null,
        logger: c.logger,
      },
      {
        ownerId: claimant.id,
        templateId: t.template.id,
        name: "claimed",
        templateVersionPresetId: t.preset.id,
        richParameterValues: Object.entries(PRESET_PARAMETERS).map(([name, value]) => ({ name, value })),
      },
    ),
  );
  expect(claim.claim).toBe("claimed");
  return { t, claim, claimant };
}

test("TestTrackResourceReplacement", async () => {
  const c = sim();
  const admin = await c.fx.user({ username: "admin", rbacRoles: [TEMPLATE_ADMIN_ROLE] });
  await c.fx.user({ username: "bystander" });
  const { t, claim, claimant } = await claimOne(c);
  const registry = new Registry();
  const reconciler = c.newReconciler({ registry });
  await c.runTask(() => reconciler.forceMetricsUpdate());
  const labels = presetLabels("tpl", "preset");
  expect(await metricValue(registry, MetricName.resourceReplacementsTotal, labels)).toBeUndefined();

  await c.runTask(() =>
    reconciler.trackResourceReplacement(claim.workspace.id, claim.build.id, [
      { resource: "docker_container[0]", paths: ["env", "image"] },
      { resource: "docker_volume[0]", paths: ["name"] },
    ]),
  );

  const messages = await c.store.getNotificationMessages();
  expect(messages).toHaveLength(1);
  const [message] = messages;
  expect(message?.userId).toBe(admin.id);
  expect(message?.notificationTemplateId).toBe(NotificationTemplateId.WorkspaceResourceReplaced);
  expect(message?.createdBy).toBe(NOTIFICATION_CREATED_BY);
  expect(message?.payload).toEqual({
    labels: {
      org: "coder",
      workspace: "claimed",
      template: "tpl",
      template_version: t.version.name,
      preset: "preset",
      workspace_build_num: "2",
      claimant: claimant.username,
    },
    data: { replacements: { "docker_container[0]": "env, image", "docker_volume[0]": "name" } },
  });
  expect(message?.targets).toEqual([
    claim.workspace.id,
    claimant.id,
    t.template.id,
    t.version.id,
    t.preset.id,
    t.template.organizationId,
  ]);
  expect(await metricValue(registry, MetricName.resourceReplacementsTotal, labels)).toBe(1);
});

test("tracking failures are logged, never raised", async () => {
  const c = sim();
  const reconciler = c.newReconciler();
  await c.runTask(() => reconciler.trackResourceReplacement(c.ids.uuid(), c.ids.uuid(), []));
  expect(c.logger.entriesAt("error").map((e) => e.msg)).toEqual(["failed to track resource replacement"]);
});

test("the failure-limit notification is off by default", async () => {
  const c = sim();
  await c.fx.user({ username: "admin", rbacRoles: [TEMPLATE_ADMIN_ROLE] });
  const t = await templateWithPreset(c, { desired: 1 });
  await prebuildWithBuild(c, t, { status: "failed" });
  const reconciler = c.newReconciler({ config: { failureHardLimit: 1 } });
  await c.runTask(() => reconciler.reconcileAll(c.background));
  expect((await c.store.getPresetById(t.preset.id)).prebuildStatus).toBe("hard_limited");
  expect(await c.store.getNotificationMessages()).toEqual([]);
});

test("when enabled, the failure-limit notification is sent once, on the transition", async () => {
  const c = sim();
  const admin = await c.fx.user({ username: "admin", rbacRoles: [TEMPLATE_ADMIN_ROLE] });
  const t = await templateWithPreset(c, { name: "tpl", presetName: "preset", desired: 1 });
  await prebuildWithBuild(c, t, { status: "failed" });
  const reconciler = c.newReconciler({ config: { failureHardLimit: 1 }, notifyFailureLimitReached: true });
  for (let i = 0; i < 3; i++) await c.runTask(() => reconciler.reconcileAll(c.background));
  const messages = await c.store.getNotificationMessages();
  expect(messages.map((m) => [m.userId, m.notificationTemplateId])).toEqual([
    [admin.id, NotificationTemplateId.PrebuildFailureLimitReached],
  ]);
  expect(messages[0]?.payload).toEqual({
    labels: { org: "coder", template: "tpl", template_version: t.version.name, preset: "preset" },
    data: {},
  });
});
