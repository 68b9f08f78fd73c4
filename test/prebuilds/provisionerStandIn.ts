// What the world's provisioner daemons do, reduced to what these tests need: take every pending
// job and complete it, giving successful start builds a resource with one top-level agent.
import type { AgentLifecycleState, ProvisionerJobRow } from "../../src/db/rows.ts";
import type { Store } from "../../src/db/store.ts";
import type { RandomStream } from "../../src/kernel/rng.ts";

export interface CompletedJob {
  readonly job: ProvisionerJobRow;
  readonly workspaceId: string;
}

/**
 * Completes every pending job successfully (FIFO). A start build's agent ends in `lifecycle`; a
 * delete build soft-deletes its workspace. Returns what it completed.
 */
export async function completePendingJobs(
  store: Store,
  ids: RandomStream,
  now: number,
  lifecycle: AgentLifecycleState = "ready",
): Promise<CompletedJob[]> {
  const done: CompletedJob[] = [];
  for (;;) {
    const job = await store.acquireProvisionerJob({ now, workerId: ids.uuid(), initiator: "any" });
    if (job === null) return done;
    const buildId = job.input.workspaceBuildId;
    if (buildId === undefined) throw new Error(`job ${job.id} has no workspace build`);
    const build = await store.getWorkspaceBuildById(buildId);
    if (build.transition === "start") {
      const resource = await store.insertWorkspaceResource({
        id: ids.uuid(),
        jobId: job.id,
        transition: "start",
        type: "docker_container",
        name: "main",
        createdAt: now,
      });
      await store.insertWorkspaceAgent({
        id: ids.uuid(),
        resourceId: resource.id,
        name: "main",
        lifecycleState: lifecycle,
        createdAt: now,
      });
    }
    const completed = await store.updateProvisionerJobWithCompleteById({
      id: job.id,
      completedAt: now,
      error: null,
    });
    if (build.transition === "delete") {
      await store.updateWorkspaceDeletedById({ id: build.workspaceId, deleted: true, updatedAt: now });
    }
    done.push({ job: completed, workspaceId: build.workspaceId });
  }
}
