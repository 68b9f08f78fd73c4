// The metrics counters (§2.9), the membership query (§2.12), the small queries of §2.14, and
// what the workspace builder, the fake provisioner and the world's operator actions run.
import { expect, test } from "vitest";
import { MINUTE, SECOND } from "../../src/clock/types.ts";
import {
  DEFAULT_ORGANIZATION_ID,
  NotificationTemplateId,
  PREBUILDS_GROUP_DISPLAY_NAME,
  PREBUILDS_GROUP_NAME,
  PREBUILDS_SYSTEM_USER_ID,
} from "../../src/db/constants.ts";
import type { SqlExecutor } from "../../src/db/driver.ts";
import { isNoRows, isUniqueViolation } from "../../src/db/errors.ts";
import * as prebuilds from "../../src/db/queries/prebuilds.ts";
import * as jobs from "../../src/db/queries/provisionerJobs.ts";
import { writeSyntheticHistory } from "../../src/db/syntheticHistory.ts";
import { describeEachBackend, T0 } from "./harness.ts";

describeEachBackend("GetPrebuildMetrics (§2.9)", (ctx) => {
  test("created, failed and claimed counters per (template, preset, organization), deleted prebuilds included", async () => {
    const c = ctx();
    const user = await c.fx.user();
    const { template, version } = await c.fx.template({ name: "dev" });
    const preset = await c.fx.preset({ templateVersionId: version.id, name: "small" });
    await c.fx.prebuild({ preset, templateId: template.id });
    await c.fx.prebuild({ preset, templateId: template.id, status: "failed" });
    await c.fx.prebuild({ preset, templateId: template.id, ownerId: user.id });
    await c.fx.prebuild({ preset, templateId: template.id, deleted: true });
    // A later failing build does not count: only build #1 does.
    const later = await c.fx.prebuild({ preset, templateId: template.id });
    await c.fx.build({
      workspace: later.workspace,
      templateVersionId: version.id,
      presetId: preset.id,
      status: "failed",
    });
    // Not created by the prebuilds user: no series.
    const { template: other, version: ov } = await c.fx.template({ name: "other" });
    const op = await c.fx.preset({ templateVersionId: ov.id, name: "p" });
    const ws = await c.fx.workspace({ templateId: other.id, ownerId: user.id });
    await c.fx.build({ workspace: ws, templateVersionId: ov.id, presetId: op.id, initiatorId: user.id });

    expect(await c.store.getPrebuildMetrics()).toEqual([
      {
        templateName: "dev",
        presetName: "small",
        organizationName: "coder",
        createdCount: 5,
        failedCount: 1,
        claimedCount: 1,
      },
    ]);
  });

  test("deleted templates produce no series; a new template of the same name does", async () => {
    const c = ctx();
    const { template, version } = await c.fx.template({ name: "dev" });
    const preset = await c.fx.preset({ templateVersionId: version.id, name: "small" });
    await c.fx.prebuild({ preset, templateId: template.id });
    await c.store.updateTemplateDeletedById({ id: template.id, deleted: true, updatedAt: T0 });
    expect(await c.store.getPrebuildMetrics()).toEqual([]);
    const again = await c.fx.template({ name: "dev" });
    const p2 = await c.fx.preset({ templateVersionId: again.version.id, name: "small" });
    await c.fx.prebuild({ preset: p2, templateId: again.template.id, status: "failed" });
    expect(await c.store.getPrebuildMetrics()).toEqual([
      {
        templateName: "dev",
        presetName: "small",
        organizationName: "coder",
        createdCount: 1,
        failedCount: 1,
        claimedCount: 0,
      },
    ]);
  });
});

// The counts as one join of every prebuild's build #1 with its workspace and its job give them
// (the query's earlier form): the failed jobs counted on their own must add up to the same.
const METRICS_BY_JOINING_EVERY_JOB = `
  SELECT t.name AS "templateName", tvp.name AS "presetName", o.name AS "organizationName",
         count(*)::int AS "createdCount",
         (count(*) FILTER (WHERE pj.job_status = 'failed'))::int AS "failedCount",
         (count(*) FILTER (WHERE w.owner_id <> '${PREBUILDS_SYSTEM_USER_ID}'::uuid))::int AS "claimedCount"
  FROM workspace_prebuild_builds wpb
  JOIN workspaces w ON w.id = wpb.workspace_id
  JOIN provisioner_jobs pj ON pj.id = wpb.job_id
  JOIN templates t ON t.id = w.template_id
  JOIN template_version_presets tvp ON tvp.id = wpb.template_version_preset_id
  JOIN organizations o ON o.id = w.organization_id
  WHERE wpb.build_number = 1 AND t.deleted = false
  GROUP BY t.name, tvp.name, o.name
  ORDER BY t.name, tvp.name, o.name`;

