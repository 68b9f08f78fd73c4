// Claiming (spec §2.10), preset matching (§2.11, the seven cases of §5.6) and the pending-job
// cancellation (§2.6).
import { expect, test } from "vitest";
import { HOUR, MINUTE } from "../../src/clock/types.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../../src/db/constants.ts";
import type { JobOutcome } from "../../src/db/fixtures.ts";
import type { ClaimPrebuiltWorkspaceParams } from "../../src/db/store.ts";
import { type DbTestContext, describeEachBackend, T0 } from "./harness.ts";

async function claimSetup(c: DbTestContext) {
  const user = await c.fx.user({ username: "alice" });
  const { template, version } = await c.fx.template();
  const preset = await c.fx.preset({ templateVersionId: version.id, name: "small", invalidateAfterSecs: 60 });
  const params = (presetId: string): ClaimPrebuiltWorkspaceParams => ({
    newUserId: user.id,
    newName: "alices-workspace",
    now: T0 + MINUTE,
    presetId,
    autostartSchedule: "CRON_TZ=UTC 0 9 * * 1-5",
    nextStartAt: T0 + HOUR,
    workspaceTtl: 8 * HOUR,
  });
  return { user, template, version, preset, params };
}

describeEachBackend("ClaimPrebuiltWorkspace (§2.10)", (ctx) => {
  test("claims a ready prebuild: owner, name, times and schedule change; dormant/deleting cleared", async () => {
    const c = ctx();
    const { user, template, preset, params } = await claimSetup(c);
    const { workspace } = await c.fx.prebuild({ preset, templateId: template.id, createdAt: T0 - HOUR });
    await c.driver.query(
      "UPDATE workspaces SET dormant_at = created_at, deleting_at = created_at WHERE id = $1",
      [workspace.id],
    );

    expect(await c.store.claimPrebuiltWorkspace(params(preset.id))).toEqual({
      id: workspace.id,
      name: "alices-workspace",
    });
    expect(await c.store.getWorkspaceById(workspace.id)).toEqual({
      ...workspace,
      ownerId: user.id,
      name: "alices-workspace",
      updatedAt: T0 + MINUTE,
      lastUsedAt: T0 + MINUTE,
      autostartSchedule: "CRON_TZ=UTC 0 9 * * 1-5",
      nextStartAt: T0 + HOUR,
      ttl: 8 * HOUR,
      dormantAt: null,
      deletingAt: null,
    });
    expect(await c.store.getRunningPrebuiltWorkspaces()).toEqual([]);
  });

  const unclaimable: {
    name: string;
    arrange: (c: DbTestContext, s: Awaited<ReturnType<typeof claimSetup>>) => Promise<void>;
  }[] = [
    {
      name: "agent not ready",
      arrange: async (c, s) => {
        await c.fx.prebuild({ preset: s.preset, templateId: s.template.id, ready: false });
      },
    },
    {
      name: "no agents at all",
      arrange: async (c, s) => {
        await c.fx.prebuild({ preset: s.preset, templateId: s.template.id, agents: [] });
      },
    },
    {
      name: "a sub-agent not ready (the view counts sub-agents)",
      arrange: async (c, s) => {
        await c.fx.prebuild({
          preset: s.preset,
          templateId: s.template.id,
          agents: [{}, { parent: 0, lifecycle: "starting" }],
        });
      },
    },
    {
      name: "latest build on an inactive version",
      arrange: async (c, s) => {
        await c.fx.prebuild({ preset: s.preset, templateId: s.template.id });
        await c.fx.templateVersion({ template: s.template, activate: true });
      },
    },
    {
      name: "template soft-deleted",
      arrange: async (c, s) => {
        await c.fx.prebuild({ preset: s.preset, templateId: s.template.id });
        await c.store.updateTemplateDeletedById({ id: s.template.id, deleted: true, updatedAt: T0 });
      },
    },
    {
      name: "workspace deleted",
      arrange: async (c, s) => {
        await c.fx.prebuild({ preset: s.preset, templateId: s.template.id, deleted: true });
      },
    },
    {
      name: "already claimed",
      arrange: async (c, s) => {
        await c.fx.prebuild({ preset: s.preset, templateId: s.template.id, ownerId: s.user.id });
      },
    },
    {
      name: "another preset",
      arrange: async (c, s) => {
        const other = await c.fx.preset({ templateVersionId: s.version.id, name: "large" });
        await c.fx.prebuild({ preset: other, templateId: s.template.id });
      },
    },
    ...(["failed", "running", "pending", "canceled"] as JobOutcome[]).map((status) => ({
      name: `latest start build ${status}`,
      arrange: async (c: DbTestContext, s: Awaited<ReturnType<typeof claimSetup>>) => {
        await c.fx.prebuild({ preset: s.preset, templateId: s.template.id, status });
      },
    })),
    {
      name: "latest build is a stop",
      arrange: async (c, s) => {
        const { workspace } = await c.fx.prebuild({ preset: s.preset, templateId: s.template.id });
        await c.fx.build({
          workspace,
          templateVersionId: s.version.id,
          presetId: s.preset.id,
          transition: "stop",
        });
      },
    },
  ];
  test.each(unclaimable)("nothing to claim — $name", async ({ arrange }) => {
    const c = ctx();
    const s = await claimSetup(c);
    await arrange(c, s);
    expect(await c.store.claimPrebuiltWorkspace(s.params(s.preset.id))).toBeNull();
  });

  test("an expired prebuild (older than the TTL, invalidated) is still claimable (spec §10.1.4)", async () => {
    const c = ctx();
    const s = await claimSetup(c);
    const { workspace } = await c.fx.prebuild({
      preset: s.preset,
      templateId: s.template.id,
      createdAt: T0 - 2 * HOUR,
    });
    await c.store.updatePresetsLastInvalidatedAt({ templateId: s.template.id, lastInvalidatedAt: T0 });
    expect(await c.store.claimPrebuiltWorkspace(s.params(s.preset.id))).toMatchObject({ id: workspace.id });
  });

  test("the 'any' candidate is the lowest workspace id; a second claim gets the next; a third gets none", async () => {
    const c = ctx();
    const s = await claimSetup(c);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++)
      ids.push((await c.fx.prebuild({ preset: s.preset, templateId: s.template.id })).workspace.id);
    ids.sort();
    const first = await c.store.claimPrebuiltWorkspace(s.params(s.preset.id));
    const second = await c.store.claimPrebuiltWorkspace({ ...s.params(s.preset.id), newName: "second" });
    expect([first?.id, second?.id]).toEqual(ids);
    expect(await c.store.claimPrebuiltWorkspace({ ...s.params(s.preset.id), newName: "third" })).toBeNull();
  });

  test("a user's live workspace of the same name makes the claim fail with a unique violation", async () => {
    const c = ctx();
    const s = await claimSetup(c);
    await c.fx.workspace({ templateId: s.template.id, ownerId: s.user.id, name: "alices-workspace" });
    await c.fx.prebuild({ preset: s.preset, templateId: s.template.id });
    await expect(c.store.claimPrebuiltWorkspace(s.params(s.preset.id))).rejects.toMatchObject({
      name: "DatabaseError",
      code: "23505",
      query: "ClaimPrebuiltWorkspace",
      connection: "test",
    });
  });
});

