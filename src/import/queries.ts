// The SQL `prebuildsim import` runs on a Coder database, and prints for `psql \copy` (the CSV path).
// Both paths run these exact texts, so they read the same rows: every column is cast to text here
// (timestamps as UTC ISO-8601 with milliseconds, booleans as true/false), which is also what psql
// writes into a CSV file. Only SELECTs, on Coder's own tables and columns as coder/coder's
// coderd/database/dump.sql has them (read at commit 0001d5018f99, 2026; each column checked there).
// No query calls now() or reads the clock: the window is given, or derived from the rows.

import type { Instant } from "../clock/types.ts";
import { PREBUILDS_SETTINGS_KEY, PREBUILDS_SYSTEM_USER_ID } from "../db/constants.ts";
import { formatIsoInstant } from "../scenario/isoTime.ts";

/** What the user narrowed the import to; absent = everything the database holds. */
export interface ImportFilter {
  readonly since?: Instant | undefined;
  readonly until?: Instant | undefined;
  readonly organization?: string | undefined;
  readonly templates?: readonly string[] | undefined;
}

export interface ImportQuery {
  /** The CSV file psql writes it to (`--from-csv DIR` reads `DIR/<file>`). */
  readonly file: string;
  /** Its columns, in order: a CSV must have each of them in its header. */
  readonly columns: readonly string[];
  /** One line of SQL (psql's `\copy` takes its query on one line). */
  readonly sql: string;
}

