// The writes that invariants and the report reason about — workspaces created and deleted, builds
// and their jobs, cancellations and completions — recorded in the trace by whoever made them. A
// Store wrapper rather than hooks in the db layer: the reconciler, the create-workspace flow and the
// provisioner all write through a Store they were given, so wrapping the one each component gets
// names the actor without any of them knowing about the trace.
//
// Writes inside a transaction are recorded only when it commits, in the order they were made: a
// rolled-back creation (say, a validation failure) never appears in the trace.
import { NotificationTemplateId } from "../db/constants.ts";
import type { ProvisionerJobRow, WorkspaceBuildRow } from "../db/rows.ts";
import type { Store, TxOptions } from "../db/store.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../prebuilds/constants.ts";
import type { TraceKind, TraceKinds } from "../trace/events.ts";
import type { TraceRecord } from "../trace/trace.ts";

/** One trace record without its actor: the wrapper adds who made the write. */
export type WriteRecord = { [K in TraceKind]: { kind: K } & TraceKinds[K] }[TraceKind];

/** How traces name a user: the prebuilds system user by its name, everyone else by id. */
export function userLabel(userId: string): string {
  return userId === PREBUILDS_SYSTEM_USER_ID ? "prebuilds" : userId;
}

function purposeOf(
  job: ProvisionerJobRow | undefined,
  build: WorkspaceBuildRow,
): "prebuild" | "claim" | "regular" {
  switch (job?.input.prebuiltWorkspaceBuildStage) {
    case "create":
      return "prebuild";
    case "claim":
      return "claim";
    default:
      // Deletes of prebuilds carry no stage: they are the reconciler's work all the same.
      return build.initiatorId === PREBUILDS_SYSTEM_USER_ID ? "prebuild" : "regular";
  }
}

/** Where records go: straight to the trace, or into a transaction's buffer until it commits. */
type Sink = (record: WriteRecord) => void;

/**
 * Jobs inserted through this store family, so a build (inserted right after its job, by the
 * workspace builder) can say what its job is for. Entries go once the build is recorded.
 */
type JobsAwaitingBuild = Map<string, ProvisionerJobRow>;

function traced(store: Store, sink: Sink, jobs: JobsAwaitingBuild): Store {
  const handler: ProxyHandler<Store> = {
    get(target, prop, receiver) {
      switch (prop) {
        case "inTx":
          return <T>(fn: (tx: Store) => Promise<T>, options?: TxOptions): Promise<T> => {
            // A lock session is not one transaction: each statement stands alone, so it records directly.
            if (options?.readOnly === true) return target.inTx((tx) => fn(traced(tx, sink, jobs)), options);
            const buffer: WriteRecord[] = [];
            return target
              .inTx((tx) => fn(traced(tx, (r) => buffer.push(r), jobs)), options)
              .then((result) => {
                for (const r of buffer) sink(r);
                return result;
              });
          };
        case "insertProvisionerJob":
          return async (params: Parameters<Store["insertProvisionerJob"]>[0]) => {
            const job = await target.insertProvisionerJob(params);
            jobs.set(job.id, job);
            return job;
          };
        case "insertWorkspace":
          return async (params: Parameters<Store["insertWorkspace"]>[0]) => {
            const w = await target.insertWorkspace(params);
            sink({
              kind: "workspace.create",
              workspace: w.id,
              owner: userLabel(w.ownerId),
              template: w.templateId,
              name: w.name,
            });
            return w;
          };
        case "insertWorkspaceBuild":
          return async (params: Parameters<Store["insertWorkspaceBuild"]>[0]) => {
            const b = await target.insertWorkspaceBuild(params);
            const job = jobs.get(b.jobId);
            jobs.delete(b.jobId);
            sink({
              kind: "build.create",
              workspace: b.workspaceId,
              build: b.id,
              buildNumber: b.buildNumber,
              transition: b.transition,
              initiator: userLabel(b.initiatorId),
              preset: b.templateVersionPresetId,
              version: b.templateVersionId,
              job: b.jobId,
              purpose: purposeOf(job, b),
              orphan: job?.input.orphan ?? false,
            });
            return b;
          };
        case "updateWorkspaceDeletedById":
          return async (params: Parameters<Store["updateWorkspaceDeletedById"]>[0]) => {
            await target.updateWorkspaceDeletedById(params);
            if (params.deleted) sink({ kind: "workspace.delete", workspace: params.id });
          };
        case "updatePrebuildProvisionerJobWithCancel":
          return async (params: Parameters<Store["updatePrebuildProvisionerJobWithCancel"]>[0]) => {
            const canceled = await target.updatePrebuildProvisionerJobWithCancel(params);
            for (const c of canceled) sink({ kind: "job.cancel", job: c.id, workspace: c.workspaceId });
            return canceled;
          };
        case "updateProvisionerJobWithCompleteById":
          return async (params: Parameters<Store["updateProvisionerJobWithCompleteById"]>[0]) => {
            const job = await target.updateProvisionerJobWithCompleteById(params);
            const failed = job.jobStatus === "failed";
            sink(
              failed
                ? { kind: "job.complete", job: job.id, status: "failed", error: job.error ?? "" }
                : { kind: "job.complete", job: job.id, status: "succeeded" },
            );
            return job;
          };
        case "insertNotificationMessage":
          return async (params: Parameters<Store["insertNotificationMessage"]>[0]) => {
            const message = await target.insertNotificationMessage(params);
            // A resource-replacement message names the claimed workspace first among its targets.
            const aboutWorkspace =
              params.notificationTemplateId === NotificationTemplateId.WorkspaceResourceReplaced;
            sink({
              kind: "notification",
              template: params.notificationTemplateId,
              user: params.userId,
              workspace: aboutWorkspace ? (params.targets[0] ?? "") : "",
            });
            return message;
          };
        default: {
          const value = Reflect.get(target, prop, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        }
      }
    },
  };
  return new Proxy(store, handler);
}

/** `store`, recording its committed writes in the trace as `actor`. */
export function tracedStore(store: Store, actor: string, emit: (record: TraceRecord) => void): Store {
  return traced(store, (r) => emit({ actor, ...r }), new Map());
}
