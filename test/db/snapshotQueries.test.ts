// The snapshot query set (spec §2.1–2.5, 2.7, 2.8), from their definitions and worked examples.
import { expect, test } from "vitest";
import { HOUR, MINUTE, SECOND } from "../../src/clock/types.ts";
import type { AgentSpec, JobOutcome } from "../../src/db/fixtures.ts";
import type { PresetRow, TemplateRow, TemplateVersionRow, WorkspaceTransition } from "../../src/db/rows.ts";
import { type DbTestContext, describeEachBackend, T0 } from "./harness.ts";

/** One template with an active version and one preset (desired 2 unless told). */
async function basicTemplate(
  c: DbTestContext,
  desired: number | null = 2,
): Promise<{ template: TemplateRow; version: TemplateVersionRow; preset: PresetRow }> {
  const { template, version } = await c.fx.template();
  const preset = await c.fx.preset({
    templateVersionId: version.id,
    name: "small",
    desiredInstances: desired,
  });
  return { template, version, preset };
}

describeEachBackend("GetTemplatePresetsWithPrebuilds (§2.1)", (ctx) => {
  test("includes inactive versions, deleted and deprecated templates and desired 0; excludes presets without configuration", async () => {
    const c = ctx();
    const { template: active, version: v1 } = await c.fx.template({ name: "a-active" });
    const p1 = await c.fx.preset({
      templateVersionId: v1.id,
      name: "old",
      desiredInstances: 3,
      invalidateAfterSecs: 600,
    });
    const v2 = await c.fx.templateVersion({ template: active, name: "v2", activate: true });
    const p2 = await c.fx.preset({ templateVersionId: v2.id, name: "new", desiredInstances: 0 });
    await c.fx.preset({ templateVersionId: v2.id, name: "unconfigured", desiredInstances: null });
    const { template: deprecated, version: dv } = await c.fx.template({ name: "b-deprecated" });
    const pd = await c.fx.preset({ templateVersionId: dv.id, name: "d" });
    await c.store.updateTemplateDeprecatedById({
      id: deprecated.id,
      deprecated: "use another",
      updatedAt: T0,
    });
    const { template: deleted, version: xv } = await c.fx.template({ name: "c-deleted" });
    const px = await c.fx.preset({ templateVersionId: xv.id, name: "x" });
    await c.store.updateTemplateDeletedById({ id: deleted.id, deleted: true, updatedAt: T0 });
    await c.store.updatePresetsLastInvalidatedAt({ templateId: active.id, lastInvalidatedAt: T0 + MINUTE });

    const rows = await c.store.getTemplatePresetsWithPrebuilds(null);
    expect(rows.map((r) => [r.templateName, r.templateVersionName, r.name])).toEqual([
      ["a-active", v1.name, "old"],
      ["a-active", "v2", "new"],
      ["b-deprecated", dv.name, "d"],
      ["c-deleted", xv.name, "x"],
    ]);
    expect(rows[0]).toEqual({
      templateId: active.id,
      templateName: "a-active",
      organizationId: active.organizationId,
      organizationName: "coder",
      templateVersionId: v1.id,
      templateVersionName: v1.name,
      usingActiveVersion: false,
      id: p1.id,
      name: "old",
      desiredInstances: 3,
      schedulingTimezone: "",
      ttl: 600,
      prebuildStatus: "healthy",
      lastInvalidatedAt: null,
      deleted: false,
      deprecated: false,
    });
    expect(rows[1]).toMatchObject({
      id: p2.id,
      usingActiveVersion: true,
      desiredInstances: 0,
      lastInvalidatedAt: T0 + MINUTE,
    });
    expect(rows[2]).toMatchObject({ id: pd.id, usingActiveVersion: true, deprecated: true, deleted: false });
    expect(rows[3]).toMatchObject({ id: px.id, usingActiveVersion: true, deprecated: false, deleted: true });
  });

  test("a template id restricts the result to that template", async () => {
    const c = ctx();
    const { template } = await basicTemplate(c);
    await basicTemplate(c);
    const rows = await c.store.getTemplatePresetsWithPrebuilds(template.id);
    expect(rows.map((r) => r.templateId)).toEqual([template.id]);
  });
});

