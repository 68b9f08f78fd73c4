-- Tables (spec §1.3). Only the columns the reconciler, claimer, membership reconciler, workspace
-- builder, metrics collector and fake provisioner use. No column defaults to now() or a random
-- value: every time and id is a parameter (determinism, ARCHITECTURE.md §6).

CREATE TABLE organizations (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  display_name text NOT NULL DEFAULT '',
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL,
  username text NOT NULL,
  name text NOT NULL DEFAULT '',
  rbac_roles text[] NOT NULL DEFAULT '{}',
  status user_status NOT NULL DEFAULT 'active',
  login_type login_type NOT NULL DEFAULT 'password',
  is_system boolean NOT NULL DEFAULT false,
  deleted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_username_idx ON users (lower(username)) WHERE deleted = false;
CREATE UNIQUE INDEX users_email_idx ON users (lower(email)) WHERE deleted = false;

CREATE TABLE organization_members (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  roles text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (organization_id, user_id)
);

CREATE TABLE groups (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  display_name text NOT NULL DEFAULT '',
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  avatar_url text NOT NULL DEFAULT '',
  quota_allowance integer NOT NULL DEFAULT 0,
  UNIQUE (organization_id, name)
);

CREATE TABLE group_members (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  group_id uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  UNIQUE (user_id, group_id)
);

-- template_versions.job_id may reference an import job; provisioner_jobs comes first.
CREATE TABLE provisioner_jobs (
  id uuid PRIMARY KEY,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  started_at timestamptz,
  canceled_at timestamptz,
  completed_at timestamptz,
  error text,
  error_code text,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  initiator_id uuid NOT NULL,
  provisioner text NOT NULL DEFAULT 'terraform',
  type provisioner_job_type NOT NULL,
  -- Whether the build is a prebuild creation or claim, and whether it is an orphan delete.
  input jsonb NOT NULL DEFAULT '{}',
  tags jsonb NOT NULL DEFAULT '{}',
  worker_id uuid,
  -- Not upstream's: the order the jobs were inserted in. Upstream's created_at is a microsecond
  -- wall clock, so of two jobs the earlier insert is acquired first; ours is a whole virtual
  -- millisecond that the jobs of one cycle share. Acquisition breaks created_at ties by it
  -- (README Fidelity). Only its order matters: the fast reset does not restart it.
  insert_order bigint GENERATED ALWAYS AS IDENTITY,
  -- Spec §1.2, row by row: an error wins, then cancellation, then completion/start.
  job_status provisioner_job_status NOT NULL GENERATED ALWAYS AS (
    CASE
      WHEN completed_at IS NOT NULL THEN
        CASE
          WHEN coalesce(error, '') <> '' THEN 'failed'::provisioner_job_status
          WHEN canceled_at IS NOT NULL THEN 'canceled'::provisioner_job_status
          ELSE 'succeeded'::provisioner_job_status
        END
      ELSE
        CASE
          WHEN coalesce(error, '') <> '' THEN 'failed'::provisioner_job_status
          WHEN canceled_at IS NOT NULL THEN 'canceling'::provisioner_job_status
          WHEN started_at IS NULL THEN 'pending'::provisioner_job_status
          ELSE 'running'::provisioner_job_status
        END
    END
  ) STORED
);

CREATE TABLE templates (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name text NOT NULL,
  provisioner text NOT NULL DEFAULT 'terraform',
  -- No foreign key, as upstream: versions reference their template, the template its version.
  active_version_id uuid NOT NULL,
  deprecated text NOT NULL DEFAULT '',
  deleted boolean NOT NULL DEFAULT false,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
-- A soft-deleted template frees its name (spec §6.4 "duplicate names").
CREATE UNIQUE INDEX templates_organization_id_name_idx ON templates (organization_id, lower(name))
  WHERE deleted = false;

CREATE TABLE template_versions (
  id uuid PRIMARY KEY,
  template_id uuid REFERENCES templates (id) ON DELETE CASCADE,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name text NOT NULL,
  job_id uuid REFERENCES provisioner_jobs (id),
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (template_id, name)
);

CREATE TABLE template_version_parameters (
  template_version_id uuid NOT NULL REFERENCES template_versions (id) ON DELETE CASCADE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  type text NOT NULL DEFAULT 'string',
  mutable boolean NOT NULL DEFAULT true,
  default_value text NOT NULL DEFAULT '',
  required boolean NOT NULL DEFAULT false,
  display_order integer NOT NULL DEFAULT 0,
  PRIMARY KEY (template_version_id, name)
);

CREATE TABLE template_version_presets (
  id uuid PRIMARY KEY,
  template_version_id uuid NOT NULL REFERENCES template_versions (id) ON DELETE CASCADE,
  name text NOT NULL,
  desired_instances integer,
  invalidate_after_secs integer,
  prebuild_status prebuild_status NOT NULL DEFAULT 'healthy',
  scheduling_timezone text NOT NULL DEFAULT '',
  last_invalidated_at timestamptz,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  UNIQUE (template_version_id, name)
);

CREATE TABLE template_version_preset_parameters (
  id uuid PRIMARY KEY,
  template_version_preset_id uuid NOT NULL REFERENCES template_version_presets (id) ON DELETE CASCADE,
  name text NOT NULL,
  value text NOT NULL,
  UNIQUE (template_version_preset_id, name)
);

CREATE TABLE template_version_preset_prebuild_schedules (
  id uuid PRIMARY KEY,
  preset_id uuid NOT NULL REFERENCES template_version_presets (id) ON DELETE CASCADE,
  cron_expression text NOT NULL,
  desired_instances integer NOT NULL
);

CREATE TABLE workspaces (
  id uuid PRIMARY KEY,
  owner_id uuid NOT NULL REFERENCES users (id),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  template_id uuid NOT NULL REFERENCES templates (id),
  name text NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  autostart_schedule text,
  -- Milliseconds here; upstream stores nanoseconds.
  ttl bigint,
  automatic_updates automatic_updates NOT NULL DEFAULT 'never',
  next_start_at timestamptz,
  last_used_at timestamptz NOT NULL,
  dormant_at timestamptz,
  deleting_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
-- As upstream: an owner's live workspaces have distinct names (a claim renames into this space).
CREATE UNIQUE INDEX workspaces_owner_id_lower_idx ON workspaces (owner_id, lower(name)) WHERE deleted = false;

CREATE TABLE workspace_builds (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  template_version_id uuid NOT NULL REFERENCES template_versions (id),
  build_number integer NOT NULL,
  transition workspace_transition NOT NULL,
  initiator_id uuid NOT NULL,
  job_id uuid NOT NULL UNIQUE REFERENCES provisioner_jobs (id),
  reason build_reason NOT NULL DEFAULT 'initiator',
  template_version_preset_id uuid REFERENCES template_version_presets (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- Not upstream's: the order the builds were inserted in. Upstream's created_at comes from a
  -- microsecond wall clock that moves between two inserts; ours is a whole virtual millisecond
  -- that the builds of one cycle share. Where created_at ties, the later insert is the newer
  -- build, as upstream's clock would have made it (README Fidelity). Only its order matters:
  -- the fast reset does not restart it.
  insert_order bigint GENERATED ALWAYS AS IDENTITY,
  -- Concurrent build insertion for one workspace fails here (spec §4.12).
  UNIQUE (workspace_id, build_number)
);

-- The rich parameter values of each build (the builder reads the previous build's values).
CREATE TABLE workspace_build_parameters (
  workspace_build_id uuid NOT NULL REFERENCES workspace_builds (id) ON DELETE CASCADE,
  name text NOT NULL,
  value text NOT NULL,
  UNIQUE (workspace_build_id, name)
);

CREATE TABLE workspace_resources (
  id uuid PRIMARY KEY,
  job_id uuid NOT NULL REFERENCES provisioner_jobs (id) ON DELETE CASCADE,
  transition workspace_transition NOT NULL,
  type text NOT NULL,
  name text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE workspace_agents (
  id uuid PRIMARY KEY,
  resource_id uuid NOT NULL REFERENCES workspace_resources (id) ON DELETE CASCADE,
  name text NOT NULL,
  lifecycle_state workspace_agent_lifecycle_state NOT NULL DEFAULT 'created',
  started_at timestamptz,
  ready_at timestamptz,
  -- NULL = top-level agent; set = sub-agent (devcontainer).
  parent_id uuid REFERENCES workspace_agents (id) ON DELETE CASCADE,
  deleted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE site_configs (
  key varchar(256) PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE notification_templates (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  title_template text NOT NULL,
  body_template text NOT NULL,
  "group" text NOT NULL,
  kind text NOT NULL DEFAULT 'system'
);

CREATE TABLE notification_messages (
  id uuid PRIMARY KEY,
  notification_template_id uuid NOT NULL REFERENCES notification_templates (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  method text NOT NULL DEFAULT 'smtp',
  status text NOT NULL DEFAULT 'pending',
  payload jsonb NOT NULL,
  created_by text NOT NULL,
  targets uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
