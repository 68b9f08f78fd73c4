-- workspace_prebuilds' readiness (the claim's candidate filter) read the agents through a join
-- the planner, without statistics (PGlite runs no autovacuum), made a hash join over a sequential
-- scan of every agent ever created: a claim cost that grew with the day's history. The agents are
-- now read per resource through their resource_id index, behind an OFFSET 0 fence as in
-- GetRunningPrebuiltWorkspaces. The same rows: the same (resource of the latest build, non-deleted
-- agent) pairs feed bool_and, under the same condition on the workspace.
CREATE OR REPLACE VIEW workspace_prebuilds AS
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
  SELECT bool_and(a.lifecycle_state = 'ready') AS ready
  FROM workspace_resources wr
  CROSS JOIN LATERAL (
    SELECT wa.lifecycle_state FROM workspace_agents wa
    WHERE wa.resource_id = wr.id AND wa.deleted = false
    OFFSET 0
  ) a
  WHERE wr.job_id = latest.job_id AND w.deleted = false
) readiness ON true
WHERE w.owner_id = 'c42fdf75-3097-471c-8c33-fb52454d81c0'::uuid;
