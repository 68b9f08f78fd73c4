// The reconciler's queries (spec §2.1–2.9): the snapshot set, the pending-job cancellation and
// the metrics counters. Written from the spec's definitions; every ORDER BY documents the order
// the port may rely on, since upstream leaves several of these unordered.
import type { Instant } from "../../clock/types.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../constants.ts";
import type { RawRow } from "../driver.ts";
import type {
  CanceledPrebuildJobRow,
  InProgressPrebuildRow,
  PendingPrebuildRow,
  PrebuildMetricsRow,
  PrebuildStatus,
  PresetAtFailureLimitRow,
  PresetBackoffRow,
  PresetPrebuildScheduleRow,
  RunningPrebuildRow,
  TemplatePresetRow,
  WorkspaceTransition,
} from "../rows.ts";
import { at, bool, defineQuery, instant, instantOrNull, int, intOrNull, text, textOrNull } from "./sql.ts";

const P_USER = `'${PREBUILDS_SYSTEM_USER_ID}'::uuid`;

/** §2.1. Inactive versions, deleted and deprecated templates are included on purpose. */
export const getTemplatePresetsWithPrebuilds = defineQuery(
  "GetTemplatePresetsWithPrebuilds",
  async (q, templateId: string | null): Promise<TemplatePresetRow[]> => {
    const rows = await q.query(
      `SELECT
         t.id AS template_id, t.name AS template_name,
         o.id AS organization_id, o.name AS organization_name,
         tv.id AS template_version_id, tv.name AS template_version_name,
         tv.id = t.active_version_id AS using_active_version,
         tvp.id, tvp.name, tvp.desired_instances, tvp.scheduling_timezone,
         tvp.invalidate_after_secs AS ttl, tvp.prebuild_status, tvp.last_invalidated_at,
         t.deleted, t.deprecated <> '' AS deprecated
       FROM templates t
       JOIN template_versions tv ON tv.template_id = t.id
       JOIN template_version_presets tvp ON tvp.template_version_id = tv.id
       JOIN organizations o ON o.id = t.organization_id
       WHERE tvp.desired_instances IS NOT NULL
         AND ($1::uuid IS NULL OR t.id = $1::uuid)
       ORDER BY t.name, t.id, tv.created_at, tv.id, tvp.name, tvp.id`,
      [templateId],
    );
    return rows.map(
      (r): TemplatePresetRow => ({
        templateId: text(r.template_id, "template_id"),
        templateName: text(r.template_name, "template_name"),
        organizationId: text(r.organization_id, "organization_id"),
        organizationName: text(r.organization_name, "organization_name"),
        templateVersionId: text(r.template_version_id, "template_version_id"),
        templateVersionName: text(r.template_version_name, "template_version_name"),
        usingActiveVersion: bool(r.using_active_version, "using_active_version"),
        id: text(r.id, "id"),
        name: text(r.name, "name"),
        desiredInstances: intOrNull(r.desired_instances, "desired_instances"),
        schedulingTimezone: text(r.scheduling_timezone, "scheduling_timezone"),
        ttl: intOrNull(r.ttl, "ttl"),
        prebuildStatus: text(r.prebuild_status, "prebuild_status") as PrebuildStatus,
        lastInvalidatedAt: instantOrNull(r.last_invalidated_at, "last_invalidated_at"),
        deleted: bool(r.deleted, "deleted"),
        deprecated: bool(r.deprecated, "deprecated"),
      }),
    );
  },
);

export function mapSchedule(r: RawRow): PresetPrebuildScheduleRow {
  return {
    id: text(r.id, "id"),
    presetId: text(r.preset_id, "preset_id"),
    cronExpression: text(r.cron_expression, "cron_expression"),
    desiredInstances: int(r.desired_instances, "desired_instances"),
  };
}

/**
 * §2.2. Order: by preset, then schedule id. Upstream returns heap order and takes the first
 * matching schedule; schedules of one preset that overlap are rejected before matching (spec
 * §3.5.1 step 4), so at most one matches and this order is not observable.
 */
export const getActivePresetPrebuildSchedules = defineQuery(
  "GetActivePresetPrebuildSchedules",
  async (q): Promise<PresetPrebuildScheduleRow[]> => {
    const rows = await q.query(
      `SELECT s.id, s.preset_id, s.cron_expression, s.desired_instances
       FROM template_version_preset_prebuild_schedules s
       JOIN template_version_presets tvp ON tvp.id = s.preset_id
       JOIN template_versions tv ON tv.id = tvp.template_version_id
       JOIN templates t ON t.id = tv.template_id
       WHERE t.active_version_id = tv.id AND t.deleted = false AND t.deprecated = ''
       ORDER BY s.preset_id, s.id`,
    );
    return rows.map(mapSchedule);
  },
);