describeEachBackend("GetActivePresetPrebuildSchedules (§2.2)", (ctx) => {
  test("only schedules of presets on the active version of live, non-deprecated templates", async () => {
    const c = ctx();
    const schedule = { cron: "* 9-18 * * 1-5", desiredInstances: 3 };
    const { template, version: v1 } = await c.fx.template();
    const old = await c.fx.preset({ templateVersionId: v1.id, schedules: [schedule] });
    const v2 = await c.fx.templateVersion({ template, activate: true });
    const current = await c.fx.preset({
      templateVersionId: v2.id,
      schedulingTimezone: "UTC",
      schedules: [schedule],
    });
    const { template: deprecated, version: dv } = await c.fx.template();
    await c.fx.preset({ templateVersionId: dv.id, schedules: [schedule] });
    await c.store.updateTemplateDeprecatedById({ id: deprecated.id, deprecated: "gone", updatedAt: T0 });
    const { template: deleted, version: xv } = await c.fx.template();
    await c.fx.preset({ templateVersionId: xv.id, schedules: [schedule] });
    await c.store.updateTemplateDeletedById({ id: deleted.id, deleted: true, updatedAt: T0 });

    const rows = await c.store.getActivePresetPrebuildSchedules();
    expect(rows).toEqual([
      { id: expect.any(String), presetId: current.id, cronExpression: "* 9-18 * * 1-5", desiredInstances: 3 },
    ]);
    expect(rows.map((r) => r.presetId)).not.toContain(old.id);
  });
});

