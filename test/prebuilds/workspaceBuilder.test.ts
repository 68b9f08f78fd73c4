// The workspace builder's behaviours the reconciler relies on (spec §4.12).
import { describe, expect, test } from "vitest";
import { MINUTE } from "../../src/clock/types.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../../src/db/constants.ts";
import type { JobOutcome } from "../../src/db/fixtures.ts";
import type { TemplateVersionParameterRow } from "../../src/db/rows.ts";
import { BuildError, buildErrorStatus, HttpStatus } from "../../src/prebuilds/buildError.ts";
import { resolveParameter, WorkspaceBuilder } from "../../src/prebuilds/workspaceBuilder.ts";
import { type DbContext, T0, useDatabase } from "./harness.ts";

const ctx = useDatabase();

/** A template whose active version has the upstream fixture's required, immutable "test" parameter. */
async function templateWithParameter(c: DbContext) {
  const { template, version } = await c.fx.template({ name: "tpl" });
  await c.store.insertTemplateVersionParameter({
    templateVersionId: version.id,
    name: "test",
    required: true,
    mutable: false,
  });
  const preset = await c.fx.preset({
    templateVersionId: version.id,
    name: "p",
    parameters: { test: "test" },
  });
  return { template, version, preset };
}

async function expectBuildError(
  promise: Promise<unknown>,
  status: HttpStatus,
  message: RegExp,
): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BuildError);
  expect((err as BuildError).status).toBe(status);
  expect((err as BuildError).message).toMatch(message);
}

describe("build numbers and versions", () => {
  test("the first build is number 1 on the active version; the next continues the sequence", async () => {
    const c = ctx();
    const { template, version, preset } = await templateWithParameter(c);
    const workspace = await c.fx.workspace({ templateId: template.id });
    const first = await WorkspaceBuilder.create(workspace, "start")
      .activeVersion()
      .templateVersionPresetId(preset.id)
      .markPrebuild()
      .initiator(PREBUILDS_SYSTEM_USER_ID)
      .build(c.store, c);
    expect(first.build.buildNumber).toBe(1);
    expect(first.build.templateVersionId).toBe(version.id);
    expect(first.build.createdAt).toBe(T0);
    await c.store.updateProvisionerJobWithCompleteById({ id: first.job.id, completedAt: T0, error: null });

    const second = await WorkspaceBuilder.create(workspace, "stop").build(c.store, c);
    expect(second.build.buildNumber).toBe(2);
    expect(second.build.initiatorId).toBe(workspace.ownerId);
    expect(second.build.reason).toBe("initiator");
  });

  test("a delete without a version uses the last build's version, even after a promotion", async () => {
    const c = ctx();
    const { template, version: v1, preset } = await templateWithParameter(c);
    const prebuild = await c.fx.prebuild({ preset, templateId: template.id });
    await c.store.insertWorkspaceBuildParameters({
      workspaceBuildId: prebuild.build.id,
      names: ["test"],
      values: ["test"],
    });
    await c.fx.templateVersion({ template, name: "v2", activate: true });
    const { build } = await WorkspaceBuilder.create(prebuild.workspace, "delete").build(c.store, c);
    expect(build.templateVersionId).toBe(v1.id);
    expect(build.transition).toBe("delete");
  });
});

describe("refuses a second build while one is active", () => {
  const rows: { status: JobOutcome; refused: boolean }[] = [
    { status: "pending", refused: true },
    { status: "running", refused: true },
    { status: "canceling", refused: true },
    { status: "succeeded", refused: false },
    { status: "failed", refused: false },
    { status: "canceled", refused: false },
  ];
  test.each(rows)("last job $status ⇒ refused: $refused", async ({ status, refused }) => {
    const c = ctx();
    const { template, preset } = await templateWithParameter(c);
    const { workspace } = await c.fx.prebuild({ preset, templateId: template.id, status });
    const attempt = WorkspaceBuilder.create(workspace, "delete").build(c.store, c);
    if (refused) {
      await expectBuildError(attempt, HttpStatus.Conflict, /already active/);
    } else {
      expect((await attempt).build.buildNumber).toBe(2);
    }
  });
});