/**
 * §2.3. Running = owned by the prebuilds user, not deleted, latest build a succeeded start.
 * current_preset_id: preset of the highest-numbered START build having one. ready: every
 * non-deleted TOP-LEVEL agent of the latest build is ready (false without such agents).
 */
export const getRunningPrebuiltWorkspaces = defineQuery(
  "GetRunningPrebuiltWorkspaces",
  async (q): Promise<RunningPrebuildRow[]> => {
    const rows = await q.query(
      `SELECT
         p.id, p.name, p.template_id, p.template_version_id,
         -- The latest build is a start: when it has a preset it is the highest-numbered start
         -- build having one, and the other builds need not be read (a CASE evaluates its
         -- subquery only for the rows that reach it).
         CASE WHEN p.template_version_preset_id IS NOT NULL THEN p.template_version_preset_id
         ELSE (
           SELECT wb.template_version_preset_id
           FROM workspace_builds wb
           WHERE wb.workspace_id = p.id AND wb.transition = 'start' AND wb.template_version_preset_id IS NOT NULL
           ORDER BY wb.build_number DESC
           LIMIT 1
         ) END AS current_preset_id,
         coalesce(readiness.ready, false) AS ready,
         p.created_at
       FROM (
         SELECT w.id, w.name, w.template_id, w.created_at, wlb.template_version_id, wlb.job_id,
                wlb.template_version_preset_id
         FROM workspace_latest_builds wlb
         JOIN workspaces w ON w.id = wlb.workspace_id
         WHERE wlb.transition = 'start'
           AND wlb.job_status = 'succeeded'
           AND w.owner_id = ${P_USER}
           AND w.deleted = false
       ) p
       LEFT JOIN LATERAL (
         -- Per resource of the build, its agents through their resource_id index. OFFSET 0 keeps
         -- the planner from flattening this into one join: without statistics (PGlite runs no
         -- autovacuum) it guesses "parent_id IS NULL" keeps 0.5% of agents and would scan every
         -- agent ever created once per running prebuild.
         SELECT bool_and(a.lifecycle_state = 'ready') AS ready
         FROM workspace_resources wr
         CROSS JOIN LATERAL (
           SELECT wa.lifecycle_state FROM workspace_agents wa
           WHERE wa.resource_id = wr.id AND wa.deleted = false AND wa.parent_id IS NULL
           OFFSET 0
         ) a
         WHERE wr.job_id = p.job_id
       ) readiness ON true
       ORDER BY p.id`,
    );
    return rows.map(
      (r): RunningPrebuildRow => ({
        id: text(r.id, "id"),
        name: text(r.name, "name"),
        templateId: text(r.template_id, "template_id"),
        templateVersionId: text(r.template_version_id, "template_version_id"),
        currentPresetId: textOrNull(r.current_preset_id, "current_preset_id"),
        ready: bool(r.ready, "ready"),
        createdAt: instant(r.created_at, "created_at"),
      }),
    );
  },
);

/**
 * §2.4. Latest builds initiated by the prebuilds user, on their template's ACTIVE version, with
 * the job pending or running (not canceling). Ownership is not checked: it keys on initiator.
 *
 * Written from the unfinished jobs (a partial index) rather than from workspace_latest_builds,
 * which walks every live workspace — claimed ones included, so a cost growing with history — to
 * find the few whose latest build is in progress. The same rows: the job's build (unique per job)
 * counts when it is its live workspace's highest-numbered one, which is what the view's row is.
 * The OFFSET 0 and the scalar max() keep both lookups one index probe per unfinished job, whatever
 * the planner guesses without statistics.
 */
