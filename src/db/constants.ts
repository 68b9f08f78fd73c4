// Fixed identities and names of Coder's database that the prebuilds code hard-codes (spec §1.1).
// They are literals in upstream's SQL as well, so queries here interpolate them as literals too.

/** The system user that owns every prebuilt workspace ("P-user"). */
export const PREBUILDS_SYSTEM_USER_ID = "c42fdf75-3097-471c-8c33-fb52454d81c0";
export const PREBUILDS_SYSTEM_USER_NAME = "prebuilds";

/**
 * The default organization, created by the seed migration. Upstream generates its id at first
 * start; the simulation fixes it so that every run (and every seed) starts from the same rows.
 */
export const DEFAULT_ORGANIZATION_ID = "2d4f0a6e-8c3b-4e71-9a5d-0f1e2c3b4a59";
export const DEFAULT_ORGANIZATION_NAME = "coder";

/** Per-organization group the membership reconciler maintains for quota (spec §1.1, §8). */
export const PREBUILDS_GROUP_NAME = "coderprebuiltworkspaces";
export const PREBUILDS_GROUP_DISPLAY_NAME = "Prebuilt Workspaces";

/** Advisory lock ids: upstream's enumeration starts at 1 (spec §1.1). */
export const LockId = {
  DeploymentSetup: 1,
  EnterpriseDeploymentSetup: 2,
  DBRollup: 3,
  DBPurge: 4,
  NotificationsReportGenerator: 5,
  CryptoKeyRotation: 6,
  ReconcilePrebuilds: 7,
} as const;

/** Site-config key holding `{"reconciliation_paused": bool}`. */
export const PREBUILDS_SETTINGS_KEY = "prebuilds_settings";

/** Notification templates seeded by migration (spec §1.3). */
export const NotificationTemplateId = {
  WorkspaceResourceReplaced: "89d9745a-816e-4695-a17f-3d0a229e2b8d",
  PrebuildFailureLimitReached: "414d9331-c1fc-4761-b40c-d1f4702279eb",
} as const;
