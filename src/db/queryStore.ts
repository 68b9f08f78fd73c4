// The Store's query methods, shared by every scope (root, lock session, transaction). Each
// method names its query; how and when the query runs (parking, atomicity, faults) is the
// scope's `runQuery`.
import type { Instant } from "../clock/types.ts";
import { NoRowsError } from "./errors.ts";
import * as agents from "./queries/agents.ts";
import * as claim from "./queries/claim.ts";
import * as notifications from "./queries/notifications.ts";
import * as orgs from "./queries/organizations.ts";
import * as prebuilds from "./queries/prebuilds.ts";
import * as presets from "./queries/presets.ts";
import * as jobs from "./queries/provisionerJobs.ts";
import * as siteConfig from "./queries/siteConfig.ts";
import type { Query } from "./queries/sql.ts";
import * as templates from "./queries/templates.ts";
import * as workspaces from "./queries/workspaces.ts";
import type { GroupMemberRow, PrebuildStatus } from "./rows.ts";
import type * as S from "./store.ts";

export abstract class QueryStore implements S.Store {
  abstract readonly connection: string;
  abstract readonly scope: S.StoreScope;
  abstract inTx<T>(fn: (tx: S.Store) => Promise<T>, options?: S.TxOptions): Promise<T>;
  abstract tryAcquireLock(lockId: number): Promise<boolean>;
  protected abstract runQuery<A extends unknown[], R>(query: Query<A, R>, ...args: A): Promise<R>;

  /** For single-row getters: nothing found is Go's `sql.ErrNoRows`. */
  protected async one<A extends unknown[], R>(query: Query<A, R | undefined>, ...args: A): Promise<R> {
    const row = await this.runQuery(query, ...args);
    if (row === undefined) throw new NoRowsError(query.name, this.connection, JSON.stringify(args));
    return row;
  }

  // --- prebuilds (spec §2) ----------------------------------------------------------------------
  getTemplatePresetsWithPrebuilds(templateId: string | null) {
    return this.runQuery(prebuilds.getTemplatePresetsWithPrebuilds, templateId);
  }
  getActivePresetPrebuildSchedules() {
    return this.runQuery(prebuilds.getActivePresetPrebuildSchedules);
  }
  getRunningPrebuiltWorkspaces() {
    return this.runQuery(prebuilds.getRunningPrebuiltWorkspaces);
  }
  countInProgressPrebuilds() {
    return this.runQuery(prebuilds.countInProgressPrebuilds);
  }
  countPendingNonActivePrebuilds() {
    return this.runQuery(prebuilds.countPendingNonActivePrebuilds);
  }
  updatePrebuildProvisionerJobWithCancel(params: { now: Instant; presetId: string }) {
    return this.runQuery(prebuilds.updatePrebuildProvisionerJobWithCancel, params);
  }
  getPresetsBackoff(lookback: Instant) {
    return this.runQuery(prebuilds.getPresetsBackoff, lookback);
  }
  getPresetsAtFailureLimit(hardLimit: number) {
    return this.runQuery(prebuilds.getPresetsAtFailureLimit, hardLimit);
  }
  getPrebuildMetrics() {
    return this.runQuery(prebuilds.getPrebuildMetrics);
  }
  claimPrebuiltWorkspace(params: S.ClaimPrebuiltWorkspaceParams) {
    return this.runQuery(claim.claimPrebuiltWorkspace, params);
  }
  findMatchingPresetId(params: S.FindMatchingPresetIdParams) {
    return this.runQuery(claim.findMatchingPresetId, params);
  }
  getOrganizationsWithPrebuildStatus(params: { userId: string; groupName: string }) {
    return this.runQuery(orgs.getOrganizationsWithPrebuildStatus, params);
  }

