-- The seeded empty state every run starts from (re-applied by the fast reset after TRUNCATE).
-- Fixed ids and a fixed instant: the seed never depends on when or where it ran.

INSERT INTO organizations (id, name, display_name, is_default, created_at, updated_at)
VALUES ('2d4f0a6e-8c3b-4e71-9a5d-0f1e2c3b4a59', 'coder', 'Coder', true,
        '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');

-- The prebuilds system user (spec §1.1): no roles, system, login type none.
INSERT INTO users (id, email, username, name, rbac_roles, status, login_type, is_system, created_at, updated_at)
VALUES ('c42fdf75-3097-471c-8c33-fb52454d81c0', 'prebuilds@system', 'prebuilds', 'Prebuilds Owner', '{}',
        'active', 'none', true, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');

-- Upstream's migration made it a member of the default organization.
INSERT INTO organization_members (organization_id, user_id, roles, created_at, updated_at)
VALUES ('2d4f0a6e-8c3b-4e71-9a5d-0f1e2c3b4a59', 'c42fdf75-3097-471c-8c33-fb52454d81c0', '{}',
        '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');

INSERT INTO notification_templates (id, name, title_template, body_template, "group", kind) VALUES
  ('89d9745a-816e-4695-a17f-3d0a229e2b8d', 'Workspace Resource Replaced',
   'There might be a problem with a recently claimed prebuilt workspace',
   'Workspace {{.Labels.workspace}} was claimed from a prebuilt workspace by {{.Labels.claimant}}; resources were replaced.',
   'Template Events', 'system'),
  ('414d9331-c1fc-4761-b40c-d1f4702279eb', 'Prebuild Failure Limit Reached',
   'There is a problem creating prebuilt workspaces',
   'The number of failed prebuild attempts for preset {{.Labels.preset}} of template {{.Labels.template}} reached the hard limit.',
   'Template Events', 'system');
