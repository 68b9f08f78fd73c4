// Workspace resources and agents: the fake provisioner creates them when a start build succeeds,
// the simulated agents move through their lifecycle, and readiness is read from them.
import type { RawRow } from "../driver.ts";
import type {
  AgentLifecycleState,
  WorkspaceAgentRow,
  WorkspaceResourceRow,
  WorkspaceTransition,
} from "../rows.ts";
import type {
  InsertWorkspaceAgentParams,
  InsertWorkspaceResourceParams,
  UpdateWorkspaceAgentLifecycleStateParams,
} from "../store.ts";
import { at, bool, defineQuery, instant, instantOrNull, text, textOrNull } from "./sql.ts";

const RESOURCE_COLUMNS = "id, job_id, transition, type, name, created_at";

function mapResource(r: RawRow): WorkspaceResourceRow {
  return {
    id: text(r.id, "id"),
    jobId: text(r.job_id, "job_id"),
    transition: text(r.transition, "transition") as WorkspaceTransition,
    type: text(r.type, "type"),
    name: text(r.name, "name"),
    createdAt: instant(r.created_at, "created_at"),
  };
}

const AGENT_COLUMNS =
  "id, resource_id, name, lifecycle_state, started_at, ready_at, parent_id, deleted, created_at, updated_at";

function mapAgent(r: RawRow): WorkspaceAgentRow {
  return {
    id: text(r.id, "id"),
    resourceId: text(r.resource_id, "resource_id"),
    name: text(r.name, "name"),
    lifecycleState: text(r.lifecycle_state, "lifecycle_state") as AgentLifecycleState,
    startedAt: instantOrNull(r.started_at, "started_at"),
    readyAt: instantOrNull(r.ready_at, "ready_at"),
    parentId: textOrNull(r.parent_id, "parent_id"),
    deleted: bool(r.deleted, "deleted"),
    createdAt: instant(r.created_at, "created_at"),
    updatedAt: instant(r.updated_at, "updated_at"),
  };
}

export const insertWorkspaceResource = defineQuery(
  "InsertWorkspaceResource",
  async (q, p: InsertWorkspaceResourceParams): Promise<WorkspaceResourceRow> => {
    const rows = await q.query(
      `INSERT INTO workspace_resources (id, job_id, transition, type, name, created_at)
       VALUES ($1::uuid, $2::uuid, $3::workspace_transition, $4, $5, ${at(6)})
       RETURNING ${RESOURCE_COLUMNS}`,
      [p.id, p.jobId, p.transition, p.type, p.name, p.createdAt],
    );
    return mapResource(rows[0] as RawRow);
  },
);

export const getWorkspaceResourcesByJobId = defineQuery(
  "GetWorkspaceResourcesByJobID",
  async (q, jobId: string): Promise<WorkspaceResourceRow[]> => {
    const rows = await q.query(
      `SELECT ${RESOURCE_COLUMNS} FROM workspace_resources WHERE job_id = $1::uuid ORDER BY created_at, id`,
      [jobId],
    );
    return rows.map(mapResource);
  },
);

export const insertWorkspaceAgent = defineQuery(
  "InsertWorkspaceAgent",
  async (q, p: InsertWorkspaceAgentParams): Promise<WorkspaceAgentRow> => {
    const rows = await q.query(
      `INSERT INTO workspace_agents (id, resource_id, name, parent_id, lifecycle_state, deleted, created_at, updated_at)
       VALUES ($1::uuid, $2::uuid, $3, $4::uuid, $5::workspace_agent_lifecycle_state, $6, ${at(7)}, ${at(7)})
       RETURNING ${AGENT_COLUMNS}`,
      [
        p.id,
        p.resourceId,
        p.name,
        p.parentId ?? null,
        p.lifecycleState ?? "created",
        p.deleted ?? false,
        p.createdAt,
      ],
    );
    return mapAgent(rows[0] as RawRow);
  },
);

export const getWorkspaceAgentsInLatestBuildByWorkspaceId = defineQuery(
  "GetWorkspaceAgentsInLatestBuildByWorkspaceID",
  async (q, workspaceId: string): Promise<WorkspaceAgentRow[]> => {
    const rows = await q.query(
      `SELECT ${AGENT_COLUMNS.split(", ")
        .map((c) => `wa.${c}`)
        .join(", ")}
       FROM workspace_agents wa
       JOIN workspace_resources wr ON wr.id = wa.resource_id
       JOIN (
         SELECT job_id FROM workspace_builds WHERE workspace_id = $1::uuid ORDER BY build_number DESC LIMIT 1
       ) latest ON latest.job_id = wr.job_id
       WHERE wa.deleted = false
       ORDER BY wa.id`,
      [workspaceId],
    );
    return rows.map(mapAgent);
  },
);

export const updateWorkspaceAgentLifecycleStateById = defineQuery(
  "UpdateWorkspaceAgentLifecycleStateByID",
  async (q, p: UpdateWorkspaceAgentLifecycleStateParams): Promise<void> => {
    await q.query(
      `UPDATE workspace_agents
       SET lifecycle_state = $2::workspace_agent_lifecycle_state, started_at = ${at(3)}, ready_at = ${at(4)},
           updated_at = ${at(5)}
       WHERE id = $1::uuid`,
      [p.id, p.lifecycleState, p.startedAt, p.readyAt, p.updatedAt],
    );
  },
);
