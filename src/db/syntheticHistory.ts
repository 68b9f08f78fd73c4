// A large, realistic deployment history written with set-based SQL in one statement batch, for
// the snapshot benchmark and the reset tests: thousands of builds in milliseconds, where the
// fixture builder (one round trip per row) would take minutes.
//
// Shape (per 20 workspaces, in rotation): 10 prebuilds created then deleted by the reconciler,
// 5 prebuilds claimed by users (then stopped), 2 user workspaces created and deleted, 1 failed
// prebuild, 1 user workspace started and stopped, 1 running prebuild with a ready agent. As in a
// real deployment, almost everything old is deleted: only the newest `liveTail` workspaces of
// each kind are still live, so the live set stays bounded while the history grows. Presets
// rotate over 3 templates × 3 versions (the last one active) × 2 presets.
// Ids are md5-derived UUIDs and times fixed offsets from `end`: the same input, the same rows.
import type { Duration, Instant } from "../clock/types.ts";
import { DEFAULT_ORGANIZATION_ID, PREBUILDS_SYSTEM_USER_ID } from "./constants.ts";
import type { SqlDriver } from "./driver.ts";

export interface SyntheticHistoryOptions {
  /** About this many workspace builds are written. */
  builds: number;
  /** The newest workspace is created one `spacing` before this instant. */
  end: Instant;
  /** Time between two workspace creations (default one minute). */
  spacing?: Duration;
  /** How many of the newest workspaces of each kind stay live (default 20). */
  liveTail?: number;
  /**
   * A provisioner backlog on top: this many live prebuilds whose first start build's job is still
   * pending, on the active version (default 0).
   */
  pendingPrebuilds?: number;
  /** Run ANALYZE at the end (default true); a simulation's PGlite never does. */
  analyze?: boolean;
}

export interface SyntheticHistory {
  workspaces: number;
  builds: number;
  presets: number;
  liveWorkspaces: number;
}

/** Builds per 20 workspaces of the rotation (see the file comment). */
const BUILDS_PER_ROTATION = 10 * 2 + 5 * 3 + 2 * 2 + 1 + 2 + 2;

