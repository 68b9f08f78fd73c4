// The database as the run left it, read once after the last step: the liveness checks and the
// summary judge the outcome from these rows, not from what the reconciler believed.
import type { Instant } from "../clock/types.ts";
import type { SqlExecutor } from "../db/driver.ts";
import type { PrebuildStatus, ProvisionerJobStatus, WorkspaceTransition } from "../db/rows.ts";
import type { TimeSeries } from "../trace/timeseries.ts";

/** A preset with a prebuild configuration, as it stands at the end. */
export interface EndPreset {
  /** `template/version/preset` */
  key: string;
  template: string;
  version: string;
  preset: string;
  presetId: string;
  /** On its template's active version, and the template neither deprecated nor deleted (spec §3.4). */
  active: boolean;
  status: PrebuildStatus;
}

/** A workspace the prebuilds user still owns and that is not deleted, with its latest build. */
export interface EndPrebuild {
  workspace: string;
  /** `template/version/preset` of the latest build, or null when it carries none. */
  preset: string | null;
  build: string;
  buildNumber: number;
  transition: WorkspaceTransition;
  jobStatus: ProvisionerJobStatus;
  /** When the latest build was created. */
  createdAt: Instant;
}

export interface EndState {
  /** The instant the run stopped. */
  end: Instant;
  presets: EndPreset[];
  prebuilds: EndPrebuild[];
  timeseries: TimeSeries;
}

// Instants as float8 epoch milliseconds: both backends return float8 as a JS number (a bigint or
// numeric would come back as a string from one of them).
const PRESETS_SQL = `
SELECT t.name AS template, tv.name AS version, p.name AS preset, p.id::text AS preset_id,
       (tv.id = t.active_version_id AND NOT t.deleted AND t.deprecated = '') AS active,
       p.prebuild_status::text AS status
FROM template_version_presets p
JOIN template_versions tv ON tv.id = p.template_version_id
JOIN templates t ON t.id = tv.template_id
WHERE p.desired_instances IS NOT NULL
ORDER BY t.name, tv.name, p.name`;

const PREBUILDS_SQL = `
SELECT w.id::text AS workspace, t.name AS template, tv.name AS version, p.name AS preset,
       wb.id::text AS build, wb.build_number, wb.transition::text AS transition,
       pj.job_status::text AS job_status,
       floor(extract(epoch FROM wb.created_at) * 1000)::float8 AS created_at
FROM workspaces w
JOIN LATERAL (
  SELECT * FROM workspace_builds b WHERE b.workspace_id = w.id ORDER BY b.build_number DESC LIMIT 1
) wb ON true
JOIN provisioner_jobs pj ON pj.id = wb.job_id
LEFT JOIN template_version_presets p ON p.id = wb.template_version_preset_id
LEFT JOIN template_versions tv ON tv.id = p.template_version_id
LEFT JOIN templates t ON t.id = tv.template_id
WHERE w.owner_id = $1::uuid AND NOT w.deleted
ORDER BY w.id`;

/** Reads presets and the prebuilds user's live workspaces straight from the database. */
export async function readEndState(
  db: SqlExecutor,
  prebuildsUserId: string,
  end: Instant,
  timeseries: TimeSeries,
): Promise<EndState> {
  const presetRows = await db.query(PRESETS_SQL);
  const presets: EndPreset[] = presetRows.map((r) => ({
    key: `${String(r.template)}/${String(r.version)}/${String(r.preset)}`,
    template: String(r.template),
    version: String(r.version),
    preset: String(r.preset),
    presetId: String(r.preset_id),
    active: r.active === true,
    status: String(r.status) as PrebuildStatus,
  }));
  const prebuildRows = await db.query(PREBUILDS_SQL, [prebuildsUserId]);
  const prebuilds: EndPrebuild[] = prebuildRows.map((r) => ({
    workspace: String(r.workspace),
    preset: r.preset === null ? null : `${String(r.template)}/${String(r.version)}/${String(r.preset)}`,
    build: String(r.build),
    buildNumber: Number(r.build_number),
    transition: String(r.transition) as WorkspaceTransition,
    jobStatus: String(r.job_status) as ProvisionerJobStatus,
    createdAt: Number(r.created_at),
  }));
  return { end, presets, prebuilds, timeseries };
}
