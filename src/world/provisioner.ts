// The provisioner fleet (SCENARIOS.md `provisioners`): daemons that take pending jobs FIFO by
// creation time and "run Terraform" for a sampled while. Prebuild and human jobs share one queue,
// as upstream, unless `prebuildDaemons` gives prebuilds a dedicated pool (the other daemons then
// take only people's jobs). An idle daemon waits in its replica's acquirer (src/world/acquirer.ts,
// upstream's): woken by job postings, and as a backup once per `pollInterval` per domain, so a
// dropped posting costs latency, not progress. During a provisioner outage no job is acquired;
// jobs already running finish.
//
// What a finished job does to the world: a successful start creates the build's resources and a
// top-level agent (which becomes ready after `agentReadyAfter`), a successful delete soft-deletes
// the workspace and stops its agent, a failure leaves the job failed and nothing else. A claim
// build's completion publishes the reinitialization event (upstream provisionerdserver's
// CompleteJob, after its transaction): the prebuild's running agent restarts as the new owner's
// instead of a new one starting — unless the claim replaced the resources, which boots a new agent.
import type { Duration, Instant } from "../clock/types.ts";
import type { ProvisionerJobRow, WorkspaceBuildRow } from "../db/rows.ts";
import type { ProvisionerJobInitiatorFilter, Store } from "../db/store.ts";
import { type Context, type RandomStream, sampleDuration, select } from "../kernel/index.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../prebuilds/constants.ts";
import { errorMessage } from "../prebuilds/errors.ts";
import type { ResourceReplacement } from "../prebuilds/notifications.ts";
import {
  PubsubWorkspaceClaimPublisher,
  REINITIALIZE_REASON_PREBUILD_CLAIMED,
} from "../prebuilds/reinitialization.ts";
import type { Provisioners } from "../scenario/scenario.ts";
import { Acquiree, type Acquirer } from "./acquirer.ts";
import type { AgentStarter } from "./agents.ts";
import { buildFailureProbability } from "./buildFailures.ts";
import { buildStreamFamily, buildStreams } from "./buildStreams.ts";
import type { Catalog } from "./catalog.ts";
import { API_RETRY_INTERVAL, RetryCanceledError, retryOnDatabaseError } from "./retry.ts";
import type { World } from "./world.ts";

/** What a failed build reports as its job error. */
export const SIMULATED_BUILD_ERROR = "simulated build failure";

/** The one resource every workspace has; a drifting claim replaces it because of its owner. */
const RESOURCE = { type: "simulated_instance", name: "dev" } as const;

/** What the provisioner reports for a claim build that replaced resources (spec §7.1). */
export const CLAIM_REPLACEMENTS: readonly ResourceReplacement[] = [
  { resource: `${RESOURCE.type}.${RESOURCE.name}`, paths: ["owner"] },
];

/** Upstream names in-memory provisioners by number; so do traces: `provisioner-N`. */
export function daemonName(index: number): string {
  return `provisioner-${index}`;
}

/** Which jobs daemon `index` takes: all of them, or its pool's (dedicated prebuild pool first). */
export function daemonFilter(config: Provisioners, index: number): ProvisionerJobInitiatorFilter {
  if (config.prebuildDaemons === 0) return "any";
  return index < config.prebuildDaemons ? "prebuilds" : "humans";
}

/**
 * What only the fleet knows for the run's results. Jobs and busy time are counted once, from the
 * trace (src/check/statistics.ts, summary.json).
 */
export class ProvisionerStats {
  /** From creation to acquisition, per job initiated by a person, in acquisition order. */
  readonly humanQueueWaitsMs: Duration[] = [];
}

/**
 * What daemons use of the world. `queue`: an acquisition from an empty queue changes nothing in
 * the world, so a daemon cleared to ask skips the database round trip when nothing it could take
 * is pending (every job taken lets the next waiting daemon ask, and that ask mostly finds
 * nothing). The traced stores keep that count as they commit every job insert, acquisition and
 * cancellation, so it is the database's queue.
 */
export type ProvisionerWorld = Pick<
  World,
  "kernel" | "clock" | "perturbedPubsub" | "faults" | "outcomes" | "queue" | "emit" | "settings" | "stream"
>;

/** The daemons' worker ids, in daemon order; each build's own draws come from buildStreams. */
export function provisionerIds(world: Pick<World, "stream">): RandomStream {
  return world.stream("provisioner/ids");
}