describeEachBackend("GetPrebuildMetrics on a long history", (ctx) => {
  test("the failed jobs counted on their own give the counts of joining every prebuild's job", async () => {
    const c = ctx();
    await writeSyntheticHistory(c.driver, { builds: 3_000, end: T0 });
    const metrics = await c.store.getPrebuildMetrics();
    expect(metrics).toEqual(await c.driver.query(METRICS_BY_JOINING_EVERY_JOB));
    expect(metrics.length).toBeGreaterThan(1);
    const total = (key: "createdCount" | "failedCount" | "claimedCount") =>
      metrics.reduce((sum, m) => sum + m[key], 0);
    expect(total("failedCount")).toBeGreaterThan(0);
    expect(total("claimedCount")).toBeGreaterThan(0);
    expect(total("createdCount")).toBeGreaterThan(total("failedCount") + total("claimedCount"));
  });

  test("without statistics, only the failed jobs are read: no lookup of every prebuild's job", async () => {
    const c = ctx();
    await writeSyntheticHistory(c.driver, { builds: 3_000, end: T0, analyze: false });
    let sql = "";
    await prebuilds.getPrebuildMetrics.run({
      query: (text, args) => {
        sql = text;
        return c.driver.query(text, args);
      },
      exec: (text) => c.driver.exec(text),
    });
    const plan = (await c.driver.query(`EXPLAIN ${sql}`)).map((r) => String(Object.values(r)[0]));
    expect(plan.filter((line) => /Seq Scan on provisioner_jobs\b/.test(line))).toEqual([]);
    const jobIndexes = plan.flatMap((line) => /\bon (provisioner_jobs_\w+)/.exec(line)?.[1] ?? []);
    expect(jobIndexes.length).toBeGreaterThan(0);
    expect(new Set(jobIndexes)).toEqual(new Set(["provisioner_jobs_failed_idx"]));
  });
});

describeEachBackend("GetOrganizationsWithPrebuildStatus (§2.12)", (ctx) => {
  const cases: { name: string; member: boolean; group: boolean; inGroup: boolean }[] = [
    { name: "nothing exists yet", member: false, group: false, inGroup: false },
    { name: "member only", member: true, group: false, inGroup: false },
    { name: "member and group", member: true, group: true, inGroup: false },
    { name: "member, group and group membership", member: true, group: true, inGroup: true },
    { name: "group without membership of the org", member: false, group: true, inGroup: false },
  ];
  test.each(cases)("$name", async ({ member, group, inGroup }) => {
    const c = ctx();
    const org = await c.fx.organization({ name: "target" });
    const { version } = await c.fx.template({ organizationId: org.id });
    await c.fx.preset({ templateVersionId: version.id, desiredInstances: 0 });
    if (member) {
      await c.store.insertOrganizationMember({
        organizationId: org.id,
        userId: PREBUILDS_SYSTEM_USER_ID,
        createdAt: T0,
        updatedAt: T0,
      });
    }
    let groupId: string | null = null;
    if (group) {
      groupId = (
        await c.store.insertGroup({
          id: c.fx.id(),
          name: PREBUILDS_GROUP_NAME,
          displayName: PREBUILDS_GROUP_DISPLAY_NAME,
          organizationId: org.id,
          avatarUrl: "",
          quotaAllowance: 0,
        })
      ).id;
    }
    if (inGroup && groupId !== null)
      await c.store.insertGroupMember({ groupId, userId: PREBUILDS_SYSTEM_USER_ID });
    expect(
      await c.store.getOrganizationsWithPrebuildStatus({
        userId: PREBUILDS_SYSTEM_USER_ID,
        groupName: PREBUILDS_GROUP_NAME,
      }),
    ).toEqual([
      {
        organizationId: org.id,
        organizationName: "target",
        hasPrebuildUser: member,
        prebuildsGroupId: groupId,
        hasPrebuildUserInGroup: inGroup,
      },
    ]);
  });

  test("organizations whose presets have no prebuild configuration are not listed; deleted templates' presets count", async () => {
    const c = ctx();
    const none = await c.fx.organization({ name: "a-none" });
    const { version: nv } = await c.fx.template({ organizationId: none.id });
    await c.fx.preset({ templateVersionId: nv.id, desiredInstances: null });
    const deletedOrg = await c.fx.organization({ name: "b-deleted-template" });
    const { template, version } = await c.fx.template({ organizationId: deletedOrg.id });
    await c.fx.preset({ templateVersionId: version.id, desiredInstances: 2 });
    await c.store.updateTemplateDeletedById({ id: template.id, deleted: true, updatedAt: T0 });
    const rows = await c.store.getOrganizationsWithPrebuildStatus({
      userId: PREBUILDS_SYSTEM_USER_ID,
      groupName: PREBUILDS_GROUP_NAME,
    });
    expect(rows.map((r) => r.organizationName)).toEqual(["b-deleted-template"]);
  });

  test("a second membership of the same user is a unique violation (the reconciler ignores it)", async () => {
    const c = ctx();
    const err = await c.store
      .insertOrganizationMember({
        organizationId: DEFAULT_ORGANIZATION_ID,
        userId: PREBUILDS_SYSTEM_USER_ID,
        createdAt: T0,
        updatedAt: T0,
      })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
  });
});