describeEachBackend("GetRunningPrebuiltWorkspaces (§2.3)", (ctx) => {
  const agentCases: { name: string; agents: AgentSpec[]; ready: boolean }[] = [
    { name: "one ready top-level agent", agents: [{ lifecycle: "ready" }], ready: true },
    { name: "workspace without agents is running but not ready", agents: [], ready: false },
    {
      name: "a top-level agent still starting",
      agents: [{ lifecycle: "ready" }, { lifecycle: "starting" }],
      ready: false,
    },
    {
      name: "a sub-agent that is not ready is ignored",
      agents: [{ lifecycle: "ready" }, { parent: 0, lifecycle: "starting" }],
      ready: true,
    },
    {
      name: "a deleted agent is ignored",
      agents: [{ lifecycle: "ready" }, { lifecycle: "off", deleted: true }],
      ready: true,
    },
    {
      name: "only a deleted agent: no qualifying agents",
      agents: [{ lifecycle: "ready", deleted: true }],
      ready: false,
    },
  ];
  test.each(agentCases)("readiness — $name", async ({ agents, ready }) => {
    const c = ctx();
    const { template, version, preset } = await basicTemplate(c);
    const { workspace } = await c.fx.prebuild({ preset, templateId: template.id, agents });
    expect(await c.store.getRunningPrebuiltWorkspaces()).toEqual([
      {
        id: workspace.id,
        name: workspace.name,
        templateId: template.id,
        templateVersionId: version.id,
        currentPresetId: preset.id,
        ready,
        createdAt: T0,
      },
    ]);
  });

  const notRunning: {
    name: string;
    status?: JobOutcome;
    transition?: WorkspaceTransition;
    claimed?: boolean;
    deleted?: boolean;
  }[] = [
    { name: "latest build failed", status: "failed" },
    { name: "latest build still running", status: "running" },
    { name: "latest build pending", status: "pending" },
    { name: "latest build canceled", status: "canceled" },
    { name: "latest build is a stop", transition: "stop" },
    { name: "latest build is a delete", transition: "delete" },
    { name: "claimed (owner is a user)", claimed: true },
    { name: "deleted workspace", deleted: true },
  ];
  test.each(notRunning)("not running — $name", async (row) => {
    const c = ctx();
    const { template, version, preset } = await basicTemplate(c);
    const user = await c.fx.user();
    const { workspace } = await c.fx.prebuild({
      preset,
      templateId: template.id,
      createdAt: T0 - HOUR,
      ...(row.claimed ? { ownerId: user.id } : {}),
      ...(row.deleted ? { deleted: true } : {}),
    });
    if (row.status !== undefined || row.transition !== undefined) {
      await c.fx.build({
        workspace,
        templateVersionId: version.id,
        presetId: preset.id,
        ...(row.status === undefined ? {} : { status: row.status }),
        ...(row.transition === undefined ? {} : { transition: row.transition }),
      });
    }
    expect(await c.store.getRunningPrebuiltWorkspaces()).toEqual([]);
  });

  test("current preset: highest-numbered START build with a preset; a later start without preset keeps it", async () => {
    const c = ctx();
    const { template, version } = await c.fx.template();
    const a = await c.fx.preset({ templateVersionId: version.id, name: "a" });
    const b = await c.fx.preset({ templateVersionId: version.id, name: "b" });
    const ws = await c.fx.workspace({ templateId: template.id });
    await c.fx.build({ workspace: ws, templateVersionId: version.id, presetId: a.id });
    await c.fx.build({ workspace: ws, templateVersionId: version.id, presetId: b.id, transition: "stop" });
    await c.fx.build({ workspace: ws, templateVersionId: version.id, presetId: null });
    const [row] = await c.store.getRunningPrebuiltWorkspaces();
    expect(row?.currentPresetId).toBe(a.id);
  });

  test("a running prebuild without any preset build has a NULL current preset", async () => {
    const c = ctx();
    const { template, version } = await c.fx.template();
    const ws = await c.fx.workspace({ templateId: template.id });
    await c.fx.build({ workspace: ws, templateVersionId: version.id, presetId: null });
    expect((await c.store.getRunningPrebuiltWorkspaces()).map((r) => r.currentPresetId)).toEqual([null]);
  });

  test("prebuilds of an inactive version still appear (that is how they get deleted), ordered by workspace id", async () => {
    const c = ctx();
    const { template, version: v1, preset: old } = await basicTemplate(c);
    const first = await c.fx.prebuild({ preset: old, templateId: template.id });
    const v2 = await c.fx.templateVersion({ template, activate: true });
    const current = await c.fx.preset({ templateVersionId: v2.id });
    const second = await c.fx.prebuild({ preset: current, templateId: template.id });
    const rows = await c.store.getRunningPrebuiltWorkspaces();
    const expected = [
      { id: first.workspace.id, templateVersionId: v1.id, currentPresetId: old.id },
      { id: second.workspace.id, templateVersionId: v2.id, currentPresetId: current.id },
    ].sort((x, y) => x.id.localeCompare(y.id));
    expect(
      rows.map(({ id, templateVersionId, currentPresetId }) => ({ id, templateVersionId, currentPresetId })),
    ).toEqual(expected);
  });
});

