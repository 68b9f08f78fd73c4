// Typed rows of the prebuilds queries (spec §2), in camelCase. Times are epoch milliseconds.
// These types are the contract between `db/` (which produces them) and `prebuilds/` (which
// consumes them); the pure state machine is built from exactly these rows.
import type { Instant } from "../clock/types.ts";

export type WorkspaceTransition = "start" | "stop" | "delete";
export type ProvisionerJobStatus = "pending" | "running" | "succeeded" | "canceling" | "canceled" | "failed" | "unknown";
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