describeEachBackend("FindMatchingPresetID (§2.11, §5.6)", (ctx) => {
  async function presets(c: DbTestContext, ...parameterSets: Record<string, string>[]) {
    const { version } = await c.fx.template();
    const rows = [];
    for (const [i, parameters] of parameterSets.entries()) {
      rows.push(await c.fx.preset({ templateVersionId: version.id, name: `preset${i}`, parameters }));
    }
    return { versionId: version.id, ids: rows.map((p) => p.id) };
  }
  function find(c: DbTestContext, versionId: string, provided: Record<string, string>) {
    return c.store.findMatchingPresetId({
      templateVersionId: versionId,
      parameterNames: Object.keys(provided),
      parameterValues: Object.values(provided),
    });
  }

  test("exact match → preset0", async () => {
    const c = ctx();
    const { versionId, ids } = await presets(c, { k1: "v1", k2: "v2" });
    expect(await find(c, versionId, { k1: "v1", k2: "v2" })).toBe(ids[0]);
  });
  test("different values → nil", async () => {
    const c = ctx();
    const { versionId } = await presets(c, { k1: "v1", k2: "v2" });
    expect(await find(c, versionId, { k1: "v1", k2: "other" })).toBeNull();
  });
  test("fewer provided params than the preset needs → nil", async () => {
    const c = ctx();
    const { versionId } = await presets(c, { k1: "v1", k2: "v2" });
    expect(await find(c, versionId, { k1: "v1" })).toBeNull();
  });
  test("extra provided param → preset0 (subset match)", async () => {
    const c = ctx();
    const { versionId, ids } = await presets(c, { k1: "v1" });
    expect(await find(c, versionId, { k1: "v1", extra: "x" })).toBe(ids[0]);
  });
  test("names/values length mismatch → error", async () => {
    const c = ctx();
    const { versionId } = await presets(c, { k1: "v1" });
    await expect(
      c.store.findMatchingPresetId({
        templateVersionId: versionId,
        parameterNames: ["k1", "k2"],
        parameterValues: ["v1"],
      }),
    ).rejects.toThrow("parameter names and values must have the same length");
  });
  test("two presets, first matches → preset0", async () => {
    const c = ctx();
    const { versionId, ids } = await presets(c, { k1: "v1" }, { k1: "v2" });
    expect(await find(c, versionId, { k1: "v1" })).toBe(ids[0]);
  });
  test("largest subset (preset0 has 2 matching params, preset1 has 1) → preset0", async () => {
    const c = ctx();
    const { versionId, ids } = await presets(c, { k1: "v1", k2: "v2" }, { k1: "v1" });
    expect(await find(c, versionId, { k1: "v1", k2: "v2" })).toBe(ids[0]);
  });
  test("a preset without parameters matches with the lowest priority", async () => {
    const c = ctx();
    const { versionId, ids } = await presets(c, {}, { k1: "v1" });
    expect(await find(c, versionId, { k2: "v2" })).toBe(ids[0]);
    expect(await find(c, versionId, { k1: "v1" })).toBe(ids[1]);
  });
});