describeEachBackend("CountInProgressPrebuilds (§2.4)", (ctx) => {
  const cases: {
    name: string;
    status: JobOutcome;
    transition: WorkspaceTransition;
    counted: boolean;
    inactive?: boolean;
    userInitiated?: boolean;
    deleted?: boolean;
  }[] = [
    {
      name: "pending start on the active version: starting",
      status: "pending",
      transition: "start",
      counted: true,
    },
    { name: "running start: starting", status: "running", transition: "start", counted: true },
    { name: "running stop: stopping", status: "running", transition: "stop", counted: true },
    { name: "pending delete: deleting", status: "pending", transition: "delete", counted: true },
    { name: "canceling is not in progress", status: "canceling", transition: "start", counted: false },
    { name: "succeeded is not in progress", status: "succeeded", transition: "start", counted: false },
    {
      name: "inactive version is not counted",
      status: "pending",
      transition: "start",
      counted: false,
      inactive: true,
    },
    {
      name: "a user-initiated latest build (claim) is not counted",
      status: "running",
      transition: "start",
      counted: false,
      userInitiated: true,
    },
    {
      name: "a deleted workspace is not counted",
      status: "pending",
      transition: "start",
      counted: false,
      deleted: true,
    },
  ];
  test.each(cases)("$name", async (row) => {
    const c = ctx();
    const { template, version, preset } = await basicTemplate(c);
    const user = await c.fx.user();
    const ws = await c.fx.workspace({
      templateId: template.id,
      ...(row.userInitiated ? { ownerId: user.id } : {}),
    });
    await c.fx.build({
      workspace: ws,
      templateVersionId: version.id,
      presetId: preset.id,
      transition: row.transition,
      status: row.status,
      ...(row.userInitiated ? { initiatorId: user.id } : {}),
    });
    if (row.inactive) await c.fx.templateVersion({ template, activate: true });
    if (row.deleted) await c.fx.deleteWorkspace(ws);
    const expected = row.counted
      ? [
          {
            templateId: template.id,
            templateVersionId: version.id,
            transition: row.transition,
            presetId: preset.id,
            count: 1,
          },
        ]
      : [];
    expect(await c.store.countInProgressPrebuilds()).toEqual(expected);
  });

  test("only the workspace's latest build counts: an older build still in progress does not, a newer one does", async () => {
    const c = ctx();
    const { template, version, preset } = await basicTemplate(c);
    const superseded = await c.fx.workspace({ templateId: template.id });
    const base = { templateVersionId: version.id, presetId: preset.id };
    await c.fx.build({ workspace: superseded, ...base, status: "running" });
    await c.fx.build({ workspace: superseded, ...base, transition: "stop", status: "succeeded" });
    const rebuilding = await c.fx.workspace({ templateId: template.id });
    await c.fx.build({ workspace: rebuilding, ...base, status: "succeeded" });
    await c.fx.build({ workspace: rebuilding, ...base, transition: "stop", status: "pending" });
    expect(await c.store.countInProgressPrebuilds()).toEqual([
      {
        templateId: template.id,
        templateVersionId: version.id,
        transition: "stop",
        presetId: preset.id,
        count: 1,
      },
    ]);
  });

  test("groups by template, version, transition and preset; a delete without preset counts under NULL", async () => {
    const c = ctx();
    const { template, version, preset } = await basicTemplate(c);
    for (let i = 0; i < 2; i++) {
      const ws = await c.fx.workspace({ templateId: template.id });
      await c.fx.build({
        workspace: ws,
        templateVersionId: version.id,
        presetId: preset.id,
        status: "running",
      });
    }
    const ws = await c.fx.workspace({ templateId: template.id });
    await c.fx.build({
      workspace: ws,
      templateVersionId: version.id,
      presetId: null,
      transition: "delete",
      status: "pending",
    });
    const rows = await c.store.countInProgressPrebuilds();
    expect(rows).toEqual(
      expect.arrayContaining([
        {
          templateId: template.id,
          templateVersionId: version.id,
          transition: "start",
          presetId: preset.id,
          count: 2,
        },
        {
          templateId: template.id,
          templateVersionId: version.id,
          transition: "delete",
          presetId: null,
          count: 1,
        },
      ]),
    );
    expect(rows).toHaveLength(2);
  });
});

