// Workspaces, their builds and the builds' rich parameter values: what the workspace builder
// writes and reads (spec §4.9–4.12) and what the world inspects.
import type { Instant } from "../../clock/types.ts";
import type { RawRow } from "../driver.ts";
import type {
  AutomaticUpdates,
  BuildReason,
  WorkspaceBuildParameterRow,
  WorkspaceBuildRow,
  WorkspaceRow,
  WorkspaceTransition,
} from "../rows.ts";
import type {
  InsertWorkspaceBuildParametersParams,
  InsertWorkspaceBuildParams,
  InsertWorkspaceParams,
} from "../store.ts";
import {
  at,
  bool,
  defineQuery,
  first,
  instant,
  instantOrNull,
  int,
  intOrNull,
  text,
  textOrNull,
} from "./sql.ts";

const WORKSPACE_COLUMNS = `id, owner_id, organization_id, template_id, name, deleted, autostart_schedule, ttl,
  automatic_updates, next_start_at, last_used_at, dormant_at, deleting_at, created_at, updated_at`;

function mapWorkspace(r: RawRow): WorkspaceRow {
  return {
    id: text(r.id, "id"),
    ownerId: text(r.owner_id, "owner_id"),
    organizationId: text(r.organization_id, "organization_id"),
    templateId: text(r.template_id, "template_id"),
    name: text(r.name, "name"),
    deleted: bool(r.deleted, "deleted"),
    autostartSchedule: textOrNull(r.autostart_schedule, "autostart_schedule"),
    ttl: intOrNull(r.ttl, "ttl"),
    automaticUpdates: text(r.automatic_updates, "automatic_updates") as AutomaticUpdates,
    nextStartAt: instantOrNull(r.next_start_at, "next_start_at"),
    lastUsedAt: instant(r.last_used_at, "last_used_at"),
    dormantAt: instantOrNull(r.dormant_at, "dormant_at"),
    deletingAt: instantOrNull(r.deleting_at, "deleting_at"),
    createdAt: instant(r.created_at, "created_at"),
    updatedAt: instant(r.updated_at, "updated_at"),
  };
}

const BUILD_COLUMNS = `id, workspace_id, template_version_id, build_number, transition, initiator_id, job_id,
  reason, template_version_preset_id, created_at, updated_at`;

function mapBuild(r: RawRow): WorkspaceBuildRow {
  return {
    id: text(r.id, "id"),
    workspaceId: text(r.workspace_id, "workspace_id"),
    templateVersionId: text(r.template_version_id, "template_version_id"),
    buildNumber: int(r.build_number, "build_number"),
    transition: text(r.transition, "transition") as WorkspaceTransition,
    initiatorId: text(r.initiator_id, "initiator_id"),
    jobId: text(r.job_id, "job_id"),
    reason: text(r.reason, "reason") as BuildReason,
    templateVersionPresetId: textOrNull(r.template_version_preset_id, "template_version_preset_id"),
    createdAt: instant(r.created_at, "created_at"),
    updatedAt: instant(r.updated_at, "updated_at"),
  };
}

/** created_at = updated_at = last_used_at (spec §4.9 b). */
export const insertWorkspace = defineQuery(
  "InsertWorkspace",
  async (q, p: InsertWorkspaceParams): Promise<WorkspaceRow> => {
    const rows = await q.query(
      `INSERT INTO workspaces (id, owner_id, organization_id, template_id, name, autostart_schedule, ttl,
                             automatic_updates, next_start_at, last_used_at, created_at, updated_at)
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7::bigint, $8::automatic_updates, ${at(9)},
             ${at(10)}, ${at(10)}, ${at(10)})
     RETURNING ${WORKSPACE_COLUMNS}`,
      [
        p.id,
        p.ownerId,
        p.organizationId,
        p.templateId,
        p.name,
        p.autostartSchedule ?? null,
        p.ttl ?? null,
        p.automaticUpdates,
        p.nextStartAt ?? null,
        p.createdAt,
      ],
    );
    return mapWorkspace(rows[0] as RawRow);
  },
);

export const getWorkspaceById = defineQuery(
  "GetWorkspaceByID",
  async (q, id: string): Promise<WorkspaceRow | undefined> => {
    const r = first(await q.query(`SELECT ${WORKSPACE_COLUMNS} FROM workspaces WHERE id = $1::uuid`, [id]));
    return r && mapWorkspace(r);
  },
);