export const countInProgressPrebuilds = defineQuery(
  "CountInProgressPrebuilds",
  async (q): Promise<InProgressPrebuildRow[]> => {
    const rows = await q.query(
      `SELECT t.id AS template_id, b.template_version_id, b.transition,
              b.template_version_preset_id AS preset_id, count(*)::int AS count
       FROM provisioner_jobs pj
       CROSS JOIN LATERAL (
         SELECT wb.workspace_id, wb.build_number, wb.template_version_id, wb.transition,
                wb.template_version_preset_id, wb.initiator_id
         FROM workspace_builds wb
         WHERE wb.job_id = pj.id
         OFFSET 0
       ) b
       JOIN workspaces w ON w.id = b.workspace_id
       JOIN templates t ON t.active_version_id = b.template_version_id
       WHERE pj.job_status IN ('pending', 'running')
         AND b.initiator_id = ${P_USER}
         AND w.deleted = false
         AND b.build_number = (
           SELECT max(later.build_number) FROM workspace_builds later WHERE later.workspace_id = b.workspace_id
         )
       GROUP BY t.id, b.template_version_id, b.transition, b.template_version_preset_id
       ORDER BY t.id, b.template_version_id, b.transition, b.template_version_preset_id`,
    );
    return rows.map(
      (r): InProgressPrebuildRow => ({
        templateId: text(r.template_id, "template_id"),
        templateVersionId: text(r.template_version_id, "template_version_id"),
        transition: text(r.transition, "transition") as WorkspaceTransition,
        presetId: textOrNull(r.preset_id, "preset_id"),
        count: int(r.count, "count"),
      }),
    );
  },
);

/**
 * The jobs §2.5 counts and §2.6 cancels: creation builds (build #1, start) made by the reconciler
 * on a version that is no longer the template's active one, still untouched in the queue.
 * Workspace `deleted` is not checked, as upstream.
 */
const PENDING_NON_ACTIVE = `
  wpb.template_version_id <> t.active_version_id
  AND wpb.build_number = 1
  AND wpb.transition = 'start'
  AND pj.job_status = 'pending'
  AND pj.worker_id IS NULL
  AND pj.canceled_at IS NULL
  AND pj.completed_at IS NULL`;

/**
 * §2.5. Walks the pending jobs (their partial index) and finds each one's build through the
 * unique job_id, the OFFSET 0 fence keeping that one index probe per job: joined the other way, the
 * planner (no statistics in PGlite) scanned every pending job for every prebuild's first build,
 * a cost of queue length × prebuilds — 13 s a call with 1,000 presets and a 4,000-job backlog.
 * The same rows as the view's join (`wpb` is workspace_prebuild_builds' filter spelled out).
 */
export const countPendingNonActivePrebuilds = defineQuery(
  "CountPendingNonActivePrebuilds",
  async (q): Promise<PendingPrebuildRow[]> => {
    const rows = await q.query(
      `SELECT wpb.template_version_preset_id AS preset_id, count(*)::int AS count
       FROM provisioner_jobs pj
       CROSS JOIN LATERAL (
         SELECT wb.workspace_id, wb.template_version_id, wb.template_version_preset_id,
                wb.build_number, wb.transition
         FROM workspace_builds wb
         WHERE wb.job_id = pj.id AND wb.initiator_id = ${P_USER}
         OFFSET 0
       ) wpb
       JOIN workspaces w ON w.id = wpb.workspace_id
       JOIN templates t ON t.id = w.template_id
       WHERE ${PENDING_NON_ACTIVE}
       GROUP BY wpb.template_version_preset_id
       ORDER BY wpb.template_version_preset_id`,
    );
    return rows.map(
      (r): PendingPrebuildRow => ({
        presetId: textOrNull(r.preset_id, "preset_id"),
        count: int(r.count, "count"),
      }),
    );
  },
);

/**
 * §2.6. Cancels (canceled_at = completed_at = now) exactly the §2.5 jobs of one preset; the
 * filter is evaluated when it runs, so a job a provisioner took meanwhile is left alone.
 * Returns the canceled jobs ordered by job id.
 */
export const updatePrebuildProvisionerJobWithCancel = defineQuery(
  "UpdatePrebuildProvisionerJobWithCancel",
  async (q, params: { now: Instant; presetId: string }): Promise<CanceledPrebuildJobRow[]> => {
    const rows = await q.query(
      `WITH canceled AS (
         UPDATE provisioner_jobs pj
         SET canceled_at = ${at(1)}, completed_at = ${at(1)}, updated_at = ${at(1)}
         FROM workspace_prebuild_builds wpb
         JOIN workspaces w ON w.id = wpb.workspace_id
         JOIN templates t ON t.id = w.template_id
         WHERE pj.id = wpb.job_id
           AND wpb.template_version_preset_id = $2::uuid
           AND ${PENDING_NON_ACTIVE}
         RETURNING pj.id, w.id AS workspace_id, t.id AS template_id, wpb.template_version_preset_id
       )
       SELECT id, workspace_id, template_id, template_version_preset_id FROM canceled ORDER BY id`,
      [params.now, params.presetId],
    );
    return rows.map(
      (r): CanceledPrebuildJobRow => ({
        id: text(r.id, "id"),
        workspaceId: text(r.workspace_id, "workspace_id"),
        templateId: text(r.template_id, "template_id"),
        templateVersionPresetId: textOrNull(r.template_version_preset_id, "template_version_preset_id"),
      }),
    );
  },
);