describeEachBackend("CountPendingNonActivePrebuilds (§2.5)", (ctx) => {
  const cases: {
    name: string;
    counted: boolean;
    setup: "plain" | "active" | "second" | "picked" | "deleted" | "stop";
  }[] = [
    {
      name: "first start build, pending, untouched, on an old version: counted",
      counted: true,
      setup: "plain",
    },
    { name: "on the active version: not counted", counted: false, setup: "active" },
    { name: "build number 2: not counted", counted: false, setup: "second" },
    { name: "picked up by a provisioner (worker set): not counted", counted: false, setup: "picked" },
    { name: "the workspace's deleted flag is not checked: counted", counted: true, setup: "deleted" },
    { name: "a stop build: not counted", counted: false, setup: "stop" },
  ];
  test.each(cases)("$name", async ({ counted, setup }) => {
    const c = ctx();
    const { template, version, preset } = await basicTemplate(c);
    const ws = await c.fx.workspace({ templateId: template.id });
    if (setup === "second")
      await c.fx.build({ workspace: ws, templateVersionId: version.id, presetId: preset.id });
    const { job } = await c.fx.build({
      workspace: ws,
      templateVersionId: version.id,
      presetId: preset.id,
      status: "pending",
      transition: setup === "stop" ? "stop" : "start",
    });
    if (setup === "picked") {
      await c.driver.query("UPDATE provisioner_jobs SET worker_id = $1 WHERE id = $2", [c.fx.id(), job.id]);
    }
    if (setup === "deleted") await c.fx.deleteWorkspace(ws);
    if (setup !== "active") await c.fx.templateVersion({ template, activate: true });
    expect(await c.store.countPendingNonActivePrebuilds()).toEqual(
      counted ? [{ presetId: preset.id, count: 1 }] : [],
    );
  });
});

/** A prebuild of `preset` whose latest (and only) build is a start created at `createdAt`. */
async function latestStart(
  c: DbTestContext,
  template: TemplateRow,
  preset: PresetRow,
  createdAt: number,
  status: JobOutcome,
) {
  return c.fx.prebuild({ preset, templateId: template.id, createdAt, status });
}