/** Soft delete: the latest-build view stops seeing the workspace. */
export const updateWorkspaceDeletedById = defineQuery(
  "UpdateWorkspaceDeletedByID",
  async (q, p: { id: string; deleted: boolean; updatedAt: Instant }): Promise<void> => {
    await q.query(`UPDATE workspaces SET deleted = $2, updated_at = ${at(3)} WHERE id = $1::uuid`, [
      p.id,
      p.deleted,
      p.updatedAt,
    ]);
  },
);

export const insertWorkspaceBuild = defineQuery(
  "InsertWorkspaceBuild",
  async (q, p: InsertWorkspaceBuildParams): Promise<WorkspaceBuildRow> => {
    const rows = await q.query(
      `INSERT INTO workspace_builds (id, workspace_id, template_version_id, build_number, transition, initiator_id,
                                     job_id, reason, template_version_preset_id, created_at, updated_at)
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::workspace_transition, $6::uuid, $7::uuid, $8::build_reason,
               $9::uuid, ${at(10)}, ${at(10)})
       RETURNING ${BUILD_COLUMNS}`,
      [
        p.id,
        p.workspaceId,
        p.templateVersionId,
        p.buildNumber,
        p.transition,
        p.initiatorId,
        p.jobId,
        p.reason,
        p.templateVersionPresetId,
        p.createdAt,
      ],
    );
    return mapBuild(rows[0] as RawRow);
  },
);

export const getWorkspaceBuildById = defineQuery(
  "GetWorkspaceBuildByID",
  async (q, id: string): Promise<WorkspaceBuildRow | undefined> => {
    const r = first(await q.query(`SELECT ${BUILD_COLUMNS} FROM workspace_builds WHERE id = $1::uuid`, [id]));
    return r && mapBuild(r);
  },
);

export const getWorkspaceBuildByWorkspaceIdAndBuildNumber = defineQuery(
  "GetWorkspaceBuildByWorkspaceIDAndBuildNumber",
  async (q, p: { workspaceId: string; buildNumber: number }): Promise<WorkspaceBuildRow | undefined> => {
    const r = first(
      await q.query(
        `SELECT ${BUILD_COLUMNS} FROM workspace_builds WHERE workspace_id = $1::uuid AND build_number = $2`,
        [p.workspaceId, p.buildNumber],
      ),
    );
    return r && mapBuild(r);
  },
);

/** The highest-numbered build, whether or not the workspace is deleted. */
export const getLatestWorkspaceBuildByWorkspaceId = defineQuery(
  "GetLatestWorkspaceBuildByWorkspaceID",
  async (q, workspaceId: string): Promise<WorkspaceBuildRow | undefined> => {
    const r = first(
      await q.query(
        `SELECT ${BUILD_COLUMNS} FROM workspace_builds WHERE workspace_id = $1::uuid ORDER BY build_number DESC LIMIT 1`,
        [workspaceId],
      ),
    );
    return r && mapBuild(r);
  },
);

export const getWorkspaceBuildsByWorkspaceId = defineQuery(
  "GetWorkspaceBuildsByWorkspaceID",
  async (q, workspaceId: string): Promise<WorkspaceBuildRow[]> => {
    const rows = await q.query(
      `SELECT ${BUILD_COLUMNS} FROM workspace_builds WHERE workspace_id = $1::uuid ORDER BY build_number`,
      [workspaceId],
    );
    return rows.map(mapBuild);
  },
);

export const insertWorkspaceBuildParameters = defineQuery(
  "InsertWorkspaceBuildParameters",
  async (q, p: InsertWorkspaceBuildParametersParams): Promise<void> => {
    if (p.names.length !== p.values.length) {
      throw new RangeError(
        `InsertWorkspaceBuildParameters for build ${p.workspaceBuildId}: names and values must have the same length (${p.names.length}, ${p.values.length})`,
      );
    }
    await q.query(
      `INSERT INTO workspace_build_parameters (workspace_build_id, name, value)
       SELECT $1::uuid, u.name, u.value FROM unnest($2::text[], $3::text[]) AS u(name, value)`,
      [p.workspaceBuildId, p.names, p.values],
    );
  },
);

export const getWorkspaceBuildParameters = defineQuery(
  "GetWorkspaceBuildParameters",
  async (q, workspaceBuildId: string): Promise<WorkspaceBuildParameterRow[]> => {
    const rows = await q.query(
      `SELECT workspace_build_id, name, value FROM workspace_build_parameters
       WHERE workspace_build_id = $1::uuid ORDER BY name`,
      [workspaceBuildId],
    );
    return rows.map((r) => ({
      workspaceBuildId: text(r.workspace_build_id, "workspace_build_id"),
      name: text(r.name, "name"),
      value: text(r.value, "value"),
    }));
  },
);