/**
 * The latest START builds of live prebuilds (owner = prebuilds user) on their template's active
 * version, for presets with a prebuild configuration, numbered per preset from the most recent
 * (rn = 1). Shared by §2.7 (which also drops soft-deleted templates) and §2.8 (which does not).
 * Builds with the same created_at are numbered by insertion, the later insert first: upstream's
 * microsecond created_at never ties and orders them so, our whole milliseconds do (README Fidelity).
 */
function rankedLatestPrebuildStarts(excludeDeletedTemplates: boolean): string {
  return `
    filtered_builds AS (
      SELECT wlb.template_version_id, wlb.created_at, wlb.insert_order, tvp.id AS preset_id,
             wlb.job_status, tvp.desired_instances
      FROM template_version_presets tvp
      JOIN workspace_latest_builds wlb ON wlb.template_version_preset_id = tvp.id
      JOIN workspaces w ON w.id = wlb.workspace_id
      JOIN template_versions tv ON tv.id = wlb.template_version_id
      JOIN templates t ON t.id = tv.template_id AND t.active_version_id = tv.id
      WHERE tvp.desired_instances IS NOT NULL
        AND wlb.transition = 'start'
        AND w.owner_id = ${P_USER}
        -- Implied by the view (it has live workspaces only); stated so the planner reaches w
        -- through the partial index of live workspaces instead of scanning every workspace.
        AND w.deleted = false
        ${excludeDeletedTemplates ? "AND t.deleted = false" : ""}
    ),
    ranked AS (
      SELECT fb.*, row_number() OVER (PARTITION BY fb.preset_id ORDER BY fb.created_at DESC, fb.insert_order DESC) AS rn
      FROM filtered_builds fb
    )`;
}

/**
 * §2.7. A preset is in backoff when one of its `desired_instances` most recent latest-start
 * builds failed within the lookback. num_failed counts ALL failed rows within the lookback;
 * last_build_at is the newest failed build among the windowed ones.
 *
 * The SQL returns every failed ranked row and the lookback is applied here, so the statement has
 * no parameter: the snapshot it belongs to runs on every replica's metrics refresh each minute,
 * and a parameter that is a new instant on every call would make it the only snapshot query the
 * session's read cache could never answer. Same rows as applying the lookback in SQL: timestamps
 * come back as the same whole milliseconds the lookback is given in.
 */
export const getPresetsBackoff = defineQuery(
  "GetPresetsBackoff",
  async (q, lookback: Instant): Promise<PresetBackoffRow[]> => {
    const rows = await q.query(
      `WITH ${rankedLatestPrebuildStarts(true)}
       SELECT r.template_version_id, r.preset_id, r.created_at, r.rn <= r.desired_instances AS windowed
       FROM ranked r
       WHERE r.job_status = 'failed'
       ORDER BY r.preset_id, r.template_version_id, r.created_at, r.insert_order`,
    );
    const failed = rows
      .map((r) => ({
        templateVersionId: text(r.template_version_id, "template_version_id"),
        presetId: text(r.preset_id, "preset_id"),
        createdAt: instant(r.created_at, "created_at"),
        windowed: r.windowed === true,
      }))
      .filter((r) => r.createdAt >= lookback);
    const numFailed = new Map<string, number>();
    for (const r of failed) numFailed.set(r.presetId, (numFailed.get(r.presetId) ?? 0) + 1);
    // One row per (preset, version) with a windowed failure; rows arrive ordered by preset, version.
    const out: PresetBackoffRow[] = [];
    for (const r of failed) {
      if (!r.windowed) continue;
      const last = out.at(-1);
      if (
        last !== undefined &&
        last.presetId === r.presetId &&
        last.templateVersionId === r.templateVersionId
      ) {
        last.lastBuildAt = Math.max(last.lastBuildAt, r.createdAt);
        continue;
      }
      out.push({
        templateVersionId: r.templateVersionId,
        presetId: r.presetId,
        numFailed: numFailed.get(r.presetId) ?? 0,
        lastBuildAt: r.createdAt,
      });
    }
    return out;
  },
);

/**
 * §2.8. Presets whose `hard_limit` most recent latest-start builds all failed. Fewer rows than
 * the limit never qualify; limit 0 returns nothing (no row passes `rn <= 0`).
 */
