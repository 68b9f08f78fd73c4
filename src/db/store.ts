// The Store: Coder's `database.Store` as the prebuilds code uses it, with upstream's method names
// in camelCase so that the port reads like the Go code beside it (ARCHITECTURE.md §5).
//
// Scheduling contract (ARCHITECTURE.md §2): every operation on a root Store, and every `inTx` as a
// whole, is ONE park point — the calling task sleeps a sampled database latency on the virtual
// clock, then the operation runs atomically. Nothing parks inside a real transaction.
//
// Three kinds of Store exist (see `scope`):
// - "root": what `Database.connect(name)` returns, one per simulated connection (one per replica).
// - "lockSession": the store a READ ONLY `inTx` on a root store hands to its callback. This is how
//   upstream's long REPEATABLE READ lock transaction is simulated (spec §4.5 and its §12
//   deviation): each statement in it is its own atomic step and may park, `tryAcquireLock` leases
//   the lock to the session until the callback returns or the connection is lost, and an `inTx`
//   nested on it ("the same transaction", as snapshotState reuses it) is one real atomic
//   transaction. Writes in a session fail like PostgreSQL's read-only transactions do.
// - "transaction": inside one real atomic transaction; no parking. Using an outer store while a
//   transaction callback runs throws instead of hanging PGlite.
import type { Duration, Instant } from "../clock/types.ts";
import type {
  AgentLifecycleState,
  AutomaticUpdates,
  BuildReason,
  CanceledPrebuildJobRow,
  ClaimedWorkspaceRow,
  GroupMemberRow,
  GroupRow,
  InProgressPrebuildRow,
  LoginType,
  NotificationMessageRow,
  OrganizationMemberRow,
  OrganizationPrebuildStatusRow,
  OrganizationRow,
  PendingPrebuildRow,
  PrebuildMetricsRow,
  PrebuildStatus,
  PresetAtFailureLimitRow,
  PresetBackoffRow,
  PresetParameterRow,
  PresetPrebuildScheduleRow,
  PresetRow,
  ProvisionerJobInput,
  ProvisionerJobRow,
  ProvisionerJobType,
  RunningPrebuildRow,
  TemplatePresetRow,
  TemplateRow,
  TemplateVersionParameterRow,
  TemplateVersionRow,
  UserRow,
  UserStatus,
  WorkspaceAgentRow,
  WorkspaceBuildParameterRow,
  WorkspaceBuildRow,
  WorkspaceResourceRow,
  WorkspaceRow,
  WorkspaceTransition,
} from "./rows.ts";

export type IsolationLevel = "read committed" | "repeatable read" | "serializable";

/** Upstream's `database.TxOptions`. */
export interface TxOptions {
  isolation?: IsolationLevel;
  readOnly?: boolean;
  /** Names the transaction in lease events and errors (e.g. "prebuilds.WithReconciliationLock"). */
  txIdentifier?: string;
}

export type StoreScope = "root" | "lockSession" | "transaction";

// --- parameters of the write and lookup queries -----------------------------------------------

export interface ClaimPrebuiltWorkspaceParams {
  newUserId: string;
  newName: string;
  now: Instant;
  presetId: string;
  autostartSchedule: string | null;
  nextStartAt: Instant | null;
  /** Milliseconds, null = none. */
  workspaceTtl: Duration | null;
}

export interface FindMatchingPresetIdParams {
  templateVersionId: string;
  parameterNames: readonly string[];
  parameterValues: readonly string[];
}

export interface InsertOrganizationParams {
  id: string;
  name: string;
  displayName?: string;
  isDefault?: boolean;
  createdAt: Instant;
}

export interface InsertUserParams {
  id: string;
  email: string;
  username: string;
  name?: string;
  rbacRoles?: readonly string[];
  status?: UserStatus;
  loginType?: LoginType;
  isSystem?: boolean;
  createdAt: Instant;
}

export interface InsertOrganizationMemberParams {
  organizationId: string;
  userId: string;
  roles?: readonly string[];
  createdAt: Instant;
  updatedAt: Instant;
}

export interface InsertGroupParams {
  id: string;
  name: string;
  displayName: string;
  organizationId: string;
  avatarUrl: string;
  quotaAllowance: number;
}

export interface InsertTemplateParams {
  id: string;
  organizationId: string;
  name: string;
  activeVersionId: string;
  createdBy: string;
  provisioner?: string;
  createdAt: Instant;
}

