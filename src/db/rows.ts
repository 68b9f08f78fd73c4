// Typed rows of the prebuilds queries (spec §2), in camelCase. Times are epoch milliseconds.
// These types are the contract between `db/` (which produces them) and `prebuilds/` (which
// consumes them); the pure state machine is built from exactly these rows.
import type { Instant } from "../clock/types.ts";

export type WorkspaceTransition = "start" | "stop" | "delete";
export type ProvisionerJobStatus =
  | "pending"
  | "running"
  | "succeeded"
  | "canceling"
  | "canceled"
  | "failed"
  | "unknown";
export type PrebuildStatus = "healthy" | "hard_limited" | "validation_failed";
export type AgentLifecycleState =
  | "created"
  | "starting"
  | "start_timeout"
  | "start_error"
  | "ready"
  | "shutting_down"
  | "shutdown_timeout"
  | "shutdown_error"
  | "off";

/** §2.1 GetTemplatePresetsWithPrebuilds */
export interface TemplatePresetRow {
  templateId: string;
  templateName: string;
  organizationId: string;
  organizationName: string;
  templateVersionId: string;
  templateVersionName: string;
  usingActiveVersion: boolean;
  id: string;
  name: string;
  desiredInstances: number | null;
  schedulingTimezone: string;
  /** invalidate_after_secs, in seconds */
  ttl: number | null;
  prebuildStatus: PrebuildStatus;
  lastInvalidatedAt: Instant | null;
  /** template soft-deleted */
  deleted: boolean;
  /** template deprecated (non-empty message) */
  deprecated: boolean;
}

/** §2.2 GetActivePresetPrebuildSchedules */
export interface PresetPrebuildScheduleRow {
  id: string;
  presetId: string;
  cronExpression: string;
  desiredInstances: number;
}

/** §2.3 GetRunningPrebuiltWorkspaces (ordered by id) */
export interface RunningPrebuildRow {
  id: string;
  name: string;
  templateId: string;
  templateVersionId: string;
  currentPresetId: string | null;
  ready: boolean;
  createdAt: Instant;
}

/** §2.4 CountInProgressPrebuilds */
export interface InProgressPrebuildRow {
  templateId: string;
  templateVersionId: string;
  transition: WorkspaceTransition;
  presetId: string | null;
  count: number;
}

/** §2.5 CountPendingNonActivePrebuilds */
export interface PendingPrebuildRow {
  presetId: string | null;
  count: number;
}

/** §2.6 UpdatePrebuildProvisionerJobWithCancel */
export interface CanceledPrebuildJobRow {
  id: string;
  workspaceId: string;
  templateId: string;
  templateVersionPresetId: string | null;
}

/** §2.7 GetPresetsBackoff */
export interface PresetBackoffRow {
  templateVersionId: string;
  presetId: string;
  numFailed: number;
  lastBuildAt: Instant;
}

/** §2.8 GetPresetsAtFailureLimit */
export interface PresetAtFailureLimitRow {
  templateVersionId: string;
  presetId: string;
}

/** §2.9 GetPrebuildMetrics */
export interface PrebuildMetricsRow {
  templateName: string;
  presetName: string;
  organizationName: string;
  createdCount: number;
  failedCount: number;
  claimedCount: number;
}

/** §2.10 ClaimPrebuiltWorkspace */
export interface ClaimedWorkspaceRow {
  id: string;
  name: string;
}

/** §2.12 GetOrganizationsWithPrebuildStatus */
export interface OrganizationPrebuildStatusRow {
  organizationId: string;
  organizationName: string;
  hasPrebuildUser: boolean;
  prebuildsGroupId: string | null;
  hasPrebuildUserInGroup: boolean;
}

// ---------------------------------------------------------------------------------------------
// Entity rows: what the builder, the fake provisioner, the claimer and the world read and write.
// ---------------------------------------------------------------------------------------------

export type BuildReason = "initiator" | "autostart" | "autostop" | "dormancy" | "failedstop" | "autodelete";
export type AutomaticUpdates = "always" | "never";
export type ProvisionerJobType = "template_version_import" | "workspace_build" | "template_version_dry_run";
export type UserStatus = "active" | "suspended" | "dormant";
export type LoginType = "password" | "github" | "oidc" | "token" | "none";
/** What the provisioner is told about a prebuild (upstream's `PrebuiltWorkspaceBuildStage`). */
export type PrebuiltWorkspaceBuildStage = "none" | "create" | "claim";

export interface OrganizationRow {
  id: string;
  name: string;
  displayName: string;
  isDefault: boolean;
  createdAt: Instant;
  updatedAt: Instant;
}

export interface UserRow {
  id: string;
  email: string;
  username: string;
  name: string;
  /** Site roles, e.g. `template-admin`. */
  rbacRoles: string[];
  status: UserStatus;
  loginType: LoginType;
  isSystem: boolean;
  deleted: boolean;
  createdAt: Instant;
  updatedAt: Instant;
}