export const getPresetsAtFailureLimit = defineQuery(
  "GetPresetsAtFailureLimit",
  async (q, hardLimit: number): Promise<PresetAtFailureLimitRow[]> => {
    const rows = await q.query(
      `WITH ${rankedLatestPrebuildStarts(false)}
       SELECT r.template_version_id, r.preset_id
       FROM ranked r
       WHERE r.rn <= $1::bigint AND r.job_status = 'failed'
       GROUP BY r.template_version_id, r.preset_id
       HAVING count(*) = $1::bigint
       ORDER BY r.preset_id`,
      [hardLimit],
    );
    return rows.map(
      (r): PresetAtFailureLimitRow => ({
        templateVersionId: text(r.template_version_id, "template_version_id"),
        presetId: text(r.preset_id, "preset_id"),
      }),
    );
  },
);

/**
 * §2.9. Counters derived from state: every prebuild workspace ever created (deleted ones too),
 * through its build #1, for templates that are not soft-deleted.
 *
 * The only snapshot-time query whose cost grows with history (one row per prebuild ever made), so
 * it counts per (template, organization, preset) id with the lookups each row needs, and only
 * then joins the few resulting groups to their names — rather than looking up template, preset and
 * organization once per row. Summing the id groups per name gives the same counts.
 * Failures are counted from the failed jobs (a partial index, migration 008) and added to their
 * group, instead of looking up the job of every prebuild ever made: the job join removed no row
 * (job_id is NOT NULL and references a job), and every failed row is a row of its group (the
 * builds of workspace_prebuild_builds are those the prebuilds user initiated). The failed rows
 * go into the same grouping as the created ones (UNION ALL): a left join of the two grouped lists
 * on three keys was planned, without statistics, as a nested loop of every group against every
 * failed group — presets × failing presets a call (issue #19). Every failed row has its group
 * among the created rows, so the groups and their sums are the same.
 */
export const getPrebuildMetrics = defineQuery(
  "GetPrebuildMetrics",
  async (q): Promise<PrebuildMetricsRow[]> => {
    const rows = await q.query(
      `WITH counted AS (
         SELECT w.template_id, w.organization_id, wpb.template_version_preset_id AS preset_id,
                1 AS created, (w.owner_id <> ${P_USER})::int AS claimed, 0 AS failed
         FROM workspace_prebuild_builds wpb
         JOIN workspaces w ON w.id = wpb.workspace_id
         WHERE wpb.build_number = 1
         UNION ALL
         SELECT w.template_id, w.organization_id, wpb.template_version_preset_id, 0, 0, 1
         -- Each failed job (their partial index), then its build through the unique job_id index:
         -- the OFFSET 0 fences keep the conditions on initiator and build number outside, so a
         -- plan made without statistics cannot walk the prebuilds' builds once per failed job.
         FROM (SELECT id FROM provisioner_jobs WHERE job_status = 'failed' OFFSET 0) pj
         CROSS JOIN LATERAL (
           SELECT wb.workspace_id, wb.template_version_preset_id, wb.initiator_id, wb.build_number
           FROM workspace_builds wb
           WHERE wb.job_id = pj.id
           OFFSET 0
         ) wpb
         JOIN workspaces w ON w.id = wpb.workspace_id
         WHERE wpb.initiator_id = ${P_USER} AND wpb.build_number = 1
       ),
       per_id AS (
         SELECT template_id, organization_id, preset_id,
                sum(created) AS created_count, sum(claimed) AS claimed_count, sum(failed) AS failed_count
         FROM counted
         GROUP BY template_id, organization_id, preset_id
       )
       SELECT t.name AS template_name, tvp.name AS preset_name, o.name AS organization_name,
              sum(c.created_count)::int AS created_count,
              sum(c.failed_count)::int AS failed_count,
              sum(c.claimed_count)::int AS claimed_count
       FROM per_id c
       JOIN templates t ON t.id = c.template_id
       JOIN template_version_presets tvp ON tvp.id = c.preset_id
       JOIN organizations o ON o.id = c.organization_id
       WHERE t.deleted = false
       GROUP BY t.name, tvp.name, o.name
       ORDER BY t.name, tvp.name, o.name`,
    );
    return rows.map(
      (r): PrebuildMetricsRow => ({
        templateName: text(r.template_name, "template_name"),
        presetName: text(r.preset_name, "preset_name"),
        organizationName: text(r.organization_name, "organization_name"),
        createdCount: int(r.created_count, "created_count"),
        failedCount: int(r.failed_count, "failed_count"),
        claimedCount: int(r.claimed_count, "claimed_count"),
      }),
    );
  },
);