export interface InsertTemplateVersionParams {
  id: string;
  templateId: string | null;
  organizationId: string;
  name: string;
  jobId?: string | null;
  createdBy: string;
  createdAt: Instant;
}

export interface InsertTemplateVersionParameterParams {
  templateVersionId: string;
  name: string;
  description?: string;
  type?: string;
  mutable?: boolean;
  defaultValue?: string;
  required?: boolean;
  displayOrder?: number;
}

export interface InsertPresetParams {
  id: string;
  templateVersionId: string;
  name: string;
  desiredInstances: number | null;
  invalidateAfterSecs?: number | null;
  schedulingTimezone?: string;
  isDefault?: boolean;
  createdAt: Instant;
}

export interface InsertPresetParametersParams {
  /** One id per parameter, in the order of `names`. */
  ids: readonly string[];
  templateVersionPresetId: string;
  names: readonly string[];
  values: readonly string[];
}

export interface InsertPresetPrebuildScheduleParams {
  id: string;
  presetId: string;
  cronExpression: string;
  desiredInstances: number;
}

export interface InsertWorkspaceParams {
  id: string;
  ownerId: string;
  organizationId: string;
  templateId: string;
  name: string;
  autostartSchedule?: string | null;
  /** Milliseconds. */
  ttl?: Duration | null;
  automaticUpdates: AutomaticUpdates;
  nextStartAt?: Instant | null;
  createdAt: Instant;
}

export interface InsertWorkspaceBuildParams {
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
}

export interface InsertWorkspaceBuildParametersParams {
  workspaceBuildId: string;
  names: readonly string[];
  values: readonly string[];
}

export interface InsertProvisionerJobParams {
  id: string;
  organizationId: string;
  initiatorId: string;
  provisioner?: string;
  type: ProvisionerJobType;
  input: ProvisionerJobInput;
  tags?: Readonly<Record<string, string>>;
  createdAt: Instant;
}

/** Which jobs a provisioner daemon takes: a scenario can give prebuilds a dedicated pool. */
export type ProvisionerJobInitiatorFilter = "any" | "prebuilds" | "humans";

export interface AcquireProvisionerJobParams {
  now: Instant;
  workerId: string;
  initiator: ProvisionerJobInitiatorFilter;
}

export interface CompleteProvisionerJobParams {
  id: string;
  completedAt: Instant;
  /** null or empty = success; non-empty = failed (spec §1.2). */
  error: string | null;
  errorCode?: string | null;
}

export interface InsertWorkspaceResourceParams {
  id: string;
  jobId: string;
  transition: WorkspaceTransition;
  type: string;
  name: string;
  createdAt: Instant;
}

export interface InsertWorkspaceAgentParams {
  id: string;
  resourceId: string;
  name: string;
  parentId?: string | null;
  lifecycleState?: AgentLifecycleState;
  deleted?: boolean;
  createdAt: Instant;
}

export interface UpdateWorkspaceAgentLifecycleStateParams {
  id: string;
  lifecycleState: AgentLifecycleState;
  startedAt: Instant | null;
  readyAt: Instant | null;
  updatedAt: Instant;
}

export interface InsertNotificationMessageParams {
  id: string;
  notificationTemplateId: string;
  userId: string;
  method?: string;
  payload: unknown;
  targets: readonly string[];
  createdBy: string;
  createdAt: Instant;
}

/**
 * Every query the prebuilds subsystem, the workspace builder, the fake provisioner and the world
 * run. Single-row getters (`get…ById`, `getLatest…`) reject with a `NoRowsError` (Go's
 * `sql.ErrNoRows`) when nothing matches; operations for which "nothing" is a normal answer
 * (claim, acquire, preset matching) resolve to null. Query failures reject with a `DatabaseError`.
 */
export interface Store {
  /** The simulated connection this store belongs to (the replica's name). */
  readonly connection: string;
  readonly scope: StoreScope;

  /** Upstream `InTx`: see the file comment for what it means on each scope. */
  inTx<T>(fn: (tx: Store) => Promise<T>, options?: TxOptions): Promise<T>;
  /** Transaction-scoped, non-blocking advisory lock (`pg_try_advisory_xact_lock`), simulated. */
  tryAcquireLock(lockId: number): Promise<boolean>;