export interface OrganizationMemberRow {
  organizationId: string;
  userId: string;
  roles: string[];
  createdAt: Instant;
  updatedAt: Instant;
}

export interface GroupRow {
  id: string;
  name: string;
  displayName: string;
  organizationId: string;
  avatarUrl: string;
  quotaAllowance: number;
}

export interface GroupMemberRow {
  groupId: string;
  userId: string;
}

export interface TemplateRow {
  id: string;
  organizationId: string;
  name: string;
  provisioner: string;
  activeVersionId: string;
  /** Empty string = not deprecated; otherwise the deprecation message. */
  deprecated: string;
  deleted: boolean;
  createdBy: string;
  createdAt: Instant;
  updatedAt: Instant;
}

export interface TemplateVersionRow {
  id: string;
  templateId: string | null;
  organizationId: string;
  name: string;
  /** The import job; null when the simulation imported the version instantly. */
  jobId: string | null;
  createdBy: string;
  createdAt: Instant;
  updatedAt: Instant;
}

/** A rich parameter of a template version; the workspace builder validates builds against these. */
export interface TemplateVersionParameterRow {
  templateVersionId: string;
  name: string;
  description: string;
  type: string;
  /** false = immutable: its value cannot change after the first build. */
  mutable: boolean;
  defaultValue: string;
  required: boolean;
  displayOrder: number;
}

/** A row of template_version_presets (spec §1.3). */
export interface PresetRow {
  id: string;
  templateVersionId: string;
  name: string;
  desiredInstances: number | null;
  /** Seconds; null or 0 = never expires by age. */
  invalidateAfterSecs: number | null;
  prebuildStatus: PrebuildStatus;
  schedulingTimezone: string;
  lastInvalidatedAt: Instant | null;
  isDefault: boolean;
  createdAt: Instant;
}

export interface PresetParameterRow {
  id: string;
  templateVersionPresetId: string;
  name: string;
  value: string;
}

export interface WorkspaceRow {
  id: string;
  ownerId: string;
  organizationId: string;
  templateId: string;
  name: string;
  deleted: boolean;
  autostartSchedule: string | null;
  /** Milliseconds (upstream stores nanoseconds); null = no auto-stop. */
  ttl: number | null;
  automaticUpdates: AutomaticUpdates;
  nextStartAt: Instant | null;
  lastUsedAt: Instant;
  dormantAt: Instant | null;
  deletingAt: Instant | null;
  createdAt: Instant;
  updatedAt: Instant;
}

export interface WorkspaceBuildRow {
  id: string;
  workspaceId: string;
  templateVersionId: string;
  buildNumber: number;
  transition: WorkspaceTransition;
  initiatorId: string;
  jobId: string;
  reason: BuildReason;
  templateVersionPresetId: string | null;
  createdAt: Instant;
  updatedAt: Instant;
}

export interface WorkspaceBuildParameterRow {
  workspaceBuildId: string;
  name: string;
  value: string;
}

/** The job input of a workspace build: what the provisioner needs to know about the build. */
export interface ProvisionerJobInput {
  workspaceBuildId?: string;
  templateVersionId?: string;
  prebuiltWorkspaceBuildStage: PrebuiltWorkspaceBuildStage;
  /** Delete without running Terraform destroy (deprovision mode `orphan`). */
  orphan: boolean;
}

export interface ProvisionerJobRow {
  id: string;
  organizationId: string;
  initiatorId: string;
  provisioner: string;
  type: ProvisionerJobType;
  input: ProvisionerJobInput;
  tags: Record<string, string>;
  workerId: string | null;
  startedAt: Instant | null;
  canceledAt: Instant | null;
  completedAt: Instant | null;
  error: string | null;
  errorCode: string | null;
  /** The stored generated column (spec §1.2). */
  jobStatus: ProvisionerJobStatus;
  createdAt: Instant;
  updatedAt: Instant;
}

export interface WorkspaceResourceRow {
  id: string;
  jobId: string;
  transition: WorkspaceTransition;
  type: string;
  name: string;
  createdAt: Instant;
}

export interface WorkspaceAgentRow {
  id: string;
  resourceId: string;
  name: string;
  lifecycleState: AgentLifecycleState;
  startedAt: Instant | null;
  readyAt: Instant | null;
  /** null = top-level agent; set = sub-agent (e.g. a devcontainer agent). */
  parentId: string | null;
  deleted: boolean;
  createdAt: Instant;
  updatedAt: Instant;
}

export interface NotificationMessageRow {
  id: string;
  notificationTemplateId: string;
  userId: string;
  method: string;
  status: string;
  payload: unknown;
  createdBy: string;
  targets: string[];
  createdAt: Instant;
}
