// Fixed identities and enumerations of the prebuilds subsystem (spec §1.1). The identities that
// upstream's SQL also hard-codes (system user, group, lock ids) are owned by the db layer and
// re-exported here, so the port and the queries cannot disagree about them.
export {
  LockId,
  PREBUILDS_GROUP_DISPLAY_NAME,
  PREBUILDS_GROUP_NAME,
  PREBUILDS_SYSTEM_USER_ID,
} from "../db/constants.ts";

/** How a prebuild is deleted: normally (Terraform destroy) or orphaned (resources left alone). */
export const DeprovisionMode = {
  Normal: 0,
  Orphan: 1,
} as const;
export type DeprovisionMode = (typeof DeprovisionMode)[keyof typeof DeprovisionMode];