/** Coder's tables the import reads; a database without one of them is not a Coder database with prebuilds. */
export const REQUIRED_TABLES = [
  "organizations",
  "templates",
  "template_versions",
  "template_version_parameters",
  "template_version_presets",
  "template_version_preset_parameters",
  "template_version_preset_prebuild_schedules",
  "workspaces",
  "workspace_builds",
  "provisioner_jobs",
  "workspace_resources",
  "workspace_agents",
  "site_configs",
] as const;

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function isoText(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The selected templates (not deleted), by organization and name when asked. */
function templateCondition(f: ImportFilter): string {
  const parts = ["t.deleted = false"];
  if (f.organization !== undefined) parts.push(`o.name = ${literal(f.organization)}`);
  if (f.templates !== undefined && f.templates.length > 0)
    parts.push(`t.name IN (${f.templates.map(literal).join(", ")})`);
  return parts.join(" AND ");
}

const SELECTED_TEMPLATES = (f: ImportFilter) =>
  `SELECT t.id FROM templates t JOIN organizations o ON o.id = t.organization_id WHERE ${templateCondition(f)}`;

/**
 * The window's bounds as SQL expressions: as given, or from the workspace build jobs of the
 * selected templates (the first one's hour to the hour after the last one), never from the clock.
 */
function windowBounds(f: ImportFilter): { since: string; until: string } {
  const jobs = `FROM provisioner_jobs pj JOIN workspace_builds wb ON wb.job_id = pj.id JOIN workspaces w ON w.id = wb.workspace_id WHERE w.template_id IN (${SELECTED_TEMPLATES(f)})`;
  const since =
    f.since !== undefined
      ? `${literal(formatIsoInstant(f.since))}::timestamptz`
      : `(SELECT date_trunc('hour', min(pj.created_at)) ${jobs})`;
  const until =
    f.until !== undefined
      ? `${literal(formatIsoInstant(f.until))}::timestamptz`
      : `(SELECT date_trunc('hour', max(pj.created_at)) + interval '1 hour' ${jobs})`;
  return { since, until };
}

/** The queries in the order they run; the files are named after what they hold. */
export function importQueries(f: ImportFilter): readonly ImportQuery[] {
  const { since, until } = windowBounds(f);
  const inWindow = (column: string) => `${column} >= ${since} AND ${column} < ${until}`;
  const selected = SELECTED_TEMPLATES(f);
  // Versions worth simulating: each template's active one, and those built in the window.
  const versions = `SELECT tv.id FROM template_versions tv JOIN templates t ON t.id = tv.template_id WHERE tv.template_id IN (${selected}) AND (tv.id = t.active_version_id OR EXISTS (SELECT 1 FROM workspace_builds wb JOIN provisioner_jobs pj ON pj.id = wb.job_id WHERE wb.template_version_id = tv.id AND ${inWindow("pj.created_at")}))`;
  const presets = `SELECT p.id FROM template_version_presets p WHERE p.template_version_id IN (${versions})`;
  return [
    {
      file: "window.csv",
      columns: ["since", "until"],
      sql: `SELECT ${isoText(since)} AS since, ${isoText(until)} AS until`,
    },
    {
      file: "templates.csv",
      columns: [
        "template_id",
        "template_name",
        "organization_name",
        "organization_is_default",
        "active_version_id",
        "deprecated",
      ],
      sql: `SELECT t.id::text AS template_id, t.name::text AS template_name, o.name AS organization_name, o.is_default::text AS organization_is_default, t.active_version_id::text AS active_version_id, t.deprecated FROM templates t JOIN organizations o ON o.id = t.organization_id WHERE ${templateCondition(f)} ORDER BY o.name, t.name, t.id`,
    },
    {
      file: "versions.csv",
      columns: ["version_id", "template_id", "version_name", "created_at"],
      sql: `SELECT tv.id::text AS version_id, tv.template_id::text AS template_id, tv.name::text AS version_name, ${isoText("tv.created_at")} AS created_at FROM template_versions tv WHERE tv.id IN (${versions}) ORDER BY tv.template_id, tv.created_at, tv.id`,
    },
    {
      file: "parameters.csv",
      columns: ["version_id", "name", "default_value", "required", "mutable"],
      sql: `SELECT tvp.template_version_id::text AS version_id, tvp.name, tvp.default_value, tvp.required::text AS required, tvp.mutable::text AS mutable FROM template_version_parameters tvp WHERE tvp.template_version_id IN (${versions}) ORDER BY tvp.template_version_id, tvp.display_order, tvp.name`,
    },
    {
      file: "presets.csv",
      columns: [
        "preset_id",
        "version_id",
        "preset_name",
        "desired_instances",
        "invalidate_after_secs",
        "scheduling_timezone",
        "prebuild_status",
      ],
      sql: `SELECT p.id::text AS preset_id, p.template_version_id::text AS version_id, p.name AS preset_name, p.desired_instances::text AS desired_instances, p.invalidate_after_secs::text AS invalidate_after_secs, p.scheduling_timezone, p.prebuild_status::text AS prebuild_status FROM template_version_presets p WHERE p.id IN (${presets}) ORDER BY p.template_version_id, p.name, p.id`,
    },
    {
      file: "preset_parameters.csv",
      columns: ["preset_id", "name", "value"],
      sql: `SELECT pp.template_version_preset_id::text AS preset_id, pp.name, pp.value FROM template_version_preset_parameters pp WHERE pp.template_version_preset_id IN (${presets}) ORDER BY pp.template_version_preset_id, pp.name`,
    },
    {
      file: "schedules.csv",
      columns: ["preset_id", "cron_expression", "desired_instances"],
      sql: `SELECT s.preset_id::text AS preset_id, s.cron_expression, s.desired_instances::text AS desired_instances FROM template_version_preset_prebuild_schedules s WHERE s.preset_id IN (${presets}) ORDER BY s.preset_id, s.cron_expression, s.id`,
    },
    {
      // Every workspace build whose job was created in the window: who started it (the prebuilds
      // user or a person), whether the workspace's previous build was the prebuilds user's (a
      // person's start after it is a claim), the job's times and status, and when the build's
      // top-level agents were all ready.
      file: "builds.csv",
      columns: [
        "build_id",
        "workspace_id",
        "template_id",
        "version_id",
        "preset_id",
        "build_number",
        "transition",
        "initiator_id",
        "by_prebuilds",
        "previous_by_prebuilds",
        "job_created_at",
        "job_started_at",
        "job_completed_at",
        "job_status",
        "worker_id",
        "agents_ready_at",
      ],
      sql: `SELECT wb.id::text AS build_id, wb.workspace_id::text AS workspace_id, w.template_id::text AS template_id, wb.template_version_id::text AS version_id, wb.template_version_preset_id::text AS preset_id, wb.build_number::text AS build_number, wb.transition::text AS transition, wb.initiator_id::text AS initiator_id, (wb.initiator_id = '${PREBUILDS_SYSTEM_USER_ID}'::uuid)::text AS by_prebuilds, (prev.initiator_id = '${PREBUILDS_SYSTEM_USER_ID}'::uuid)::text AS previous_by_prebuilds, ${isoText("pj.created_at")} AS job_created_at, ${isoText("pj.started_at")} AS job_started_at, ${isoText("pj.completed_at")} AS job_completed_at, pj.job_status::text AS job_status, pj.worker_id::text AS worker_id, (SELECT CASE WHEN count(*) > 0 AND bool_and(wa.ready_at IS NOT NULL) THEN ${isoText("max(wa.ready_at)")} END FROM workspace_resources wr JOIN workspace_agents wa ON wa.resource_id = wr.id WHERE wr.job_id = pj.id AND wa.parent_id IS NULL AND wa.deleted = false) AS agents_ready_at FROM workspace_builds wb JOIN provisioner_jobs pj ON pj.id = wb.job_id JOIN workspaces w ON w.id = wb.workspace_id LEFT JOIN workspace_builds prev ON prev.workspace_id = wb.workspace_id AND prev.build_number = wb.build_number - 1 WHERE w.template_id IN (${selected}) AND ${inWindow("pj.created_at")} ORDER BY pj.created_at, wb.id`,
    },
    {
      file: "settings.csv",
      columns: ["key", "value"],
      sql: `SELECT sc.key::text AS key, sc.value FROM site_configs sc WHERE sc.key = ${literal(PREBUILDS_SETTINGS_KEY)} ORDER BY sc.key`,
    },
  ];
}

/**
 * The psql script `--print-queries` prints: one read-only transaction, one `\copy` per file into
 * the current directory. `psql "$URL" -f queries.psql` then `prebuildsim import --from-csv .`.
 */
export function psqlScript(f: ImportFilter): string {
  const lines = [
    "-- prebuildsim import: the queries of the CSV path. Run in an empty directory with",
    '--   psql "$CODER_DATABASE_URL" -v ON_ERROR_STOP=1 -f this-file.psql',
    "-- then: prebuildsim import --from-csv . --out scenario.yaml",
    "-- Read-only: one transaction, only SELECTs on Coder's own tables.",
    "BEGIN TRANSACTION READ ONLY;",
  ];
  for (const q of importQueries(f)) lines.push(`\\copy (${q.sql}) TO '${q.file}' WITH (FORMAT csv, HEADER)`);
  lines.push("COMMIT;");
  return `${lines.join("\n")}\n`;
}
