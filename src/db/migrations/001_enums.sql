-- Enumerations of Coder's schema that the prebuilds subsystem reads or writes (spec §1.2).
CREATE TYPE workspace_transition AS ENUM ('start', 'stop', 'delete');

CREATE TYPE provisioner_job_status AS ENUM
  ('pending', 'running', 'succeeded', 'canceling', 'canceled', 'failed', 'unknown');

CREATE TYPE provisioner_job_type AS ENUM
  ('template_version_import', 'workspace_build', 'template_version_dry_run');

CREATE TYPE workspace_agent_lifecycle_state AS ENUM
  ('created', 'starting', 'start_timeout', 'start_error', 'ready',
   'shutting_down', 'shutdown_timeout', 'shutdown_error', 'off');

CREATE TYPE prebuild_status AS ENUM ('healthy', 'hard_limited', 'validation_failed');

CREATE TYPE build_reason AS ENUM
  ('initiator', 'autostart', 'autostop', 'dormancy', 'failedstop', 'autodelete');

CREATE TYPE automatic_updates AS ENUM ('always', 'never');

CREATE TYPE user_status AS ENUM ('active', 'suspended', 'dormant');

CREATE TYPE login_type AS ENUM ('password', 'github', 'oidc', 'token', 'none');