describeEachBackend("UpdatePrebuildProvisionerJobWithCancel (§2.6)", (ctx) => {
  test("cancels exactly the preset's untouched pending creation jobs on a non-active version", async () => {
    const c = ctx();
    const { template, version } = await c.fx.template();
    const preset = await c.fx.preset({ templateVersionId: version.id });
    const other = await c.fx.preset({ templateVersionId: version.id, name: "other" });
    const pending = await c.fx.prebuild({ preset, templateId: template.id, status: "pending" });
    const running = await c.fx.prebuild({ preset, templateId: template.id, status: "running" });
    const otherPending = await c.fx.prebuild({ preset: other, templateId: template.id, status: "pending" });
    await c.fx.templateVersion({ template, activate: true });

    const now = T0 + 5 * MINUTE;
    expect(await c.store.updatePrebuildProvisionerJobWithCancel({ now, presetId: preset.id })).toEqual([
      {
        id: pending.job.id,
        workspaceId: pending.workspace.id,
        templateId: template.id,
        templateVersionPresetId: preset.id,
      },
    ]);
    expect(await c.store.getProvisionerJobById(pending.job.id)).toMatchObject({
      jobStatus: "canceled",
      canceledAt: now,
      completedAt: now,
    });
    expect((await c.store.getProvisionerJobById(running.job.id)).jobStatus).toBe("running");
    expect((await c.store.getProvisionerJobById(otherPending.job.id)).jobStatus).toBe("pending");
    expect(await c.store.countPendingNonActivePrebuilds()).toEqual([{ presetId: other.id, count: 1 }]);
  });

  test("on the active version nothing is canceled", async () => {
    const c = ctx();
    const { template, version } = await c.fx.template();
    const preset = await c.fx.preset({ templateVersionId: version.id });
    await c.fx.prebuild({ preset, templateId: template.id, status: "pending" });
    expect(await c.store.updatePrebuildProvisionerJobWithCancel({ now: T0, presetId: preset.id })).toEqual(
      [],
    );
  });

  test("a job a provisioner picked up meanwhile is left alone", async () => {
    const c = ctx();
    const { template, version } = await c.fx.template();
    const preset = await c.fx.preset({ templateVersionId: version.id });
    const { job } = await c.fx.prebuild({ preset, templateId: template.id, status: "pending" });
    await c.fx.templateVersion({ template, activate: true });
    const taken = await c.store.acquireProvisionerJob({
      now: T0,
      workerId: c.fx.id(),
      initiator: "prebuilds",
    });
    expect(taken?.id).toBe(job.id);
    expect(await c.store.updatePrebuildProvisionerJobWithCancel({ now: T0, presetId: preset.id })).toEqual(
      [],
    );
    expect((await c.store.getProvisionerJobById(job.id)).initiatorId).toBe(PREBUILDS_SYSTEM_USER_ID);
  });
});
