// The schema itself: the seeded rows, the generated job_status column (spec §1.2) and the three
// views (spec §1.4).
import { expect, test } from "vitest";
import { MINUTE } from "../../src/clock/types.ts";
import {
  DEFAULT_ORGANIZATION_ID,
  NotificationTemplateId,
  PREBUILDS_SYSTEM_USER_ID,
  PREBUILDS_SYSTEM_USER_NAME,
} from "../../src/db/constants.ts";
import { describeEachBackend, T0 } from "./harness.ts";

describeEachBackend("schema", (ctx) => {
  test("the seed: default organization, the prebuilds system user as its member, notification templates", async () => {
    const { store, driver } = ctx();
    const org = await store.getOrganizationById(DEFAULT_ORGANIZATION_ID);
    expect(org).toMatchObject({ name: "coder", isDefault: true });
    const pUser = await store.getUserById(PREBUILDS_SYSTEM_USER_ID);
    expect(pUser).toMatchObject({
      username: PREBUILDS_SYSTEM_USER_NAME,
      email: "prebuilds@system",
      name: "Prebuilds Owner",
      isSystem: true,
      rbacRoles: [],
      loginType: "none",
      status: "active",
    });
    const members = await driver.query("SELECT organization_id, user_id FROM organization_members");
    expect(members).toEqual([
      { organization_id: DEFAULT_ORGANIZATION_ID, user_id: PREBUILDS_SYSTEM_USER_ID },
    ]);
    const templates = await driver.query("SELECT id FROM notification_templates ORDER BY id");
    expect(templates.map((r) => r.id)).toEqual(
      [
        NotificationTemplateId.PrebuildFailureLimitReached,
        NotificationTemplateId.WorkspaceResourceReplaced,
      ].sort(),
    );
  });

  // Spec §1.2, one row per line of its table, named by the column values.
  const jobStatusTable: {
    name: string;
    completed: boolean;
    error: string | null;
    canceled: boolean;
    started: boolean;
    status: string;
  }[] = [
    {
      name: "completed, error, canceled: failed",
      completed: true,
      error: "boom",
      canceled: true,
      started: true,
      status: "failed",
    },
    {
      name: "completed, no error, canceled: canceled",
      completed: true,
      error: null,
      canceled: true,
      started: false,
      status: "canceled",
    },
    {
      name: "completed, no error, not canceled: succeeded",
      completed: true,
      error: null,
      canceled: false,
      started: true,
      status: "succeeded",
    },
    {
      name: "not completed, error: failed",
      completed: false,
      error: "boom",
      canceled: false,
      started: true,
      status: "failed",
    },
    {
      name: "not completed, no error, canceled: canceling",
      completed: false,
      error: null,
      canceled: true,
      started: true,
      status: "canceling",
    },
    {
      name: "not completed, no error, not canceled, not started: pending",
      completed: false,
      error: null,
      canceled: false,
      started: false,
      status: "pending",
    },
    {
      name: "not completed, no error, not canceled, started: running",
      completed: false,
      error: null,
      canceled: false,
      started: true,
      status: "running",
    },
    {
      name: "an empty error is no error: succeeded",
      completed: true,
      error: "",
      canceled: false,
      started: true,
      status: "succeeded",
    },
  ];
  test.each(jobStatusTable)("job_status — $name", async (row) => {
    const { store } = ctx();
    const job = await store.insertProvisionerJob({
      id: "00000000-0000-4000-8000-000000000001",
      organizationId: DEFAULT_ORGANIZATION_ID,
      initiatorId: PREBUILDS_SYSTEM_USER_ID,
      type: "workspace_build",
      input: { prebuiltWorkspaceBuildStage: "none", orphan: false },
      createdAt: T0,
    });
    expect(job.jobStatus).toBe("pending");
    await ctx().driver.query(
      `UPDATE provisioner_jobs SET
         completed_at = CASE WHEN $2 THEN created_at END,
         error = $3,
         canceled_at = CASE WHEN $4 THEN created_at END,
         started_at = CASE WHEN $5 THEN created_at END
       WHERE id = $1`,
      [job.id, row.completed, row.error, row.canceled, row.started],
    );
    expect((await store.getProvisionerJobById(job.id)).jobStatus).toBe(row.status);
  });

  test("workspace_latest_builds: one row per live workspace with its highest build; none for deleted ones", async () => {
    const { fx, driver } = ctx();
    const { template, version } = await fx.template();
    const twoBuilds = await fx.workspace({ templateId: template.id });
    await fx.build({ workspace: twoBuilds, templateVersionId: version.id, createdAt: T0 });
    const second = await fx.build({
      workspace: twoBuilds,
      templateVersionId: version.id,
      transition: "stop",
      status: "running",
      createdAt: T0 + MINUTE,
    });
    const noBuilds = await fx.workspace({ templateId: template.id });
    const deleted = await fx.workspace({ templateId: template.id });
    await fx.build({ workspace: deleted, templateVersionId: version.id });
    await fx.deleteWorkspace(deleted);

    const rows = await driver.query(
      "SELECT id, workspace_id, transition, build_number, job_status FROM workspace_latest_builds ORDER BY workspace_id",
    );
    const expected = [
      {
        id: second.build.id,
        workspace_id: twoBuilds.id,
        transition: "stop",
        build_number: 2,
        job_status: "running",
      },
      { id: null, workspace_id: noBuilds.id, transition: null, build_number: null, job_status: null },
    ].sort((a, b) => a.workspace_id.localeCompare(b.workspace_id));
    expect(rows).toEqual(expected);
  });

  test("workspace_prebuild_builds: every build the prebuilds user initiated, of deleted and claimed workspaces too", async () => {
    const { fx, driver } = ctx();
    const user = await fx.user();
    const { template, version } = await fx.template();
    const preset = await fx.preset({ templateVersionId: version.id });
    const claimed = await fx.prebuild({ preset, templateId: template.id, ownerId: user.id });
    const claimBuild = await fx.build({
      workspace: claimed.workspace,
      templateVersionId: version.id,
      initiatorId: user.id,
      presetId: preset.id,
    });
    const deleted = await fx.prebuild({ preset, templateId: template.id, deleted: true });

    const rows = await driver.query("SELECT id FROM workspace_prebuild_builds ORDER BY id");
    expect(rows.map((r) => r.id)).toEqual([claimed.build.id, deleted.build.id].sort());
    expect(rows.map((r) => r.id)).not.toContain(claimBuild.build.id);
  });

  test("workspace_prebuilds: current preset of the highest build having one; readiness counts sub-agents; needs a preset build", async () => {
    const { fx, driver } = ctx();
    const user = await fx.user();
    const { template, version } = await fx.template();
    const a = await fx.preset({ templateVersionId: version.id, name: "a" });
    const b = await fx.preset({ templateVersionId: version.id, name: "b" });

    // preset a at build 1, preset b at build 2 (a stop build), build 3 has no preset: current = b.
    const moved = await fx.workspace({ templateId: template.id, name: "moved" });
    await fx.build({ workspace: moved, templateVersionId: version.id, presetId: a.id });
    await fx.build({ workspace: moved, templateVersionId: version.id, presetId: b.id, transition: "stop" });
    await fx.build({ workspace: moved, templateVersionId: version.id, presetId: null, agents: [{}] });
    // Top-level agent ready, sub-agent still starting: not ready in this view.
    const subAgent = await fx.prebuild({
      preset: a,
      templateId: template.id,
      agents: [{}, { parent: 0, lifecycle: "starting" }],
    });
    // A deleted not-ready agent does not count.
    const deletedAgent = await fx.prebuild({
      preset: a,
      templateId: template.id,
      agents: [{}, { lifecycle: "off", deleted: true }],
    });
    const noAgents = await fx.prebuild({ preset: a, templateId: template.id, agents: [] });
    const deleted = await fx.prebuild({ preset: a, templateId: template.id, deleted: true });
    // Not in the view: no preset build; owned by someone else.
    const noPreset = await fx.workspace({ templateId: template.id });
    await fx.build({ workspace: noPreset, templateVersionId: version.id, agents: [{}] });
    await fx.prebuild({ preset: a, templateId: template.id, ownerId: user.id });

    const rows = await driver.query(
      "SELECT id, current_preset_id, ready FROM workspace_prebuilds ORDER BY id",
    );
    const expected = [
      { id: moved.id, current_preset_id: b.id, ready: true },
      { id: subAgent.workspace.id, current_preset_id: a.id, ready: false },
      { id: deletedAgent.workspace.id, current_preset_id: a.id, ready: true },
      { id: noAgents.workspace.id, current_preset_id: a.id, ready: false },
      { id: deleted.workspace.id, current_preset_id: a.id, ready: false },
    ].sort((x, y) => x.id.localeCompare(y.id));
    expect(rows).toEqual(expected);
  });

  test("a template's name is free again once it is soft-deleted, and taken while live", async () => {
    const { fx, store } = ctx();
    const { template } = await fx.template({ name: "dev" });
    await expect(fx.template({ name: "dev" })).rejects.toMatchObject({
      code: "23505",
      query: "InsertTemplate",
    });
    await store.updateTemplateDeletedById({ id: template.id, deleted: true, updatedAt: T0 });
    const again = await fx.template({ name: "dev" });
    expect(
      (await store.getTemplateByOrganizationAndName({ organizationId: DEFAULT_ORGANIZATION_ID, name: "dev" }))
        .id,
    ).toBe(again.template.id);
  });
});
