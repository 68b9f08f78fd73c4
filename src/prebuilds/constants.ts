// Fixed identities and enumerations of the prebuilds subsystem (spec §1.1).

/** The system user that owns every prebuilt workspace and initiates every prebuild build. */
export const PREBUILDS_SYSTEM_USER_ID = "c42fdf75-3097-471c-8c33-fb52454d81c0";

/** The per-organization group through which prebuilds are charged quota (spec §8). */
export const PREBUILT_WORKSPACES_GROUP_NAME = "coderprebuiltworkspaces";
export const PREBUILT_WORKSPACES_GROUP_DISPLAY_NAME = "Prebuilt Workspaces";

/**
 * Advisory lock ids. Upstream numbers them as one enumeration starting at 1, so the whole list is
 * kept: a lock id is only meaningful relative to the others.
 */
export const LockId = {
  DeploymentSetup: 1,
  EnterpriseDeploymentSetup: 2,
  DBRollup: 3,
  DBPurge: 4,
  NotificationsReportGenerator: 5,
  CryptoKeyRotation: 6,
  ReconcilePrebuilds: 7,
} as const;
export type LockId = (typeof LockId)[keyof typeof LockId];

/** How a prebuild is deleted: normally (Terraform destroy) or orphaned (resources left alone). */
export const DeprovisionMode = {
  Normal: 0,
  Orphan: 1,
} as const;
export type DeprovisionMode = (typeof DeprovisionMode)[keyof typeof DeprovisionMode];