  // --- small prebuilds queries (spec §2.14) ------------------------------------------------------
  updatePresetPrebuildStatus(params: { presetId: string; status: PrebuildStatus }) {
    return this.runQuery(presets.updatePresetPrebuildStatus, params);
  }
  updatePresetsLastInvalidatedAt(params: { templateId: string; lastInvalidatedAt: Instant }) {
    return this.runQuery(presets.updatePresetsLastInvalidatedAt, params);
  }
  insertPresetPrebuildSchedule(params: S.InsertPresetPrebuildScheduleParams) {
    return this.runQuery(presets.insertPresetPrebuildSchedule, params);
  }
  getPresetParametersByTemplateVersionId(templateVersionId: string) {
    return this.runQuery(presets.getPresetParametersByTemplateVersionId, templateVersionId);
  }
  getPrebuildsSettings() {
    return this.runQuery(siteConfig.getPrebuildsSettings);
  }
  upsertPrebuildsSettings(value: string) {
    return this.runQuery(siteConfig.upsertPrebuildsSettings, value);
  }
  getPresetById(id: string) {
    return this.one(presets.getPresetById, id);
  }
  getPresetsByTemplateVersionId(templateVersionId: string) {
    return this.runQuery(presets.getPresetsByTemplateVersionId, templateVersionId);
  }
  getWorkspaceById(id: string) {
    return this.one(workspaces.getWorkspaceById, id);
  }
  getTemplateById(id: string) {
    return this.one(templates.getTemplateById, id);
  }
  getTemplateByOrganizationAndName(params: { organizationId: string; name: string }) {
    return this.one(templates.getTemplateByOrganizationAndName, params);
  }
  getTemplateVersionById(id: string) {
    return this.one(templates.getTemplateVersionById, id);
  }
  getTemplateVersionParameters(templateVersionId: string) {
    return this.runQuery(templates.getTemplateVersionParameters, templateVersionId);
  }
  getWorkspaceBuildById(id: string) {
    return this.one(workspaces.getWorkspaceBuildById, id);
  }
  getWorkspaceBuildByWorkspaceIdAndBuildNumber(params: { workspaceId: string; buildNumber: number }) {
    return this.one(workspaces.getWorkspaceBuildByWorkspaceIdAndBuildNumber, params);
  }
  getUserById(id: string) {
    return this.one(orgs.getUserById, id);
  }
  getUsers(params: { rbacRole: string | null }) {
    return this.runQuery(orgs.getUsers, params);
  }
  getOrganizationById(id: string) {
    return this.one(orgs.getOrganizationById, id);
  }
  insertWorkspace(params: S.InsertWorkspaceParams) {
    return this.runQuery(workspaces.insertWorkspace, params);
  }
  insertOrganizationMember(params: S.InsertOrganizationMemberParams) {
    return this.runQuery(orgs.insertOrganizationMember, params);
  }
  insertGroup(params: S.InsertGroupParams) {
    return this.runQuery(orgs.insertGroup, params);
  }
  insertGroupMember(params: GroupMemberRow) {
    return this.runQuery(orgs.insertGroupMember, params);
  }