/** What the daemons of one fleet share. */
export interface ProvisionerOptions {
  readonly config: Provisioners;
  readonly catalog: Catalog;
  readonly agents: AgentStarter;
  readonly stats: ProvisionerStats;
  /** The acquirer of the replica this daemon is connected to. */
  readonly acquirer: Acquirer;
  /** A claim build replaced resources: upstream's provisioner server tells a coderd replica. */
  readonly onResourceReplacement: (
    build: WorkspaceBuildRow,
    replacements: readonly ResourceReplacement[],
  ) => void;
}

export class ProvisionerDaemon {
  readonly name: string;
  readonly #filter: ProvisionerJobInitiatorFilter;

  constructor(
    private readonly world: ProvisionerWorld,
    private readonly options: ProvisionerOptions,
    index: number,
    /** The daemon's worker id (a uuid, as `provisioner_jobs.worker_id` requires). */
    readonly workerId: string,
    /** The daemon's store, already traced as this daemon. */
    private readonly store: Store,
  ) {
    this.name = daemonName(index);
    this.#filter = daemonFilter(options.config, index);
  }

  /** The daemon's loop; returns when `ctx` is canceled. */
  async run(ctx: Context): Promise<void> {
    const { clock, faults, queue } = this.world;
    const { acquirer } = this.options;
    const acquiree = new Acquiree(this.world.kernel, this.name);
    // An empty queue answers an ask without the database: the UPDATE would have found nothing.
    const ask = (): Promise<ProvisionerJobRow | null> =>
      queue.hasPendingFor(this.#filter)
        ? this.#retry(ctx, "acquire provisioner job", () =>
            this.store.acquireProvisionerJob({
              now: clock.now(),
              workerId: this.workerId,
              initiator: this.#filter,
            }),
          )
        : Promise.resolve(null);
    try {
      while (!ctx.canceled) {
        const outageEnd = faults.outageEnd(clock.now());
        if (outageEnd !== null) {
          if (!(await this.#wait(ctx, outageEnd - clock.now()))) return;
          continue;
        }
        const acquired = await acquirer.acquireJob(ctx, this.#filter, acquiree, ask);
        if ("job" in acquired) await this.#execute(ctx, acquired.job);
        else if (acquired.stopped === "canceled") return;
      }
    } catch (err) {
      // The run ended while a database call was being retried: nothing is half-done in memory.
      if (!(err instanceof RetryCanceledError)) throw err;
    }
  }

  /**
   * A database round trip, retried while a fault fails it. simulation: upstream's daemon calls
   * again at once (and an acquisition's error passes its domain's clearance on); virtual time would
   * not move, so the call is repeated after API_RETRY_INTERVAL.
   */
  #retry<T>(ctx: Context, what: string, fn: () => Promise<T>): Promise<T> {
    return retryOnDatabaseError(this.world, ctx, this.name, what, API_RETRY_INTERVAL, fn);
  }

  /** Sleeps `d` unless `ctx` ends first; false when it ended. */
  async #wait(ctx: Context, d: Duration): Promise<boolean> {
    const timer = this.world.clock.newTimer(d, "provisioner", this.name);
    const r = await select(this.world.kernel, ctx, timer.c);
    timer.stop();
    return r.index !== 0;
  }

  async #execute(ctx: Context, job: ProvisionerJobRow): Promise<void> {
    const { clock, emit, faults } = this.world;
    const { config, catalog, stats } = this.options;
    const acquiredAt = clock.now();
    const queuedMs = acquiredAt - job.createdAt;
    emit({ actor: this.name, kind: "job.acquire", job: job.id, daemon: this.name, queuedMs });
    const human = job.initiatorId !== PREBUILDS_SYSTEM_USER_ID;
    if (human) stats.humanQueueWaitsMs.push(queuedMs);

    const buildId = job.input.workspaceBuildId;
    if (buildId === undefined) throw new Error(`${this.name}: job ${job.id} is not a workspace build`);
    const build = await this.#retry(ctx, `read build ${buildId}`, () =>
      this.store.getWorkspaceBuildById(buildId),
    );
    const preset =
      build.templateVersionPresetId === null ? undefined : catalog.presetById(build.templateVersionPresetId);
    const streams = buildStreams(this.world, buildStreamFamily(catalog, build, preset));