describeEachBackend("small queries (§2.14)", (ctx) => {
  test("prebuilds settings: {} when absent, then the upserted value", async () => {
    const { store } = ctx();
    expect(await store.getPrebuildsSettings()).toBe("{}");
    await store.upsertPrebuildsSettings('{"reconciliation_paused":true}');
    expect(await store.getPrebuildsSettings()).toBe('{"reconciliation_paused":true}');
    await store.upsertPrebuildsSettings('{"reconciliation_paused":false}');
    expect(await store.getPrebuildsSettings()).toBe('{"reconciliation_paused":false}');
  });

  test("UpdatePresetPrebuildStatus sets one preset's status", async () => {
    const c = ctx();
    const { version } = await c.fx.template();
    const a = await c.fx.preset({ templateVersionId: version.id, name: "a" });
    const b = await c.fx.preset({ templateVersionId: version.id, name: "b" });
    await c.store.updatePresetPrebuildStatus({ presetId: a.id, status: "hard_limited" });
    expect((await c.store.getPresetById(a.id)).prebuildStatus).toBe("hard_limited");
    expect((await c.store.getPresetById(b.id)).prebuildStatus).toBe("healthy");
  });

  test("UpdatePresetsLastInvalidatedAt: every preset of the ACTIVE version, configured or not; returns them", async () => {
    const c = ctx();
    const { template, version: v1 } = await c.fx.template();
    const old = await c.fx.preset({ templateVersionId: v1.id, name: "old" });
    const v2 = await c.fx.templateVersion({ template, activate: true });
    const a = await c.fx.preset({ templateVersionId: v2.id, name: "a" });
    const b = await c.fx.preset({ templateVersionId: v2.id, name: "b", desiredInstances: null });
    const updated = await c.store.updatePresetsLastInvalidatedAt({
      templateId: template.id,
      lastInvalidatedAt: T0 + MINUTE,
    });
    expect(updated.map((p) => [p.id, p.lastInvalidatedAt])).toEqual([
      [a.id, T0 + MINUTE],
      [b.id, T0 + MINUTE],
    ]);
    expect((await c.store.getPresetById(old.id)).lastInvalidatedAt).toBeNull();
  });

  test("GetPresetParametersByTemplateVersionID: all parameters of all presets of the version", async () => {
    const c = ctx();
    const { version } = await c.fx.template();
    const a = await c.fx.preset({ templateVersionId: version.id, parameters: { cpu: "2", region: "eu" } });
    const { version: other } = await c.fx.template();
    await c.fx.preset({ templateVersionId: other.id, parameters: { cpu: "8" } });
    const rows = await c.store.getPresetParametersByTemplateVersionId(version.id);
    expect(
      rows.map(({ templateVersionPresetId, name, value }) => ({ templateVersionPresetId, name, value })),
    ).toEqual([
      { templateVersionPresetId: a.id, name: "cpu", value: "2" },
      { templateVersionPresetId: a.id, name: "region", value: "eu" },
    ]);
  });

  test("GetUsers by site role; getters of a missing id reject with NoRowsError naming the query", async () => {
    const c = ctx();
    const admin = await c.fx.user({ username: "admin", rbacRoles: ["template-admin"] });
    await c.fx.user({ username: "bob" });
    expect((await c.store.getUsers({ rbacRole: "template-admin" })).map((u) => u.id)).toEqual([admin.id]);
    expect((await c.store.getUsers({ rbacRole: null })).map((u) => u.username)).toEqual([
      "admin",
      "bob",
      "prebuilds",
    ]);
    const err = await c.store
      .getWorkspaceById("00000000-0000-4000-8000-0000000000ff")
      .catch((e: unknown) => e);
    expect(isNoRows(err)).toBe(true);
    expect(String(err)).toContain("GetWorkspaceByID on connection test");
  });

  test("InsertPresetPrebuildSchedule and the preset's schedule row", async () => {
    const c = ctx();
    const { version } = await c.fx.template();
    const preset = await c.fx.preset({ templateVersionId: version.id, schedulingTimezone: "Europe/Berlin" });
    const row = await c.store.insertPresetPrebuildSchedule({
      id: c.fx.id(),
      presetId: preset.id,
      cronExpression: "* 8-18 * * 1-5",
      desiredInstances: 6,
    });
    expect(await c.store.getActivePresetPrebuildSchedules()).toEqual([row]);
    expect((await c.store.getPresetById(preset.id)).schedulingTimezone).toBe("Europe/Berlin");
  });
});