  // --- prebuilds queries (spec §2), in snapshot order -------------------------------------------
  /** §2.1; null = all templates. Ordered by template name, version creation, preset name. */
  getTemplatePresetsWithPrebuilds(templateId: string | null): Promise<TemplatePresetRow[]>;
  /** §2.2; ordered by preset id, schedule id. */
  getActivePresetPrebuildSchedules(): Promise<PresetPrebuildScheduleRow[]>;
  /** §2.3; ordered by workspace id. */
  getRunningPrebuiltWorkspaces(): Promise<RunningPrebuildRow[]>;
  /** §2.4 */
  countInProgressPrebuilds(): Promise<InProgressPrebuildRow[]>;
  /** §2.5 */
  countPendingNonActivePrebuilds(): Promise<PendingPrebuildRow[]>;
  /** §2.6; returns the canceled jobs ordered by job id. */
  updatePrebuildProvisionerJobWithCancel(params: {
    now: Instant;
    presetId: string;
  }): Promise<CanceledPrebuildJobRow[]>;
  /** §2.7 */
  getPresetsBackoff(lookback: Instant): Promise<PresetBackoffRow[]>;
  /** §2.8 */
  getPresetsAtFailureLimit(hardLimit: number): Promise<PresetAtFailureLimitRow[]>;
  /** §2.9 */
  getPrebuildMetrics(): Promise<PrebuildMetricsRow[]>;
  /** §2.10; the "any" candidate is the one with the lowest workspace id. null = none claimable. */
  claimPrebuiltWorkspace(params: ClaimPrebuiltWorkspaceParams): Promise<ClaimedWorkspaceRow | null>;
  /**
   * §2.11; null = no preset matches. Rejects when names and values differ in length (the check
   * upstream's `prebuilds.FindMatchingPresetID` wrapper makes). Ties go to the lowest preset id.
   */
  findMatchingPresetId(params: FindMatchingPresetIdParams): Promise<string | null>;
  /** §2.12; ordered by organization name. */
  getOrganizationsWithPrebuildStatus(params: {
    userId: string;
    groupName: string;
  }): Promise<OrganizationPrebuildStatusRow[]>;

  // --- small prebuilds queries (spec §2.14) ------------------------------------------------------
  updatePresetPrebuildStatus(params: { presetId: string; status: PrebuildStatus }): Promise<void>;
  /** Sets `last_invalidated_at` on every preset of the template's active version; returns them. */
  updatePresetsLastInvalidatedAt(params: {
    templateId: string;
    lastInvalidatedAt: Instant;
  }): Promise<PresetRow[]>;
  insertPresetPrebuildSchedule(
    params: InsertPresetPrebuildScheduleParams,
  ): Promise<PresetPrebuildScheduleRow>;
  getPresetParametersByTemplateVersionId(templateVersionId: string): Promise<PresetParameterRow[]>;
  /** The `prebuilds_settings` JSON, or `{}` when the row is absent. */
  getPrebuildsSettings(): Promise<string>;
  upsertPrebuildsSettings(value: string): Promise<void>;
  getPresetById(id: string): Promise<PresetRow>;
  getPresetsByTemplateVersionId(templateVersionId: string): Promise<PresetRow[]>;
  getWorkspaceById(id: string): Promise<WorkspaceRow>;
  getTemplateById(id: string): Promise<TemplateRow>;
  getTemplateByOrganizationAndName(params: { organizationId: string; name: string }): Promise<TemplateRow>;
  getTemplateVersionById(id: string): Promise<TemplateVersionRow>;
  getTemplateVersionParameters(templateVersionId: string): Promise<TemplateVersionParameterRow[]>;
  getWorkspaceBuildById(id: string): Promise<WorkspaceBuildRow>;
  getWorkspaceBuildByWorkspaceIdAndBuildNumber(params: {
    workspaceId: string;
    buildNumber: number;
  }): Promise<WorkspaceBuildRow>;
  getUserById(id: string): Promise<UserRow>;
  /** Users having the site role (e.g. `template-admin`); null = all. Ordered by username. */
  getUsers(params: { rbacRole: string | null }): Promise<UserRow[]>;
  getOrganizationById(id: string): Promise<OrganizationRow>;
  insertWorkspace(params: InsertWorkspaceParams): Promise<WorkspaceRow>;
  insertOrganizationMember(params: InsertOrganizationMemberParams): Promise<OrganizationMemberRow>;
  insertGroup(params: InsertGroupParams): Promise<GroupRow>;
  insertGroupMember(params: GroupMemberRow): Promise<void>;

