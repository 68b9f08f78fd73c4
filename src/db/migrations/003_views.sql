-- The three views of spec §1.4, with upstream's semantics. 'c42fdf75-…' is the prebuilds system
-- user; upstream hard-codes it in these views as well.

-- Exactly one row per NON-deleted workspace: its highest-numbered build and that build's job
-- status; a workspace without builds gives NULL build columns (which never join). Every query on
-- this view therefore ignores soft-deleted workspaces. `workspace_id` is taken from the workspace
-- (upstream takes it from the build, NULL without builds) so that a join on it can use the
-- workspaces primary key; every query here also filters on a build column, so nothing else changes.
-- `insert_order` (not upstream's) breaks created_at ties the way upstream's microsecond clock would.
CREATE VIEW workspace_latest_builds AS
SELECT
  latest.id,
  w.id AS workspace_id,
  latest.template_version_id,
  latest.job_id,
  latest.template_version_preset_id,
  latest.transition,
  latest.build_number,
  latest.initiator_id,
  latest.created_at,
  latest.job_status,
  latest.insert_order
FROM workspaces w
LEFT JOIN LATERAL (
  SELECT
    wb.id, wb.template_version_id, wb.job_id, wb.template_version_preset_id, wb.transition,
    wb.build_number, wb.initiator_id, wb.created_at, pj.job_status, wb.insert_order
  FROM workspace_builds wb
  JOIN provisioner_jobs pj ON pj.id = wb.job_id
  WHERE wb.workspace_id = w.id
  ORDER BY wb.build_number DESC
  LIMIT 1
) latest ON true
WHERE w.deleted = false;

-- Every build initiated by the prebuilds user: builds of deleted workspaces and the earlier
-- builds of claimed workspaces included.
CREATE VIEW workspace_prebuild_builds AS
SELECT id, workspace_id, template_version_id, transition, job_id, template_version_preset_id, build_number
FROM workspace_builds
WHERE initiator_id = 'c42fdf75-3097-471c-8c33-fb52454d81c0'::uuid;

-- One row per workspace owned by the prebuilds user that has at least one build with a preset
-- (deleted or not). current_preset_id: the preset of its highest-numbered build having one (any
-- transition, any status). ready: every non-deleted agent of its latest build — sub-agents
-- included, unlike GetRunningPrebuiltWorkspaces — is 'ready'; false without agents and for
-- deleted workspaces (whose latest build upstream reads through workspace_latest_builds).
CREATE VIEW workspace_prebuilds AS
SELECT
  w.id,
  w.name,
  w.template_id,
  w.created_at,
  current_preset.template_version_preset_id AS current_preset_id,
  coalesce(readiness.ready, false) AS ready
FROM workspaces w
JOIN LATERAL (
  SELECT wb.template_version_preset_id
  FROM workspace_builds wb
  WHERE wb.workspace_id = w.id AND wb.template_version_preset_id IS NOT NULL
  ORDER BY wb.build_number DESC
  LIMIT 1
) current_preset ON true
JOIN LATERAL (
  SELECT wb.job_id
  FROM workspace_builds wb
  WHERE wb.workspace_id = w.id
  ORDER BY wb.build_number DESC
  LIMIT 1
) latest ON true
LEFT JOIN LATERAL (
  SELECT bool_and(wa.lifecycle_state = 'ready') AS ready
  FROM workspace_resources wr
  JOIN workspace_agents wa ON wa.resource_id = wr.id
  WHERE wr.job_id = latest.job_id AND wa.deleted = false AND w.deleted = false
) readiness ON true
WHERE w.owner_id = 'c42fdf75-3097-471c-8c33-fb52454d81c0'::uuid;