describe("parameters", () => {
  test("preset parameters become the build's values and override requested ones", async () => {
    const c = ctx();
    const { template, preset } = await templateWithParameter(c);
    const workspace = await c.fx.workspace({ templateId: template.id });
    const { build } = await WorkspaceBuilder.create(workspace, "start")
      .activeVersion()
      .templateVersionPresetId(preset.id)
      .richParameterValues([{ name: "test", value: "requested" }])
      .build(c.store, c);
    expect(await c.store.getWorkspaceBuildParameters(build.id)).toEqual([
      { workspaceBuildId: build.id, name: "test", value: "test" },
    ]);
    expect(build.templateVersionPresetId).toBe(preset.id);
  });

  test("a missing required parameter is a 400 and leaves nothing behind in the transaction", async () => {
    const c = ctx();
    const { template, version } = await templateWithParameter(c);
    const bare = await c.fx.preset({ templateVersionId: version.id, name: "bare" });
    const workspace = await c.fx.workspace({ templateId: template.id });
    await expectBuildError(
      WorkspaceBuilder.create(workspace, "start")
        .activeVersion()
        .templateVersionPresetId(bare.id)
        .build(c.store, c),
      HttpStatus.BadRequest,
      /Unable to validate parameter "test".*required but not provided/,
    );
    expect(await c.store.getWorkspaceBuildsByWorkspaceId(workspace.id)).toEqual([]);
  });

  test("changing an immutable parameter is a 400", async () => {
    const c = ctx();
    const { template, preset } = await templateWithParameter(c);
    const prebuild = await c.fx.prebuild({ preset, templateId: template.id });
    await c.store.insertWorkspaceBuildParameters({
      workspaceBuildId: prebuild.build.id,
      names: ["test"],
      values: ["test"],
    });
    await expectBuildError(
      WorkspaceBuilder.create(prebuild.workspace, "start")
        .richParameterValues([{ name: "test", value: "other" }])
        .build(c.store, c),
      HttpStatus.BadRequest,
      /not mutable/,
    );
  });

  test("resolution order: requested, then previous, then default", () => {
    const p: TemplateVersionParameterRow = {
      templateVersionId: "v",
      name: "region",
      description: "",
      type: "string",
      mutable: true,
      defaultValue: "eu",
      required: false,
      displayOrder: 0,
    };
    expect(resolveParameter(p, "us", "ap")).toBe("us");
    expect(resolveParameter(p, undefined, "ap")).toBe("ap");
    expect(resolveParameter(p, undefined, undefined)).toBe("eu");
    // A required parameter with a default is satisfied by the default.
    expect(resolveParameter({ ...p, required: true }, undefined, undefined)).toBe("eu");
    expect(() => resolveParameter({ ...p, required: true, defaultValue: "" }, undefined, undefined)).toThrow(
      BuildError,
    );
  });

  test("a delete detects the preset from the previous build's parameters", async () => {
    const c = ctx();
    const { template, version, preset } = await templateWithParameter(c);
    const other = await c.fx.preset({
      templateVersionId: version.id,
      name: "other",
      parameters: { test: "x" },
    });
    const workspace = await c.fx.workspace({ templateId: template.id });
    const built = await c.fx.build({
      workspace,
      templateVersionId: version.id,
      presetId: null,
      parameters: { test: "test" },
    });
    expect(built.build.templateVersionPresetId).toBeNull();
    const { build } = await WorkspaceBuilder.create(workspace, "delete").build(c.store, c);
    expect(build.templateVersionPresetId).toBe(preset.id);
    expect(build.templateVersionPresetId).not.toBe(other.id);
  });
});

describe("jobs", () => {
  test.each([
    { mark: "prebuild", stage: "create" },
    { mark: "claim", stage: "claim" },
    { mark: "regular", stage: "none" },
  ] as const)("the job input tells the provisioner the build is a $mark build", async ({ mark, stage }) => {
    const c = ctx();
    const { template, preset } = await templateWithParameter(c);
    const workspace = await c.fx.workspace({ templateId: template.id });
    let builder = WorkspaceBuilder.create(workspace, "start")
      .activeVersion()
      .templateVersionPresetId(preset.id);
    if (mark === "prebuild") builder = builder.markPrebuild();
    if (mark === "claim") builder = builder.markPrebuiltWorkspaceClaim();
    const { job, build } = await builder.build(c.store, c);
    expect(job.input).toEqual({
      workspaceBuildId: build.id,
      templateVersionId: build.templateVersionId,
      prebuiltWorkspaceBuildStage: stage,
      orphan: false,
    });
    expect(job.jobStatus).toBe("pending");
    expect(job.workerId).toBeNull();
  });

  test("an orphan delete completes at once: succeeded, no worker, workspace deleted", async () => {
    const c = ctx();
    const { template, preset } = await templateWithParameter(c);
    const { workspace } = await c.fx.prebuild({ preset, templateId: template.id });
    c.clock.advance(MINUTE);
    const { job, build } = await WorkspaceBuilder.create(workspace, "delete").orphan().build(c.store, c);
    expect(build.transition).toBe("delete");
    expect(job.input.orphan).toBe(true);
    expect(job.jobStatus).toBe("succeeded");
    expect(job.completedAt).toBe(T0 + MINUTE);
    expect(job.workerId).toBeNull();
    expect((await c.store.getWorkspaceById(workspace.id)).deleted).toBe(true);
  });

  test("a database failure while inserting the build is a 500", async () => {
    const c = ctx();
    const { template, preset } = await templateWithParameter(c);
    const workspace = await c.fx.workspace({ templateId: template.id });
    c.db.faults.add({ query: "InsertWorkspaceBuild", probability: 1, from: T0, until: T0 + MINUTE });
    const attempt = WorkspaceBuilder.create(workspace, "start")
      .activeVersion()
      .templateVersionPresetId(preset.id)
      .build(c.store, c);
    await expectBuildError(attempt, HttpStatus.InternalServerError, /insert workspace build/);
    expect(buildErrorStatus(new Error("wrapped", { cause: await attempt.catch((e) => e) }))).toBe(500);
  });
});