export async function writeSyntheticHistory(
  driver: SqlDriver,
  options: SyntheticHistoryOptions,
): Promise<SyntheticHistory> {
  const workspaces = Math.max(20, Math.round((options.builds * 20) / BUILDS_PER_ROTATION));
  const spacing = options.spacing ?? 60_000;
  const liveTail = options.liveTail ?? 20;
  const pending = options.pendingPrebuilds ?? 0;
  const start = options.end - workspaces * spacing;
  const P = `'${PREBUILDS_SYSTEM_USER_ID}'::uuid`;
  const ORG = `'${DEFAULT_ORGANIZATION_ID}'::uuid`;
  const ts = (ms: string) => `to_timestamp((${ms})::float8 / 1000)`;
  await driver.transaction(async (tx) => {
    await tx.exec(`
      INSERT INTO users (id, email, username, created_at, updated_at)
      SELECT md5('user:' || u)::uuid, 'user' || u || '@example.com', 'user' || u, ${ts(String(start))}, ${ts(String(start))}
      FROM generate_series(1, 50) u;
      INSERT INTO organization_members (organization_id, user_id, created_at, updated_at)
      SELECT ${ORG}, md5('user:' || u)::uuid, ${ts(String(start))}, ${ts(String(start))} FROM generate_series(1, 50) u;

      INSERT INTO templates (id, organization_id, name, active_version_id, created_by, created_at, updated_at)
      SELECT md5('template:' || t)::uuid, ${ORG}, 'template-' || t, md5('version:' || t || ':3')::uuid, ${P},
             ${ts(String(start))}, ${ts(String(start))}
      FROM generate_series(1, 3) t;
      INSERT INTO template_versions (id, template_id, organization_id, name, created_by, created_at, updated_at)
      SELECT md5('version:' || t || ':' || v)::uuid, md5('template:' || t)::uuid, ${ORG}, 'v' || v, ${P},
             ${ts(`${start} + v * 1000`)}, ${ts(`${start} + v * 1000`)}
      FROM generate_series(1, 3) t, generate_series(1, 3) v;
      INSERT INTO template_version_presets (id, template_version_id, name, desired_instances, created_at)
      SELECT md5('preset:' || t || ':' || v || ':' || p)::uuid, md5('version:' || t || ':' || v)::uuid, 'preset-' || p,
             2, ${ts(String(start))}
      FROM generate_series(1, 3) t, generate_series(1, 3) v, generate_series(1, 2) p;
      INSERT INTO template_version_preset_parameters (id, template_version_preset_id, name, value)
      SELECT md5('preset-param:' || t || ':' || v || ':' || p)::uuid, md5('preset:' || t || ':' || v || ':' || p)::uuid,
             'size', 'size-' || p
      FROM generate_series(1, 3) t, generate_series(1, 3) v, generate_series(1, 2) p;

      -- One row per workspace: its kind in the rotation, preset, owner and whether it is still live.
      CREATE TEMP TABLE synthetic_workspaces ON COMMIT DROP AS
      SELECT i,
             CASE WHEN i % 20 < 10 THEN 'prebuild_deleted'
                  WHEN i % 20 < 15 THEN 'claimed'
                  WHEN i % 20 < 17 THEN 'user_deleted'
                  WHEN i % 20 = 17 THEN 'prebuild_failed'
                  WHEN i % 20 = 18 THEN 'user_stopped'
                  ELSE 'prebuild_running' END AS kind,
             1 + i % 3 AS t,
             -- Older workspaces were built on older versions: the newest third on the active one.
             CASE WHEN i > ${workspaces} * 2 / 3 THEN 3 WHEN i > ${workspaces} / 3 THEN 2 ELSE 1 END AS v,
             1 + (i / 3) % 2 AS p,
             md5('user:' || (1 + i % 50))::uuid AS user_id,
             ${start} + i::bigint * ${spacing} AS created_ms,
             -- The newest workspaces of each kind (about liveTail of each) are still live.
             i > ${workspaces} - ${liveTail} * 20 AS recent
      FROM generate_series(1, ${workspaces}) i;

      CREATE TEMP TABLE synthetic_builds ON COMMIT DROP AS
      SELECT w.i, b.n, b.transition::workspace_transition AS transition, b.by_user, b.with_preset, b.failed,
             w.created_ms + (b.n - 1) * 1000 AS created_ms
      FROM synthetic_workspaces w
      JOIN (VALUES
        ('prebuild_deleted', 1, 'start', false, true, false), ('prebuild_deleted', 2, 'delete', false, true, false),
        ('claimed', 1, 'start', false, true, false), ('claimed', 2, 'start', true, true, false),
        ('claimed', 3, 'stop', true, false, false),
        ('user_deleted', 1, 'start', true, false, false), ('user_deleted', 2, 'delete', true, false, false),
        ('prebuild_failed', 1, 'start', false, true, true),
        ('user_stopped', 1, 'start', true, false, false), ('user_stopped', 2, 'stop', true, false, false),
        ('prebuild_running', 1, 'start', false, true, false), ('prebuild_running', 2, 'delete', false, true, false)
      ) AS b(kind, n, transition, by_user, with_preset, failed) ON b.kind = w.kind
      -- A live running prebuild has not been deleted yet.
      WHERE NOT (w.kind = 'prebuild_running' AND w.recent AND b.n = 2);

      INSERT INTO workspaces (id, owner_id, organization_id, template_id, name, deleted, last_used_at, created_at, updated_at)
      SELECT md5('ws:' || i)::uuid,
             CASE WHEN kind IN ('claimed', 'user_deleted', 'user_stopped') THEN user_id ELSE ${P} END,
             ${ORG}, md5('template:' || t)::uuid, 'ws-' || i,
             kind IN ('prebuild_deleted', 'user_deleted') OR NOT recent,
             ${ts("created_ms")}, ${ts("created_ms")}, ${ts("created_ms")}
      FROM synthetic_workspaces;

      INSERT INTO provisioner_jobs (id, organization_id, initiator_id, type, input, started_at, completed_at, error,
                                    worker_id, created_at, updated_at)
      SELECT md5('job:' || b.i || ':' || b.n)::uuid, ${ORG}, CASE WHEN b.by_user THEN w.user_id ELSE ${P} END,
             'workspace_build', '{"orphan": false, "prebuiltWorkspaceBuildStage": "none"}',
             ${ts("b.created_ms")}, ${ts("b.created_ms + 60000")},
             CASE WHEN b.failed THEN 'terraform apply failed' END, md5('worker')::uuid,
             ${ts("b.created_ms")}, ${ts("b.created_ms + 60000")}
      FROM synthetic_builds b JOIN synthetic_workspaces w ON w.i = b.i;

      INSERT INTO workspace_builds (id, workspace_id, template_version_id, build_number, transition, initiator_id, job_id,
                                    template_version_preset_id, created_at, updated_at)
      SELECT md5('build:' || b.i || ':' || b.n)::uuid, md5('ws:' || b.i)::uuid, md5('version:' || w.t || ':' || w.v)::uuid,
             b.n, b.transition, CASE WHEN b.by_user THEN w.user_id ELSE ${P} END, md5('job:' || b.i || ':' || b.n)::uuid,
             CASE WHEN b.with_preset THEN md5('preset:' || w.t || ':' || w.v || ':' || w.p)::uuid END,
             ${ts("b.created_ms")}, ${ts("b.created_ms")}
      FROM synthetic_builds b JOIN synthetic_workspaces w ON w.i = b.i;

      -- Every successful start build got a resource and a ready agent.
      INSERT INTO workspace_resources (id, job_id, transition, type, name, created_at)
      SELECT md5('resource:' || b.i || ':' || b.n)::uuid, md5('job:' || b.i || ':' || b.n)::uuid, 'start',
             'docker_container', 'main', ${ts("b.created_ms + 60000")}
      FROM synthetic_builds b WHERE b.transition = 'start' AND NOT b.failed;
      INSERT INTO workspace_agents (id, resource_id, name, lifecycle_state, started_at, ready_at, created_at, updated_at)
      SELECT md5('agent:' || b.i || ':' || b.n)::uuid, md5('resource:' || b.i || ':' || b.n)::uuid, 'main', 'ready',
             ${ts("b.created_ms + 60000")}, ${ts("b.created_ms + 80000")}, ${ts("b.created_ms + 60000")},
             ${ts("b.created_ms + 80000")}
      FROM synthetic_builds b WHERE b.transition = 'start' AND NOT b.failed;

      -- The backlog: prebuilds created at the end, each one's job waiting for a daemon.
      INSERT INTO workspaces (id, owner_id, organization_id, template_id, name, last_used_at, created_at, updated_at)
      SELECT md5('pending-ws:' || i)::uuid, ${P}, ${ORG}, md5('template:' || (1 + i % 3))::uuid, 'pending-' || i,
             ${ts(String(options.end))}, ${ts(String(options.end))}, ${ts(String(options.end))}
      FROM generate_series(1, ${pending}) i;
      INSERT INTO provisioner_jobs (id, organization_id, initiator_id, type, input, created_at, updated_at)
      SELECT md5('pending-job:' || i)::uuid, ${ORG}, ${P}, 'workspace_build',
             '{"orphan": false, "prebuiltWorkspaceBuildStage": "none"}', ${ts(`${options.end} + i`)},
             ${ts(`${options.end} + i`)}
      FROM generate_series(1, ${pending}) i;
      INSERT INTO workspace_builds (id, workspace_id, template_version_id, build_number, transition, initiator_id, job_id,
                                    template_version_preset_id, created_at, updated_at)
      SELECT md5('pending-build:' || i)::uuid, md5('pending-ws:' || i)::uuid, md5('version:' || (1 + i % 3) || ':3')::uuid,
             1, 'start', ${P}, md5('pending-job:' || i)::uuid, md5('preset:' || (1 + i % 3) || ':3:1')::uuid,
             ${ts(`${options.end} + i`)}, ${ts(`${options.end} + i`)}
      FROM generate_series(1, ${pending}) i;
    `);
  });
  // Planner statistics: PGlite runs no autovacuum (so no auto-analyze) — a deployment's would.
  if (options.analyze ?? true) await driver.exec("ANALYZE");
  const [counts] = await driver.query(
    `SELECT (SELECT count(*) FROM workspaces)::int AS workspaces,
            (SELECT count(*) FROM workspace_builds)::int AS builds,
            (SELECT count(*) FROM template_version_presets)::int AS presets,
            (SELECT count(*) FROM workspaces WHERE deleted = false)::int AS live`,
  );
  return {
    workspaces: Number(counts?.workspaces),
    builds: Number(counts?.builds),
    presets: Number(counts?.presets),
    liveWorkspaces: Number(counts?.live),
  };
}