describeEachBackend("GetPresetsBackoff (§2.7)", (ctx) => {
  test("worked example: desired 2, lookback 1h — B qualifies, num_failed 2 (B, C), last build T−10m", async () => {
    const c = ctx();
    const { template, version, preset } = await basicTemplate(c, 2);
    await latestStart(c, template, preset, T0 - 5 * MINUTE, "succeeded"); // A, rn 1
    await latestStart(c, template, preset, T0 - 10 * MINUTE, "failed"); // B, rn 2
    await latestStart(c, template, preset, T0 - 20 * MINUTE, "failed"); // C, rn 3
    await latestStart(c, template, preset, T0 - 2 * HOUR, "failed"); // D, rn 4, outside the lookback
    expect(await c.store.getPresetsBackoff(T0 - HOUR)).toEqual([
      { templateVersionId: version.id, presetId: preset.id, numFailed: 2, lastBuildAt: T0 - 10 * MINUTE },
    ]);
  });

  const none: {
    name: string;
    desired: number | null;
    arrange: (c: DbTestContext, t: TemplateRow, p: PresetRow) => Promise<void>;
  }[] = [
    {
      name: "a failure below the window (rn > desired) is ignored",
      desired: 1,
      arrange: async (c, t, p) => {
        await latestStart(c, t, p, T0 - MINUTE, "succeeded");
        await latestStart(c, t, p, T0 - 2 * MINUTE, "failed");
      },
    },
    {
      name: "desired 0 never backs off",
      desired: 0,
      arrange: async (c, t, p) => {
        await latestStart(c, t, p, T0 - MINUTE, "failed");
      },
    },
    {
      name: "a failure outside the lookback is ignored",
      desired: 2,
      arrange: async (c, t, p) => {
        await latestStart(c, t, p, T0 - HOUR - SECOND, "failed");
      },
    },
    {
      name: "only latest builds count: a failure followed by a successful start",
      desired: 2,
      arrange: async (c, t, p) => {
        const { workspace } = await latestStart(c, t, p, T0 - 2 * MINUTE, "failed");
        await c.fx.build({
          workspace,
          templateVersionId: p.templateVersionId,
          presetId: p.id,
          createdAt: T0 - MINUTE,
        });
      },
    },
    {
      name: "claimed workspaces are excluded (owner is not the prebuilds user)",
      desired: 2,
      arrange: async (c, t, p) => {
        const user = await c.fx.user();
        await c.fx.prebuild({
          preset: p,
          templateId: t.id,
          createdAt: T0 - MINUTE,
          status: "failed",
          ownerId: user.id,
        });
      },
    },
    {
      name: "deleted workspaces are excluded",
      desired: 2,
      arrange: async (c, t, p) => {
        await c.fx.prebuild({
          preset: p,
          templateId: t.id,
          createdAt: T0 - MINUTE,
          status: "failed",
          deleted: true,
        });
      },
    },
    {
      name: "builds of an inactive version are excluded",
      desired: 2,
      arrange: async (c, t, p) => {
        await latestStart(c, t, p, T0 - MINUTE, "failed");
        await c.fx.templateVersion({ template: t, activate: true });
      },
    },
    {
      name: "soft-deleted templates are excluded",
      desired: 2,
      arrange: async (c, t, p) => {
        await latestStart(c, t, p, T0 - MINUTE, "failed");
        await c.store.updateTemplateDeletedById({ id: t.id, deleted: true, updatedAt: T0 });
      },
    },
    {
      name: "a failed latest stop build is not a start",
      desired: 2,
      arrange: async (c, t, p) => {
        const { workspace } = await latestStart(c, t, p, T0 - 2 * MINUTE, "succeeded");
        await c.fx.build({
          workspace,
          templateVersionId: p.templateVersionId,
          presetId: p.id,
          transition: "stop",
          status: "failed",
          createdAt: T0 - MINUTE,
        });
      },
    },
  ];
  test.each(none)("no backoff — $name", async ({ desired, arrange }) => {
    const c = ctx();
    const { template, preset } = await basicTemplate(c, desired);
    await arrange(c, template, preset);
    expect(await c.store.getPresetsBackoff(T0 - HOUR)).toEqual([]);
  });

  // Upstream's created_at comes from a microsecond clock, so of two builds one cycle creates the
  // later insert is the newer; ours are whole virtual milliseconds and tie (README Fidelity).
  const sameInstant: { name: string; inserted: JobOutcome[]; backoff: boolean }[] = [
    { name: "the failure inserted last is the newest", inserted: ["succeeded", "failed"], backoff: true },
    { name: "the success inserted last is the newest", inserted: ["failed", "succeeded"], backoff: false },
    {
      name: "of five, only the last inserted is in the window",
      inserted: ["failed", "failed", "failed", "failed", "succeeded"],
      backoff: false,
    },
  ];
  test.each(sameInstant)(
    "builds created at the same instant rank by insertion — $name",
    async ({ inserted, backoff }) => {
      const c = ctx();
      const { template, version, preset } = await basicTemplate(c, 1);
      for (const status of inserted) await latestStart(c, template, preset, T0 - MINUTE, status);
      const failed = inserted.filter((s) => s === "failed").length;
      expect(await c.store.getPresetsBackoff(T0 - HOUR)).toEqual(
        backoff
          ? [
              {
                templateVersionId: version.id,
                presetId: preset.id,
                numFailed: failed,
                lastBuildAt: T0 - MINUTE,
              },
            ]
          : [],
      );
    },
  );

  test("a failure exactly at the lookback boundary counts (created_at >= lookback)", async () => {
    const c = ctx();
    const { template, preset } = await basicTemplate(c, 1);
    await latestStart(c, template, preset, T0 - HOUR, "failed");
    expect(await c.store.getPresetsBackoff(T0 - HOUR)).toMatchObject([
      { presetId: preset.id, numFailed: 1, lastBuildAt: T0 - HOUR },
    ]);
  });
});