  // --- workspace builder and fake provisioner ----------------------------------------------------
  getLatestWorkspaceBuildByWorkspaceId(workspaceId: string): Promise<WorkspaceBuildRow>;
  /** All builds of a workspace, by build number. */
  getWorkspaceBuildsByWorkspaceId(workspaceId: string): Promise<WorkspaceBuildRow[]>;
  insertWorkspaceBuild(params: InsertWorkspaceBuildParams): Promise<WorkspaceBuildRow>;
  insertWorkspaceBuildParameters(params: InsertWorkspaceBuildParametersParams): Promise<void>;
  /** Ordered by name. */
  getWorkspaceBuildParameters(workspaceBuildId: string): Promise<WorkspaceBuildParameterRow[]>;
  insertProvisionerJob(params: InsertProvisionerJobParams): Promise<ProvisionerJobRow>;
  getProvisionerJobById(id: string): Promise<ProvisionerJobRow>;
  /** Takes the oldest pending job (FIFO by created_at, then id); sets worker and started_at. */
  acquireProvisionerJob(params: AcquireProvisionerJobParams): Promise<ProvisionerJobRow | null>;
  /** Marks one given job started by a worker (fixtures; daemons use `acquireProvisionerJob`). */
  updateProvisionerJobStartedById(params: {
    id: string;
    workerId: string;
    startedAt: Instant;
  }): Promise<ProvisionerJobRow>;
  updateProvisionerJobWithCompleteById(params: CompleteProvisionerJobParams): Promise<ProvisionerJobRow>;
  /** A user's cancel: sets canceled_at (and completed_at when the job never started). */
  updateProvisionerJobWithCancelById(params: {
    id: string;
    canceledAt: Instant;
    completedAt: Instant | null;
  }): Promise<ProvisionerJobRow>;
  insertWorkspaceResource(params: InsertWorkspaceResourceParams): Promise<WorkspaceResourceRow>;
  getWorkspaceResourcesByJobId(jobId: string): Promise<WorkspaceResourceRow[]>;
  insertWorkspaceAgent(params: InsertWorkspaceAgentParams): Promise<WorkspaceAgentRow>;
  /** Agents (top-level and sub-agents, not deleted) of the workspace's latest build, by id. */
  getWorkspaceAgentsInLatestBuildByWorkspaceId(workspaceId: string): Promise<WorkspaceAgentRow[]>;
  updateWorkspaceAgentLifecycleStateById(params: UpdateWorkspaceAgentLifecycleStateParams): Promise<void>;
  updateWorkspaceDeletedById(params: { id: string; deleted: boolean; updatedAt: Instant }): Promise<void>;
  insertNotificationMessage(params: InsertNotificationMessageParams): Promise<NotificationMessageRow>;
  /** Ordered by created_at, id. */
  getNotificationMessages(): Promise<NotificationMessageRow[]>;

  // --- fixtures and the world's operator actions -------------------------------------------------
  insertOrganization(params: InsertOrganizationParams): Promise<OrganizationRow>;
  insertUser(params: InsertUserParams): Promise<UserRow>;
  insertTemplate(params: InsertTemplateParams): Promise<TemplateRow>;
  insertTemplateVersion(params: InsertTemplateVersionParams): Promise<TemplateVersionRow>;
  insertTemplateVersionParameter(
    params: InsertTemplateVersionParameterParams,
  ): Promise<TemplateVersionParameterRow>;
  insertPreset(params: InsertPresetParams): Promise<PresetRow>;
  insertPresetParameters(params: InsertPresetParametersParams): Promise<PresetParameterRow[]>;
  /** Promote a version. */
  updateTemplateActiveVersionById(params: {
    id: string;
    activeVersionId: string;
    updatedAt: Instant;
  }): Promise<void>;
  /** Empty message = not deprecated. */
  updateTemplateDeprecatedById(params: { id: string; deprecated: string; updatedAt: Instant }): Promise<void>;
  /** Soft delete (or undelete) a template. */
  updateTemplateDeletedById(params: { id: string; deleted: boolean; updatedAt: Instant }): Promise<void>;
  /** Not an upstream query (upstream needs a new version): the scenario's `setDesired` event. */
  updatePresetDesiredInstancesById(params: { id: string; desiredInstances: number | null }): Promise<void>;
}
