// Pending prebuild jobs of inactive versions are canceled and their workspaces orphan-deleted in
// one transaction (spec §9.5); everything else is left alone. No provisioner daemon runs.
import { describe, expect, test } from "vitest";
import { MINUTE } from "../../src/clock/types.ts";
import type { JobOutcome } from "../../src/db/fixtures.ts";
import type { PresetRow, ProvisionerJobRow, TemplateRow, WorkspaceTransition } from "../../src/db/rows.ts";
import { T0 } from "./harness.ts";
import { type SimContext, useSimulation } from "./kernelHarness.ts";
import { PRESET_PARAMETERS, templateWithPreset, versionWithParameter } from "./reconcileFixtures.ts";

const sim = useSimulation();

interface PendingFixture {
  template: TemplateRow;
  oldPreset: PresetRow;
  newPreset: PresetRow;
}

/** A template whose old version (preset desired 1) is superseded by a new one (preset desired 1). */
async function twoVersions(c: SimContext, name = "tpl"): Promise<PendingFixture> {
  const old = await templateWithPreset(c, { name, desired: 1 });
  const v2 = await versionWithParameter(c, old.template, { name: "v2" });
  const newPreset = await c.fx.preset({
    templateVersionId: v2.id,
    name: "preset",
    desiredInstances: 1,
    parameters: PRESET_PARAMETERS,
  });
  return { template: old.template, oldPreset: old.preset, newPreset };
}

async function promote(c: SimContext, f: PendingFixture): Promise<void> {
  await c.store.updateTemplateActiveVersionById({
    id: f.template.id,
    activeVersionId: f.newPreset.templateVersionId,
    updatedAt: c.clock.now(),
  });
}

interface BuildOptions {
  preset: PresetRow;
  template: TemplateRow;
  status?: JobOutcome;
  transition?: WorkspaceTransition;
  buildNumber?: number;
  ownerId?: string;
  initiatorId?: string;
}

async function prebuildJob(
  c: SimContext,
  o: BuildOptions,
): Promise<{ workspaceId: string; job: ProvisionerJobRow }> {
  const workspace = await c.fx.workspace({
    templateId: o.template.id,
    createdAt: c.clock.now() - MINUTE,
    ...(o.ownerId === undefined ? {} : { ownerId: o.ownerId }),
  });
  const { job } = await c.fx.build({
    workspace,
    templateVersionId: o.preset.templateVersionId,
    presetId: o.preset.id,
    status: o.status ?? "pending",
    transition: o.transition ?? "start",
    createdAt: c.clock.now() - MINUTE,
    parameters: PRESET_PARAMETERS,
    ...(o.buildNumber === undefined ? {} : { buildNumber: o.buildNumber }),
    ...(o.initiatorId === undefined ? {} : { initiatorId: o.initiatorId }),
  });
  return { workspaceId: workspace.id, job };
}

async function oneCycle(c: SimContext): Promise<void> {
  const reconciler = c.newReconciler();
  await c.runTask(() => reconciler.reconcileAll(c.background));
}

async function expectCanceledAndOrphanDeleted(
  c: SimContext,
  subject: { workspaceId: string; job: ProvisionerJobRow },
) {
  const now = c.clock.now();
  const job = await c.store.getProvisionerJobById(subject.job.id);
  expect(job.jobStatus).toBe("canceled");
  expect(job.canceledAt).toBe(now);
  expect(job.completedAt).toBe(now);
  expect((await c.store.getWorkspaceById(subject.workspaceId)).deleted).toBe(true);
  const builds = await c.store.getWorkspaceBuildsByWorkspaceId(subject.workspaceId);
  const latest = builds.at(-1)!;
  expect(latest.transition).toBe("delete");
  const deleteJob = await c.store.getProvisionerJobById(latest.jobId);
  expect(deleteJob.jobStatus).toBe("succeeded");
  expect(deleteJob.completedAt).toBe(now);
  expect(deleteJob.workerId).toBeNull();
  expect(deleteJob.input.orphan).toBe(true);
}

async function expectUntouched(c: SimContext, subject: { workspaceId: string; job: ProvisionerJobRow }) {
  const job = await c.store.getProvisionerJobById(subject.job.id);
  expect({ status: job.jobStatus, canceledAt: job.canceledAt, completedAt: job.completedAt }).toEqual({
    status: subject.job.jobStatus,
    canceledAt: subject.job.canceledAt,
    completedAt: subject.job.completedAt,
  });
  expect((await c.store.getWorkspaceById(subject.workspaceId)).deleted).toBe(false);
}