describeEachBackend("GetPresetsAtFailureLimit (§2.8)", (ctx) => {
  const cases: {
    name: string;
    limit: number;
    newestFirst: JobOutcome[];
    hit: boolean;
    deletedTemplate?: boolean;
  }[] = [
    {
      name: "the 3 most recent all failed (limit 3)",
      limit: 3,
      newestFirst: ["failed", "failed", "failed"],
      hit: true,
    },
    {
      name: "older successes outside the window do not matter",
      limit: 3,
      newestFirst: ["failed", "failed", "failed", "succeeded"],
      hit: true,
    },
    {
      name: "one success inside the window",
      limit: 3,
      newestFirst: ["failed", "succeeded", "failed"],
      hit: false,
    },
    {
      name: "fewer rows than the limit never qualify",
      limit: 3,
      newestFirst: ["failed", "failed"],
      hit: false,
    },
    { name: "limit 0 disables the feature", limit: 0, newestFirst: ["failed", "failed"], hit: false },
    { name: "limit 1 with the newest failed", limit: 1, newestFirst: ["failed", "succeeded"], hit: true },
    { name: "limit 1 with the newest succeeded", limit: 1, newestFirst: ["succeeded", "failed"], hit: false },
    {
      name: "no lookback: failures of long ago count",
      limit: 2,
      newestFirst: ["failed", "failed"],
      hit: true,
    },
    {
      name: "soft-deleted templates are NOT excluded",
      limit: 2,
      newestFirst: ["failed", "failed"],
      hit: true,
      deletedTemplate: true,
    },
  ];
  test.each(cases)("$name", async ({ limit, newestFirst, hit, deletedTemplate }) => {
    const c = ctx();
    const { template, version, preset } = await basicTemplate(c, 1);
    for (const [i, status] of newestFirst.entries()) {
      await latestStart(c, template, preset, T0 - (i + 1) * 24 * HOUR, status);
    }
    if (deletedTemplate)
      await c.store.updateTemplateDeletedById({ id: template.id, deleted: true, updatedAt: T0 });
    expect(await c.store.getPresetsAtFailureLimit(limit)).toEqual(
      hit ? [{ templateVersionId: version.id, presetId: preset.id }] : [],
    );
  });

  // Swarm seeds 57 and 86 of failures-backoff-hard-limit: builds a cycle created in the same
  // virtual millisecond were ranked by build id, so a success inserted last could fall out of the
  // window (a hard limit upstream never reaches) or a failure inserted last stay out of it.
  const sameInstant: { name: string; limit: number; inserted: JobOutcome[]; hit: boolean }[] = [
    {
      name: "a success inserted first is outside the window",
      limit: 2,
      inserted: ["succeeded", "failed", "failed"],
      hit: true,
    },
    {
      name: "a success inserted last is inside the window",
      limit: 2,
      inserted: ["failed", "failed", "succeeded"],
      hit: false,
    },
    {
      name: "a success inserted in the middle",
      limit: 2,
      inserted: ["failed", "succeeded", "failed"],
      hit: false,
    },
    {
      name: "of six, the last three inserted failed",
      limit: 3,
      inserted: ["succeeded", "succeeded", "succeeded", "failed", "failed", "failed"],
      hit: true,
    },
  ];
  test.each(sameInstant)(
    "builds created at the same instant rank by insertion — $name",
    async ({ limit, inserted, hit }) => {
      const c = ctx();
      const { template, version, preset } = await basicTemplate(c, 1);
      for (const status of inserted) await latestStart(c, template, preset, T0 - MINUTE, status);
      expect(await c.store.getPresetsAtFailureLimit(limit)).toEqual(
        hit ? [{ templateVersionId: version.id, presetId: preset.id }] : [],
      );
    },
  );

  test("deleting a failed prebuild removes it from the window", async () => {
    const c = ctx();
    const { template, preset } = await basicTemplate(c, 1);
    const newest = await latestStart(c, template, preset, T0 - MINUTE, "failed");
    await latestStart(c, template, preset, T0 - 2 * MINUTE, "failed");
    await latestStart(c, template, preset, T0 - 3 * MINUTE, "succeeded");
    expect(await c.store.getPresetsAtFailureLimit(2)).toHaveLength(1);
    await c.fx.deleteWorkspace(newest.workspace);
    expect(await c.store.getPresetsAtFailureLimit(2)).toEqual([]);
  });

  test("presets without a prebuild configuration are never at the limit", async () => {
    const c = ctx();
    const { template, preset } = await basicTemplate(c, null);
    await latestStart(c, template, preset, T0 - MINUTE, "failed");
    expect(await c.store.getPresetsAtFailureLimit(1)).toEqual([]);
  });
});