describeEachBackend("builder and provisioner queries", (ctx) => {
  test("AcquireProvisionerJob: FIFO by created_at then insertion, filtered by initiator; sets worker and start", async () => {
    const c = ctx();
    const user = await c.fx.user();
    const { template, version } = await c.fx.template();
    const preset = await c.fx.preset({ templateVersionId: version.id });
    const late = await c.fx.prebuild({
      preset,
      templateId: template.id,
      status: "pending",
      createdAt: T0 + 2 * SECOND,
    });
    const early = await c.fx.prebuild({ preset, templateId: template.id, status: "pending", createdAt: T0 });
    const ws = await c.fx.workspace({ templateId: template.id, ownerId: user.id });
    const human = await c.fx.build({
      workspace: ws,
      templateVersionId: version.id,
      initiatorId: user.id,
      status: "pending",
      createdAt: T0 + SECOND,
    });

    const worker = c.fx.id();
    const first = await c.store.acquireProvisionerJob({
      now: T0 + MINUTE,
      workerId: worker,
      initiator: "prebuilds",
    });
    expect(first).toMatchObject({
      id: early.job.id,
      workerId: worker,
      startedAt: T0 + MINUTE,
      jobStatus: "running",
    });
    expect(
      (await c.store.acquireProvisionerJob({ now: T0 + MINUTE, workerId: worker, initiator: "humans" }))?.id,
    ).toBe(human.job.id);
    expect(
      (await c.store.acquireProvisionerJob({ now: T0 + MINUTE, workerId: worker, initiator: "any" }))?.id,
    ).toBe(late.job.id);
    expect(
      await c.store.acquireProvisionerJob({ now: T0 + MINUTE, workerId: worker, initiator: "any" }),
    ).toBeNull();
  });

  test("AcquireProvisionerJob: a poll that finds no pending job for its filter sends only a pure read, no UPDATE", async () => {
    const c = ctx();
    const { template, version } = await c.fx.template();
    const preset = await c.fx.preset({ templateVersionId: version.id });
    const sent: string[] = [];
    const recorder: SqlExecutor = {
      query: (sql, args) => {
        sent.push(sql.trimStart().split(/\s/)[0] ?? "");
        return c.driver.query(sql, args);
      },
      exec: (sql) => c.driver.exec(sql),
    };
    const poll = (initiator: "prebuilds" | "humans") =>
      jobs.acquireProvisionerJob.run(recorder, { now: T0 + MINUTE, workerId: c.fx.id(), initiator });
    expect(await poll("prebuilds")).toBeNull();
    expect(sent).toEqual(["SELECT"]);
    const pending = await c.fx.prebuild({
      preset,
      templateId: template.id,
      status: "pending",
      createdAt: T0,
    });
    sent.length = 0;
    expect(await poll("humans")).toBeNull();
    expect(sent).toEqual(["SELECT"]);
    expect((await poll("prebuilds"))?.id).toBe(pending.job.id);
    expect(sent).toEqual(["SELECT", "SELECT", "UPDATE"]);
  });

  // Upstream's microsecond created_at puts the earlier insert first; ours ties within a virtual
  // millisecond, and the tie goes to the earlier insert, whatever the random ids say.
  test.each([
    {
      name: "ids ascending with insertion",
      ids: [
        "00000000-0000-4000-8000-00000000000a",
        "00000000-0000-4000-8000-00000000000b",
        "00000000-0000-4000-8000-00000000000c",
      ],
    },
    {
      name: "ids descending against insertion",
      ids: [
        "00000000-0000-4000-8000-00000000000c",
        "00000000-0000-4000-8000-00000000000b",
        "00000000-0000-4000-8000-00000000000a",
      ],
    },
    {
      name: "ids mixed",
      ids: [
        "00000000-0000-4000-8000-00000000000b",
        "00000000-0000-4000-8000-00000000000c",
        "00000000-0000-4000-8000-00000000000a",
      ],
    },
  ])(
    "AcquireProvisionerJob: jobs created in the same millisecond are taken in insertion order ($name)",
    async ({ ids }) => {
      const c = ctx();
      const initiatorId = (await c.fx.user()).id;
      for (const id of ids) {
        await c.store.insertProvisionerJob({
          id,
          organizationId: DEFAULT_ORGANIZATION_ID,
          initiatorId,
          type: "workspace_build",
          input: { prebuiltWorkspaceBuildStage: "none", orphan: false },
          createdAt: T0,
        });
      }
      const taken: (string | undefined)[] = [];
      for (const _ of ids) {
        const job = await c.store.acquireProvisionerJob({
          now: T0 + SECOND,
          workerId: c.fx.id(),
          initiator: "any",
        });
        taken.push(job?.id);
      }
      expect(taken).toEqual(ids);
    },
  );

  test("a job's input says prebuild creation, claim or orphan delete; it round-trips", async () => {
    const c = ctx();
    const job = await c.store.insertProvisionerJob({
      id: c.fx.id(),
      organizationId: DEFAULT_ORGANIZATION_ID,
      initiatorId: PREBUILDS_SYSTEM_USER_ID,
      type: "workspace_build",
      input: { workspaceBuildId: c.fx.id(), prebuiltWorkspaceBuildStage: "claim", orphan: true },
      tags: { scope: "organization", owner: "" },
      createdAt: T0,
    });
    const read = await c.store.getProvisionerJobById(job.id);
    expect(read.input).toEqual(job.input);
    expect(read.input).toMatchObject({ prebuiltWorkspaceBuildStage: "claim", orphan: true });
    expect(read.tags).toEqual({ scope: "organization", owner: "" });
  });

  test("completing a job: no error succeeds, an error fails", async () => {
    const c = ctx();
    const { template, version } = await c.fx.template();
    const ws = await c.fx.workspace({ templateId: template.id });
    const ok = await c.fx.build({ workspace: ws, templateVersionId: version.id, status: "running" });
    const bad = await c.fx.build({ workspace: ws, templateVersionId: version.id, status: "running" });
    expect(
      (await c.store.updateProvisionerJobWithCompleteById({ id: ok.job.id, completedAt: T0, error: null }))
        .jobStatus,
    ).toBe("succeeded");
    expect(
      await c.store.updateProvisionerJobWithCompleteById({
        id: bad.job.id,
        completedAt: T0,
        error: "quota exceeded",
        errorCode: "QUOTA",
      }),
    ).toMatchObject({ jobStatus: "failed", error: "quota exceeded", errorCode: "QUOTA", completedAt: T0 });
  });

  test("builds: latest by number, all in order, parameters round-trip, duplicate build number is a unique violation", async () => {
    const c = ctx();
    const { template, version } = await c.fx.template();
    const ws = await c.fx.workspace({ templateId: template.id });
    const b1 = await c.fx.build({
      workspace: ws,
      templateVersionId: version.id,
      parameters: { region: "eu", cpu: "2" },
    });
    const b2 = await c.fx.build({ workspace: ws, templateVersionId: version.id, transition: "stop" });
    expect((await c.store.getLatestWorkspaceBuildByWorkspaceId(ws.id)).id).toBe(b2.build.id);
    expect((await c.store.getWorkspaceBuildsByWorkspaceId(ws.id)).map((b) => b.buildNumber)).toEqual([1, 2]);
    expect(
      await c.store.getWorkspaceBuildByWorkspaceIdAndBuildNumber({ workspaceId: ws.id, buildNumber: 1 }),
    ).toEqual(b1.build);
    expect(await c.store.getWorkspaceBuildById(b2.build.id)).toEqual(b2.build);
    expect(await c.store.getWorkspaceBuildParameters(b1.build.id)).toEqual([
      { workspaceBuildId: b1.build.id, name: "cpu", value: "2" },
      { workspaceBuildId: b1.build.id, name: "region", value: "eu" },
    ]);
    const err = await c.fx
      .build({ workspace: ws, templateVersionId: version.id, buildNumber: 2 })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
  });

  test("agents: lifecycle updates; the latest build's agents (not the previous build's, not deleted)", async () => {
    const c = ctx();
    const { template, version } = await c.fx.template();
    const ws = await c.fx.workspace({ templateId: template.id });
    await c.fx.build({ workspace: ws, templateVersionId: version.id, agents: [{}] });
    const latest = await c.fx.build({
      workspace: ws,
      templateVersionId: version.id,
      agents: [{ lifecycle: "created" }, { deleted: true }],
    });
    const [agent] = latest.agents;
    if (agent === undefined) throw new Error("fixture made no agent");
    await c.store.updateWorkspaceAgentLifecycleStateById({
      id: agent.id,
      lifecycleState: "ready",
      startedAt: T0,
      readyAt: T0 + SECOND,
      updatedAt: T0 + SECOND,
    });
    expect(await c.store.getWorkspaceAgentsInLatestBuildByWorkspaceId(ws.id)).toEqual([
      { ...agent, lifecycleState: "ready", startedAt: T0, readyAt: T0 + SECOND, updatedAt: T0 + SECOND },
    ]);
    expect((await c.store.getWorkspaceResourcesByJobId(latest.job.id)).map((r) => r.name)).toEqual(["main"]);
  });

  test("operator actions: promote, deprecate, soft-delete a template, set a preset's desired instances", async () => {
    const c = ctx();
    const { template, version } = await c.fx.template();
    const preset = await c.fx.preset({ templateVersionId: version.id, desiredInstances: 3 });
    const v2 = await c.fx.templateVersion({ template });
    await c.store.updateTemplateActiveVersionById({
      id: template.id,
      activeVersionId: v2.id,
      updatedAt: T0 + SECOND,
    });
    await c.store.updateTemplateDeprecatedById({
      id: template.id,
      deprecated: "moved to dev2",
      updatedAt: T0 + SECOND,
    });
    await c.store.updatePresetDesiredInstancesById({ id: preset.id, desiredInstances: 1 });
    expect(await c.store.getTemplateById(template.id)).toMatchObject({
      activeVersionId: v2.id,
      deprecated: "moved to dev2",
      updatedAt: T0 + SECOND,
    });
    expect((await c.store.getPresetById(preset.id)).desiredInstances).toBe(1);
    expect(await c.store.getPresetsByTemplateVersionId(version.id)).toEqual([
      { ...preset, desiredInstances: 1 },
    ]);
    await c.store.updateTemplateDeletedById({ id: template.id, deleted: true, updatedAt: T0 });
    expect((await c.store.getTemplateById(template.id)).deleted).toBe(true);
  });

  test("template version parameters for the builder's validation", async () => {
    const c = ctx();
    const { version } = await c.fx.template();
    await c.store.insertTemplateVersionParameter({
      templateVersionId: version.id,
      name: "region",
      defaultValue: "eu",
      mutable: false,
      displayOrder: 1,
    });
    await c.store.insertTemplateVersionParameter({
      templateVersionId: version.id,
      name: "cpu",
      required: true,
    });
    expect(await c.store.getTemplateVersionParameters(version.id)).toEqual([
      {
        templateVersionId: version.id,
        name: "cpu",
        description: "",
        type: "string",
        mutable: true,
        defaultValue: "",
        required: true,
        displayOrder: 0,
      },
      {
        templateVersionId: version.id,
        name: "region",
        description: "",
        type: "string",
        mutable: false,
        defaultValue: "eu",
        required: false,
        displayOrder: 1,
      },
    ]);
    expect((await c.store.getTemplateVersionById(version.id)).id).toBe(version.id);
  });

  test("notification messages round-trip in creation order", async () => {
    const c = ctx();
    const admin = await c.fx.user({ rbacRoles: ["template-admin"] });
    const msg = await c.store.insertNotificationMessage({
      id: c.fx.id(),
      notificationTemplateId: NotificationTemplateId.WorkspaceResourceReplaced,
      userId: admin.id,
      payload: { labels: { org: "coder" }, data: { replacements: { "docker_volume[0]": "name" } } },
      targets: [admin.id],
      createdBy: "prebuilds_reconciler",
      createdAt: T0,
    });
    expect(msg).toMatchObject({ method: "smtp", status: "pending", targets: [admin.id] });
    expect(await c.store.getNotificationMessages()).toEqual([msg]);
  });
});
