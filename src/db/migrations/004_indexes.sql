-- Indexes on what the snapshot queries (spec §4.6), the claim and the provisioner filter and join
-- on, so that a cycle costs in proportion to the live workspaces, not to the whole history.

-- workspace_latest_builds walks the live workspaces only.
CREATE INDEX workspaces_live_idx ON workspaces (owner_id, template_id) WHERE deleted = false;
-- Latest build of a workspace: workspace_builds (workspace_id, build_number) UNIQUE, scanned
-- backwards. Builds by initiator for workspace_prebuild_builds (metrics: build #1 of prebuilds).
CREATE INDEX workspace_builds_initiator_idx ON workspace_builds (initiator_id, build_number);
CREATE INDEX workspace_builds_template_version_preset_idx ON workspace_builds (template_version_preset_id);
-- The pending queue: FIFO acquisition and the pending-prebuild counts.
CREATE INDEX provisioner_jobs_pending_idx ON provisioner_jobs (created_at, id) WHERE job_status = 'pending';
CREATE INDEX workspace_resources_job_id_idx ON workspace_resources (job_id);
CREATE INDEX workspace_agents_resource_id_idx ON workspace_agents (resource_id);
CREATE INDEX template_versions_template_id_idx ON template_versions (template_id);
CREATE INDEX template_version_preset_prebuild_schedules_preset_idx
  ON template_version_preset_prebuild_schedules (preset_id);
CREATE INDEX group_members_group_id_idx ON group_members (group_id);
CREATE INDEX notification_messages_created_at_idx ON notification_messages (created_at, id);
