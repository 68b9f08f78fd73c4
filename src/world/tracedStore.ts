// The writes that invariants and the report reason about — workspaces created and deleted, builds
// and their jobs, cancellations and completions — recorded in the trace by whoever made them. A
// Store wrapper rather than hooks in the db layer: the reconciler, the create-workspace flow and the
// provisioner all write through a Store they were given, so wrapping the one each component gets
// names the actor without any of them knowing about the trace.
//
// Writes inside a transaction are recorded only when it commits, in the order they were made: a
// rolled-back creation (say, a validation failure) never appears in the trace.
//
// The same wrapper keeps the provisioner queue's depth (`QueueDepth`): it sees every job join the
// queue (its build inserted), leave it (acquired by a daemon) or be canceled, at commit. The
// daemons' idle shortcut reads that counter, never the trace.
import { NotificationTemplateId } from "../db/constants.ts";
import type { ProvisionerJobRow, WorkspaceBuildRow } from "../db/rows.ts";
import type { Store, TxOptions } from "../db/store.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../prebuilds/constants.ts";
import type { TraceKind, TraceKinds } from "../trace/events.ts";
import type { TraceRecord } from "../trace/trace.ts";
import type { QueueDepth } from "./queueDepth.ts";

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

/** Where the store's committed writes are told: the trace, and the queue's depth. */
export interface TracedStoreSinks {
  readonly emit: (record: TraceRecord) => void;
  readonly queue: QueueDepth;
}

/** What a write does once committed: at once, or from a transaction's buffer when it commits. */
type Commit = (effect: () => void) => void;

/** Where a wrapped store tells its writes (as its actor). */
interface Outlets {
  readonly record: (record: WriteRecord) => void;
  readonly queue: QueueDepth;
}

/**
 * Jobs inserted through this store family, so a build (inserted right after its job, by the
 * workspace builder) can say what its job is for. Entries go once the build is recorded.
 */
type JobsAwaitingBuild = Map<string, ProvisionerJobRow>;

function traced(store: Store, commit: Commit, out: Outlets, jobs: JobsAwaitingBuild): Store {
  const handler: ProxyHandler<Store> = {
    get(target, prop, receiver) {
      switch (prop) {
        case "inTx":
          return <T>(fn: (tx: Store) => Promise<T>, options?: TxOptions): Promise<T> => {
            // A lock session is not one transaction: each statement stands alone, so it records directly.
            if (options?.readOnly === true)
              return target.inTx((tx) => fn(traced(tx, commit, out, jobs)), options);
            const buffer: (() => void)[] = [];
            return target
              .inTx((tx) => fn(traced(tx, (e) => buffer.push(e), out, jobs)), options)
              .then((result) => {
                for (const e of buffer) commit(e);
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
            commit(() =>
              out.record({
                kind: "workspace.create",
                workspace: w.id,
                owner: userLabel(w.ownerId),
                template: w.templateId,
                name: w.name,
              }),
            );
            return w;
          };
        case "insertWorkspaceBuild":
          return async (params: Parameters<Store["insertWorkspaceBuild"]>[0]) => {
            const b = await target.insertWorkspaceBuild(params);
            const job = jobs.get(b.jobId);
            jobs.delete(b.jobId);
            const orphan = job?.input.orphan ?? false;
            commit(() => {
              out.record({
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
                orphan,
              });
              // An orphan delete completes in its own transaction: no daemon ever sees it.
              if (!orphan)
                out.queue.enqueue(b.jobId, b.initiatorId === PREBUILDS_SYSTEM_USER_ID ? "prebuild" : "human");
            });
            return b;
          };
        case "updateWorkspaceDeletedById":
          return async (params: Parameters<Store["updateWorkspaceDeletedById"]>[0]) => {
            await target.updateWorkspaceDeletedById(params);
            if (params.deleted) commit(() => out.record({ kind: "workspace.delete", workspace: params.id }));
          };
        case "updatePrebuildProvisionerJobWithCancel":
          return async (params: Parameters<Store["updatePrebuildProvisionerJobWithCancel"]>[0]) => {
            const canceled = await target.updatePrebuildProvisionerJobWithCancel(params);
            commit(() => {
              for (const c of canceled) {
                out.record({ kind: "job.cancel", job: c.id, workspace: c.workspaceId });
                out.queue.leave(c.id);
              }
            });
            return canceled;
          };
        case "acquireProvisionerJob":
          return async (params: Parameters<Store["acquireProvisionerJob"]>[0]) => {
            const job = await target.acquireProvisionerJob(params);
            // The daemon records `job.acquire` itself (it knows how long the job queued).
            if (job !== null) commit(() => out.queue.leave(job.id));
            return job;
          };
        case "updateProvisionerJobWithCompleteById":
          return async (params: Parameters<Store["updateProvisionerJobWithCompleteById"]>[0]) => {
            const job = await target.updateProvisionerJobWithCompleteById(params);
            const failed = job.jobStatus === "failed";
            commit(() =>
              out.record(
                failed
                  ? { kind: "job.complete", job: job.id, status: "failed", error: job.error ?? "" }
                  : { kind: "job.complete", job: job.id, status: "succeeded" },
              ),
            );
            return job;
          };
        case "insertNotificationMessage":
          return async (params: Parameters<Store["insertNotificationMessage"]>[0]) => {
            const message = await target.insertNotificationMessage(params);
            // A resource-replacement message names the claimed workspace first among its targets.
            const aboutWorkspace =
              params.notificationTemplateId === NotificationTemplateId.WorkspaceResourceReplaced;
            commit(() =>
              out.record({
                kind: "notification",
                template: params.notificationTemplateId,
                user: params.userId,
                workspace: aboutWorkspace ? (params.targets[0] ?? "") : "",
              }),
            );
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

/** `store`, recording its committed writes in the trace as `actor` and keeping the queue's depth. */
export function tracedStore(store: Store, actor: string, sinks: TracedStoreSinks): Store {
  const out: Outlets = { record: (r) => sinks.emit({ actor, ...r }), queue: sinks.queue };
  return traced(store, (effect) => effect(), out, new Map());
}