    // How long Terraform runs. An orphan delete has no state to destroy. A claim applies the new
    // owner to resources that already exist — no work — unless the plan replaces them (drift),
    // which costs a full build.
    // A preset's own times, where it has them, are drawn from the same streams as the global ones.
    const buildTime = preset?.spec.buildTime ?? config.buildTime;
    const deleteTime = preset?.spec.deleteTime ?? config.deleteTime;
    let replaced = false;
    let work: Duration;
    if (job.input.orphan) work = 0;
    else if (build.transition === "delete") work = sampleDuration(streams.deleteTime, deleteTime);
    else if (job.input.prebuiltWorkspaceBuildStage === "claim") {
      replaced = streams.drift.bool(preset?.spec.drift.replaceOnClaim ?? 0);
      work = replaced ? sampleDuration(streams.buildTime, buildTime) : 0;
    } else work = sampleDuration(streams.buildTime, buildTime);

    const finished = work === 0 || (await this.#wait(ctx, work));
    if (!finished) return;

    const p = buildFailureProbability(
      { transition: build.transition, preset },
      clock.now(),
      faults.buildFailures,
      config.failureRate,
    );
    const failed = !job.input.orphan && streams.failures.bool(p);
    if (!job.input.orphan) faults.noteBuild({ transition: build.transition, preset }, clock.now(), failed);
    // One transaction, timed when it commits: a retry after a failed attempt finds nothing half-written.
    const agent = await this.#retry(ctx, `complete job ${job.id}`, () =>
      this.#complete(job, build, failed, clock.now(), streams.ids),
    );
    if (failed) {
      if (human)
        this.world.outcomes.report(job.id, { kind: "failed", at: clock.now(), error: SIMULATED_BUILD_ERROR });
      return;
    }
    if (replaced) this.options.onResourceReplacement(build, CLAIM_REPLACEMENTS);
    const claim = job.input.prebuiltWorkspaceBuildStage === "claim";
    // A claim that kept the resources keeps the running agent: the event below reinitialises it.
    if (agent !== null && (!claim || replaced)) {
      this.options.agents.start(agent, build.workspaceId, {
        personJobId: human ? job.id : null,
        awaitsClaim: !human,
        ...(preset?.spec.agentReadyAfter === undefined ? {} : { readyAfter: preset.spec.agentReadyAfter }),
      });
    }
    if (build.transition === "delete") this.options.agents.stop(build.workspaceId);
    if (claim) await this.#publishClaim(build);
  }

  /** Upstream: best effort — a failed publish is logged and the job stays completed. */
  async #publishClaim(build: WorkspaceBuildRow): Promise<void> {
    const event = {
      workspaceId: build.workspaceId,
      reason: REINITIALIZE_REASON_PREBUILD_CLAIMED,
      // The claim build is initiated by the person who claimed the workspace: its new owner.
      ownerId: build.initiatorId,
    };
    const trace = { workspace: event.workspaceId, owner: event.ownerId, reason: event.reason };
    try {
      await new PubsubWorkspaceClaimPublisher(this.world.perturbedPubsub).publishWorkspaceClaim(event);
      this.world.emit({ actor: this.name, kind: "agent.reinit.publish", ...trace });
    } catch (err) {
      const error = errorMessage(err);
      this.world.emit({ actor: this.name, kind: "agent.reinit.publish", ...trace, error });
      this.world.emit({
        actor: this.name,
        kind: "log",
        level: "error",
        msg: "failed to publish workspace claim event",
        fields: { workspace_id: event.workspaceId, error },
      });
    }
  }

  /** Records the job's end in one transaction; returns the new agent's id after a successful start. */
  async #complete(
    job: ProvisionerJobRow,
    build: WorkspaceBuildRow,
    failed: boolean,
    at: Instant,
    ids: RandomStream,
  ): Promise<string | null> {
    return this.store.inTx(
      async (tx) => {
        if (failed) {
          await tx.updateProvisionerJobWithCompleteById({
            id: job.id,
            completedAt: at,
            error: SIMULATED_BUILD_ERROR,
          });
          return null;
        }
        let agentId: string | null = null;
        if (build.transition === "start") {
          const resource = await tx.insertWorkspaceResource({
            id: ids.uuid(),
            jobId: job.id,
            transition: "start",
            type: RESOURCE.type,
            name: RESOURCE.name,
            createdAt: at,
          });
          const agent = await tx.insertWorkspaceAgent({
            id: ids.uuid(),
            resourceId: resource.id,
            name: "main",
            lifecycleState: "created",
            createdAt: at,
          });
          agentId = agent.id;
        }
        await tx.updateProvisionerJobWithCompleteById({ id: job.id, completedAt: at, error: null });
        if (build.transition === "delete") {
          await tx.updateWorkspaceDeletedById({ id: build.workspaceId, deleted: true, updatedAt: at });
        }
        return agentId;
      },
      { txIdentifier: "provisionerd.completeJob" },
    );
  }
}
