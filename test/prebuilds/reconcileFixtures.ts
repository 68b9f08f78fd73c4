// The fixture of upstream's reconciler integration tests (spec §9.2): a template created two hours
// ago whose version has a required, immutable "test" parameter, a preset setting it, prebuilds in
// any (transition × job status), and antagonists that must never be touched.
import { HOUR } from "../../src/clock/types.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../../src/db/constants.ts";
import type { SqlExecutor } from "../../src/db/driver.ts";
import type { DbFixtures, JobOutcome } from "../../src/db/fixtures.ts";
import type {
  PresetRow,
  TemplateRow,
  TemplateVersionRow,
  WorkspaceBuildRow,
  WorkspaceRow,
  WorkspaceTransition,
} from "../../src/db/rows.ts";
import type { Store } from "../../src/db/store.ts";

export interface FixtureContext {
  readonly store: Store;
  readonly fx: DbFixtures;
  readonly clock: { now(): number };
}

export interface TemplateFixture {
  readonly template: TemplateRow;
  readonly version: TemplateVersionRow;
  readonly preset: PresetRow;
}

export const PRESET_PARAMETERS: Readonly<Record<string, string>> = { test: "test" };

/** A version of `template` with the "test" parameter, optionally promoted. */
export async function versionWithParameter(
  c: FixtureContext,
  template: TemplateRow,
  options: { name?: string; activate?: boolean } = {},
): Promise<TemplateVersionRow> {
  const version = await c.fx.templateVersion({
    template,
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.activate === undefined ? {} : { activate: options.activate }),
  });
  await addTestParameter(c, version.id);
  return version;
}

export async function addTestParameter(c: FixtureContext, templateVersionId: string): Promise<void> {
  await c.store.insertTemplateVersionParameter({
    templateVersionId,
    name: "test",
    type: "string",
    required: true,
    mutable: false,
  });
}

/**
 * A template (its first version carries the "test" parameter and a preset setting it). With
 * `activeVersion: false` a second version without presets is promoted, so the preset is inactive.
 */
export async function templateWithPreset(
  c: FixtureContext,
  options: {
    name?: string;
    presetName?: string;
    desired?: number | null;
    activeVersion?: boolean;
    deleted?: boolean;
    organizationId?: string;
    invalidateAfterSecs?: number | null;
  } = {},
): Promise<TemplateFixture> {
  const { template, version } = await c.fx.template({
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.organizationId === undefined ? {} : { organizationId: options.organizationId }),
  });
  await addTestParameter(c, version.id);
  const preset = await c.fx.preset({
    templateVersionId: version.id,
    name: options.presetName ?? "preset",
    desiredInstances: options.desired === undefined ? 1 : options.desired,
    invalidateAfterSecs: options.invalidateAfterSecs ?? null,
    parameters: PRESET_PARAMETERS,
  });
  if (options.activeVersion === false) await versionWithParameter(c, template, { activate: true });
  if (options.deleted === true) {
    await c.store.updateTemplateDeletedById({ id: template.id, deleted: true, updatedAt: c.clock.now() });
  }
  return { template, version, preset };
}

/** A prebuild with one build #1 (transition × status) carrying the preset, created two hours ago. */
export async function prebuildWithBuild(
  c: FixtureContext,
  t: { template: TemplateRow; preset: PresetRow },
  options: {
    transition?: WorkspaceTransition;
    status?: JobOutcome;
    createdAt?: number;
    ready?: boolean;
  } = {},
): Promise<{ workspace: WorkspaceRow; build: WorkspaceBuildRow }> {
  const createdAt = options.createdAt ?? c.clock.now() - 2 * HOUR;
  const workspace = await c.fx.workspace({
    templateId: t.template.id,
    organizationId: t.template.organizationId,
    createdAt,
  });
  const { build } = await c.fx.build({
    workspace,
    templateVersionId: t.preset.templateVersionId,
    presetId: t.preset.id,
    transition: options.transition ?? "start",
    status: options.status ?? "succeeded",
    createdAt,
    agents: [{ lifecycle: options.ready === false ? "starting" : "ready" }],
    parameters: PRESET_PARAMETERS,
  });
  return { workspace, build };
}

export interface Antagonists {
  readonly stopped: WorkspaceRow;
  readonly userWorkspace: WorkspaceRow;
}

/**
 * What must never be reconciled: a stopped prebuild of another template (its stop build carries
 * no preset) and a running workspace of a regular user on the template under test.
 */
export async function antagonists(c: FixtureContext, underTest: TemplateFixture): Promise<Antagonists> {
  const other = await templateWithPreset(c, { name: "antagonist", desired: 0 });
  const stopped = await c.fx.workspace({
    templateId: other.template.id,
    createdAt: c.clock.now() - 2 * HOUR,
  });
  await c.fx.build({
    workspace: stopped,
    templateVersionId: other.version.id,
    presetId: other.preset.id,
    transition: "start",
    parameters: PRESET_PARAMETERS,
  });
  await c.fx.build({
    workspace: stopped,
    templateVersionId: other.version.id,
    presetId: null,
    transition: "stop",
  });

  const user = await c.fx.user({ username: "antagonist-user" });
  const userWorkspace = await c.fx.workspace({ templateId: underTest.template.id, ownerId: user.id });
  await c.fx.build({
    workspace: userWorkspace,
    templateVersionId: underTest.version.id,
    presetId: underTest.preset.id,
    initiatorId: user.id,
    agents: [{ lifecycle: "ready" }],
    parameters: PRESET_PARAMETERS,
  });
  return { stopped, userWorkspace };
}

/** Non-deleted workspaces of the template owned by the prebuilds user, oldest first. */
export async function prebuildsOf(sql: SqlExecutor, templateId: string): Promise<string[]> {
  const rows = await sql.query(
    "SELECT id FROM workspaces WHERE template_id = $1 AND owner_id = $2 AND deleted = false ORDER BY created_at, id",
    [templateId, PREBUILDS_SYSTEM_USER_ID],
  );
  return rows.map((r) => r.id as string);
}