  // --- workspace builder and fake provisioner ----------------------------------------------------
  getLatestWorkspaceBuildByWorkspaceId(workspaceId: string) {
    return this.one(workspaces.getLatestWorkspaceBuildByWorkspaceId, workspaceId);
  }
  getWorkspaceBuildsByWorkspaceId(workspaceId: string) {
    return this.runQuery(workspaces.getWorkspaceBuildsByWorkspaceId, workspaceId);
  }
  insertWorkspaceBuild(params: S.InsertWorkspaceBuildParams) {
    return this.runQuery(workspaces.insertWorkspaceBuild, params);
  }
  insertWorkspaceBuildParameters(params: S.InsertWorkspaceBuildParametersParams) {
    return this.runQuery(workspaces.insertWorkspaceBuildParameters, params);
  }
  getWorkspaceBuildParameters(workspaceBuildId: string) {
    return this.runQuery(workspaces.getWorkspaceBuildParameters, workspaceBuildId);
  }
  insertProvisionerJob(params: S.InsertProvisionerJobParams) {
    return this.runQuery(jobs.insertProvisionerJob, params);
  }
  getProvisionerJobById(id: string) {
    return this.one(jobs.getProvisionerJobById, id);
  }
  acquireProvisionerJob(params: S.AcquireProvisionerJobParams) {
    return this.runQuery(jobs.acquireProvisionerJob, params);
  }
  updateProvisionerJobStartedById(params: { id: string; workerId: string; startedAt: Instant }) {
    return this.one(jobs.updateProvisionerJobStartedById, params);
  }
  updateProvisionerJobWithCompleteById(params: S.CompleteProvisionerJobParams) {
    return this.one(jobs.updateProvisionerJobWithCompleteById, params);
  }
  updateProvisionerJobWithCancelById(params: {
    id: string;
    canceledAt: Instant;
    completedAt: Instant | null;
  }) {
    return this.one(jobs.updateProvisionerJobWithCancelById, params);
  }
  insertWorkspaceResource(params: S.InsertWorkspaceResourceParams) {
    return this.runQuery(agents.insertWorkspaceResource, params);
  }
  getWorkspaceResourcesByJobId(jobId: string) {
    return this.runQuery(agents.getWorkspaceResourcesByJobId, jobId);
  }
  insertWorkspaceAgent(params: S.InsertWorkspaceAgentParams) {
    return this.runQuery(agents.insertWorkspaceAgent, params);
  }
  getWorkspaceAgentsInLatestBuildByWorkspaceId(workspaceId: string) {
    return this.runQuery(agents.getWorkspaceAgentsInLatestBuildByWorkspaceId, workspaceId);
  }
  updateWorkspaceAgentLifecycleStateById(params: S.UpdateWorkspaceAgentLifecycleStateParams) {
    return this.runQuery(agents.updateWorkspaceAgentLifecycleStateById, params);
  }
  updateWorkspaceDeletedById(params: { id: string; deleted: boolean; updatedAt: Instant }) {
    return this.runQuery(workspaces.updateWorkspaceDeletedById, params);
  }
  insertNotificationMessage(params: S.InsertNotificationMessageParams) {
    return this.runQuery(notifications.insertNotificationMessage, params);
  }
  getNotificationMessages() {
    return this.runQuery(notifications.getNotificationMessages);
  }

  // --- fixtures and operator actions -------------------------------------------------------------
  insertOrganization(params: S.InsertOrganizationParams) {
    return this.runQuery(orgs.insertOrganization, params);
  }
  insertUser(params: S.InsertUserParams) {
    return this.runQuery(orgs.insertUser, params);
  }
  insertTemplate(params: S.InsertTemplateParams) {
    return this.runQuery(templates.insertTemplate, params);
  }
  insertTemplateVersion(params: S.InsertTemplateVersionParams) {
    return this.runQuery(templates.insertTemplateVersion, params);
  }
  insertTemplateVersionParameter(params: S.InsertTemplateVersionParameterParams) {
    return this.runQuery(templates.insertTemplateVersionParameter, params);
  }
  insertPreset(params: S.InsertPresetParams) {
    return this.runQuery(presets.insertPreset, params);
  }
  insertPresetParameters(params: S.InsertPresetParametersParams) {
    return this.runQuery(presets.insertPresetParameters, params);
  }
  updateTemplateActiveVersionById(params: { id: string; activeVersionId: string; updatedAt: Instant }) {
    return this.runQuery(templates.updateTemplateActiveVersionById, params);
  }
  updateTemplateDeprecatedById(params: { id: string; deprecated: string; updatedAt: Instant }) {
    return this.runQuery(templates.updateTemplateDeprecatedById, params);
  }
  updateTemplateDeletedById(params: { id: string; deleted: boolean; updatedAt: Instant }) {
    return this.runQuery(templates.updateTemplateDeletedById, params);
  }
  updatePresetDesiredInstancesById(params: { id: string; desiredInstances: number | null }) {
    return this.runQuery(presets.updatePresetDesiredInstancesById, params);
  }
}