describe("cancel pending prebuild jobs of inactive versions", () => {
  test("the clock is Monday 1 January 2024, 08:00 UTC", () => {
    expect(sim().clock.now()).toBe(T0);
  });

  test("CancelsPendingPrebuildJobNonActiveVersion", async () => {
    const c = sim();
    const f = await twoVersions(c);
    const subject = await prebuildJob(c, { preset: f.oldPreset, template: f.template });
    await promote(c, f);
    await oneCycle(c);
    await expectCanceledAndOrphanDeleted(c, subject);
  });

  test("DoesNotCancelPendingPrebuildJobActiveVersion", async () => {
    const c = sim();
    const f = await twoVersions(c);
    await promote(c, f);
    const subject = await prebuildJob(c, { preset: f.newPreset, template: f.template });
    await oneCycle(c);
    await expectUntouched(c, subject);
  });

  test("DoesNotCancelPendingPrebuildJobSecondBuild", async () => {
    const c = sim();
    const f = await twoVersions(c);
    const subject = await prebuildJob(c, { preset: f.oldPreset, template: f.template, buildNumber: 2 });
    await promote(c, f);
    await oneCycle(c);
    await expectUntouched(c, subject);
  });

  test("DoesNotCancelPrebuildJobDifferentTemplate", async () => {
    const c = sim();
    const f = await twoVersions(c);
    const other = await templateWithPreset(c, { name: "other", desired: 1 });
    const subject = await prebuildJob(c, { preset: other.preset, template: other.template });
    await promote(c, f);
    await oneCycle(c);
    await expectUntouched(c, subject);
  });

  test("DoesNotCancelUserWorkspaceJob", async () => {
    const c = sim();
    const f = await twoVersions(c);
    const member = await c.fx.user({ username: "member" });
    const subject = await prebuildJob(c, {
      preset: f.oldPreset,
      template: f.template,
      ownerId: member.id,
      initiatorId: member.id,
    });
    await promote(c, f);
    await oneCycle(c);
    await expectUntouched(c, subject);
  });

  test.each([
    { name: "DoesNotCancelPrebuildJobDeleteTransition", transition: "delete", status: "pending" },
    { name: "DoesNotCancelRunningPrebuildJob", transition: "start", status: "running" },
    { name: "DoesNotCancelCanceledPrebuildJob", transition: "start", status: "canceled" },
    { name: "DoesNotCancelCompletedPrebuildJob", transition: "start", status: "succeeded" },
  ] as const)("$name", async ({ transition, status }) => {
    const c = sim();
    const f = await twoVersions(c);
    const subject = await prebuildJob(c, { preset: f.oldPreset, template: f.template, transition, status });
    await promote(c, f);
    await oneCycle(c);
    await expectUntouched(c, subject);
  });
});

test("CancelPendingPrebuildsMultipleTemplates", async () => {
  const c = sim();
  type Subject = { workspaceId: string; job: ProvisionerJobRow };
  const make = async (preset: PresetRow, template: TemplateRow, running: number, pending: number) => {
    const out: { running: Subject[]; pending: Subject[] } = { running: [], pending: [] };
    for (let i = 0; i < running; i++)
      out.running.push(await prebuildJob(c, { preset, template, status: "succeeded" }));
    for (let i = 0; i < pending; i++) out.pending.push(await prebuildJob(c, { preset, template }));
    return out;
  };
  const presetOn = async (template: TemplateRow, name: string, desired: number) => {
    const version = await versionWithParameter(c, template, { name });
    return c.fx.preset({
      templateVersionId: version.id,
      name: "preset",
      desiredInstances: desired,
      parameters: PRESET_PARAMETERS,
    });
  };

  const a = await templateWithPreset(c, { name: "a", desired: 5 });
  const aV1 = await make(a.preset, a.template, 2, 3);
  const aV2Preset = await presetOn(a.template, "a-v2", 2);
  const aV2 = await make(aV2Preset, a.template, 1, 1);

  const b = await templateWithPreset(c, { name: "b", desired: 3 });
  const bV1 = await make(b.preset, b.template, 1, 2);
  const bV2Preset = await presetOn(b.template, "b-v2", 2);
  const bV2 = await make(bV2Preset, b.template, 0, 2);
  const bV3Preset = await presetOn(b.template, "b-v3", 2);
  const bV3 = await make(bV3Preset, b.template, 1, 1);

  for (const [template, preset] of [
    [a.template, aV2Preset],
    [b.template, bV3Preset],
  ] as const) {
    await c.store.updateTemplateActiveVersionById({
      id: template.id,
      activeVersionId: preset.templateVersionId,
      updatedAt: c.clock.now(),
    });
  }
  await oneCycle(c);

  for (const subject of [...aV1.pending, ...bV1.pending, ...bV2.pending]) {
    await expectCanceledAndOrphanDeleted(c, subject);
  }
  for (const subject of [...aV1.running, ...bV1.running]) {
    await expectUntouched(c, subject);
    const builds = await c.store.getWorkspaceBuildsByWorkspaceId(subject.workspaceId);
    // Inactive running prebuilds get a normal delete build, not a cancellation.
    expect(builds.map((x) => x.transition)).toEqual(["start", "delete"]);
    const deleteJob = await c.store.getProvisionerJobById(builds[1]!.jobId);
    expect(deleteJob.jobStatus).toBe("pending");
    expect(deleteJob.input.orphan).toBe(false);
  }
  for (const subject of [...aV2.running, ...aV2.pending, ...bV3.running, ...bV3.pending]) {
    await expectUntouched(c, subject);
    expect(await c.store.getWorkspaceBuildsByWorkspaceId(subject.workspaceId)).toHaveLength(1);
  }
});
