// The provisioner job queue: insertion by the workspace builder, FIFO acquisition and completion
// by the fake provisioner daemons, and a user's cancel.
import type { Instant } from "../../clock/types.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../constants.ts";
import type { RawRow } from "../driver.ts";
import type {
  ProvisionerJobInput,
  ProvisionerJobRow,
  ProvisionerJobStatus,
  ProvisionerJobType,
} from "../rows.ts";
import type {
  AcquireProvisionerJobParams,
  CompleteProvisionerJobParams,
  InsertProvisionerJobParams,
  ProvisionerJobInitiatorFilter,
} from "../store.ts";
import { at, defineQuery, first, instant, instantOrNull, text, textOrNull } from "./sql.ts";

const JOB_COLUMNS = `id, organization_id, initiator_id, provisioner, type, input, tags, worker_id, started_at,
  canceled_at, completed_at, error, error_code, job_status, created_at, updated_at`;

function mapJob(r: RawRow): ProvisionerJobRow {
  return {
    id: text(r.id, "id"),
    organizationId: text(r.organization_id, "organization_id"),
    initiatorId: text(r.initiator_id, "initiator_id"),
    provisioner: text(r.provisioner, "provisioner"),
    type: text(r.type, "type") as ProvisionerJobType,
    input: r.input as ProvisionerJobInput,
    tags: r.tags as Record<string, string>,
    workerId: textOrNull(r.worker_id, "worker_id"),
    startedAt: instantOrNull(r.started_at, "started_at"),
    canceledAt: instantOrNull(r.canceled_at, "canceled_at"),
    completedAt: instantOrNull(r.completed_at, "completed_at"),
    error: textOrNull(r.error, "error"),
    errorCode: textOrNull(r.error_code, "error_code"),
    jobStatus: text(r.job_status, "job_status") as ProvisionerJobStatus,
    createdAt: instant(r.created_at, "created_at"),
    updatedAt: instant(r.updated_at, "updated_at"),
  };
}

/** The input is stored with sorted keys so that equal inputs are equal bytes on every backend. */
function canonicalJson(value: object): string {
  const sorted = Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify(sorted);
}

export const insertProvisionerJob = defineQuery(
  "InsertProvisionerJob",
  async (q, p: InsertProvisionerJobParams): Promise<ProvisionerJobRow> => {
    const rows = await q.query(
      `INSERT INTO provisioner_jobs (id, organization_id, initiator_id, provisioner, type, input, tags, created_at, updated_at)
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::provisioner_job_type, $6::jsonb, $7::jsonb, ${at(8)}, ${at(8)})
       RETURNING ${JOB_COLUMNS}`,
      [
        p.id,
        p.organizationId,
        p.initiatorId,
        p.provisioner ?? "terraform",
        p.type,
        canonicalJson(p.input),
        canonicalJson(p.tags ?? {}),
        p.createdAt,
      ],
    );
    return mapJob(rows[0] as RawRow);
  },
);

export const getProvisionerJobById = defineQuery(
  "GetProvisionerJobByID",
  async (q, id: string): Promise<ProvisionerJobRow | undefined> => {
    const r = first(await q.query(`SELECT ${JOB_COLUMNS} FROM provisioner_jobs WHERE id = $1::uuid`, [id]));
    return r && mapJob(r);
  },
);

const INITIATOR_FILTER: Record<ProvisionerJobInitiatorFilter, string> = {
  any: "true",
  prebuilds: `initiator_id = '${PREBUILDS_SYSTEM_USER_ID}'::uuid`,
  humans: `initiator_id <> '${PREBUILDS_SYSTEM_USER_ID}'::uuid`,
};

/**
 * The oldest pending job the daemon may take; marks it started by this worker. Upstream orders by
 * created_at alone, whose microseconds put the earlier insert first; ours are whole virtual
 * milliseconds, so ties go to the earlier insert (insert_order) rather than to the random id. Row-locked with SKIP LOCKED as upstream, so two daemons on a real server never take
 * the same job.
 */
export const acquireProvisionerJob = defineQuery(
  "AcquireProvisionerJob",
  async (q, p: AcquireProvisionerJobParams): Promise<ProvisionerJobRow | null> => {
    // Most polls find nothing (idle daemons wake together and race for one job), and the UPDATE,
    // a write, always reaches the backend. This pure read asks the UPDATE's own question first;
    // the session answers it from its read cache until provisioner_jobs is written again (what a
    // poll's answer depends on). "No pending job" makes the UPDATE a no-op: the gate serializes
    // every statement on the one session, so no other transaction holds a row SKIP LOCKED would skip.
    const [probe] = await q.query(
      `SELECT EXISTS (SELECT 1 FROM provisioner_jobs WHERE job_status = 'pending' AND ${INITIATOR_FILTER[p.initiator]}) AS pending`,
    );
    if (probe?.pending === false) return null;
    const rows = await q.query(
      `UPDATE provisioner_jobs
       SET started_at = ${at(1)}, updated_at = ${at(1)}, worker_id = $2::uuid
       WHERE id = (
         SELECT id FROM provisioner_jobs
         WHERE job_status = 'pending' AND ${INITIATOR_FILTER[p.initiator]}
         ORDER BY created_at, insert_order
         LIMIT 1
         FOR UPDATE SKIP LOCKED
       )
       RETURNING ${JOB_COLUMNS}`,
      [p.now, p.workerId],
    );
    const r = rows[0];
    return r === undefined ? null : mapJob(r);
  },
);

export const updateProvisionerJobStartedById = defineQuery(
  "UpdateProvisionerJobStartedByID",
  async (
    q,
    p: { id: string; workerId: string; startedAt: Instant },
  ): Promise<ProvisionerJobRow | undefined> => {
    const r = first(
      await q.query(
        `UPDATE provisioner_jobs SET started_at = ${at(3)}, updated_at = ${at(3)}, worker_id = $2::uuid
         WHERE id = $1::uuid
         RETURNING ${JOB_COLUMNS}`,
        [p.id, p.workerId, p.startedAt],
      ),
    );
    return r && mapJob(r);
  },
);

/** Success when `error` is null or empty; failed otherwise (spec §1.2). */
export const updateProvisionerJobWithCompleteById = defineQuery(
  "UpdateProvisionerJobWithCompleteByID",
  async (q, p: CompleteProvisionerJobParams): Promise<ProvisionerJobRow | undefined> => {
    const r = first(
      await q.query(
        `UPDATE provisioner_jobs
         SET completed_at = ${at(2)}, updated_at = ${at(2)}, error = $3, error_code = $4
         WHERE id = $1::uuid
         RETURNING ${JOB_COLUMNS}`,
        [p.id, p.completedAt, p.error, p.errorCode ?? null],
      ),
    );
    return r && mapJob(r);
  },
);

export const updateProvisionerJobWithCancelById = defineQuery(
  "UpdateProvisionerJobWithCancelByID",
  async (
    q,
    p: { id: string; canceledAt: Instant; completedAt: Instant | null },
  ): Promise<ProvisionerJobRow | undefined> => {
    const r = first(
      await q.query(
        `UPDATE provisioner_jobs
         SET canceled_at = ${at(2)}, completed_at = ${at(3)}, updated_at = ${at(2)}
         WHERE id = $1::uuid
         RETURNING ${JOB_COLUMNS}`,
        [p.id, p.canceledAt, p.completedAt],
      ),
    );
    return r && mapJob(r);
  },
);
