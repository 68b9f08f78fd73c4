// Upstream names (PascalCase, as in Coder's sqlc queries) of every query the Store runs. Fault
// rules name queries by these; scenario validation can list them.
export const QUERY_NAMES = [
  // prebuilds (spec §2)
  "GetTemplatePresetsWithPrebuilds",
  "GetActivePresetPrebuildSchedules",
  "GetRunningPrebuiltWorkspaces",
  "CountInProgressPrebuilds",
  "CountPendingNonActivePrebuilds",
  "UpdatePrebuildProvisionerJobWithCancel",
  "GetPresetsBackoff",
  "GetPresetsAtFailureLimit",
  "GetPrebuildMetrics",
  "ClaimPrebuiltWorkspace",
  "FindMatchingPresetID",
  "GetOrganizationsWithPrebuildStatus",
  "UpdatePresetPrebuildStatus",
  "UpdatePresetsLastInvalidatedAt",
  "InsertPresetPrebuildSchedule",
  "GetPresetParametersByTemplateVersionID",
  "GetPrebuildsSettings",
  "UpsertPrebuildsSettings",
  "TryAcquireLock",
  // presets, templates
  "GetPresetByID",
  "GetPresetsByTemplateVersionID",
  "InsertPreset",
  "InsertPresetParameters",
  "UpdatePresetDesiredInstancesByID",
  "GetTemplateByID",
  "GetTemplateByOrganizationAndName",
  "InsertTemplate",
  "UpdateTemplateActiveVersionByID",
  "UpdateTemplateDeprecatedByID",
  "UpdateTemplateDeletedByID",
  "GetTemplateVersionByID",
  "InsertTemplateVersion",
  "GetTemplateVersionParameters",
  "InsertTemplateVersionParameter",
  // users and organizations
  "GetUserByID",
  "GetUsers",
  "InsertUser",
  "GetOrganizationByID",
  "InsertOrganization",
  "InsertOrganizationMember",
  "InsertGroup",
  "InsertGroupMember",
  // workspaces and builds
  "GetWorkspaceByID",
  "InsertWorkspace",
  "UpdateWorkspaceDeletedByID",
  "GetWorkspaceBuildByID",
  "GetWorkspaceBuildByWorkspaceIDAndBuildNumber",
  "GetLatestWorkspaceBuildByWorkspaceID",
  "GetWorkspaceBuildsByWorkspaceID",
  "InsertWorkspaceBuild",
  "InsertWorkspaceBuildParameters",
  "GetWorkspaceBuildParameters",
  // provisioner
  "InsertProvisionerJob",
  "GetProvisionerJobByID",
  "AcquireProvisionerJob",
  "UpdateProvisionerJobStartedByID",
  "UpdateProvisionerJobWithCompleteByID",
  "UpdateProvisionerJobWithCancelByID",
  "InsertWorkspaceResource",
  "GetWorkspaceResourcesByJobID",
  "InsertWorkspaceAgent",
  "GetWorkspaceAgentsInLatestBuildByWorkspaceID",
  "UpdateWorkspaceAgentLifecycleStateByID",
  // notifications
  "InsertNotificationMessage",
  "GetNotificationMessages",
] as const;

export type QueryName = (typeof QUERY_NAMES)[number];

export function isQueryName(name: string): name is QueryName {
  return (QUERY_NAMES as readonly string[]).includes(name);
}
