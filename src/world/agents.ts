// Workspace agents after a successful start build: the agent connects (lifecycle `starting`) and,
// after `agentReadyAfter`, finishes its startup scripts (`ready`). Only then is a prebuild eligible
// for claiming (spec §2.3 readiness) and a person's workspace usable (`claim.ready`).
//
// A prebuild's agent listens, from its start, for the claim's reinitialization event on its
// workspace's channel (upstream's agent waits on `/workspaceagents/me/reinit`, which coderd feeds
// from pubsub). When the claim build completes and coderd publishes the event, the agent closes and
// starts again as the new owner's: it fetches its new manifest — the claim build's agent — reports
// `starting`, runs its startup scripts again for `agentReinitAfter` and reports `ready`. The person
// who claimed the workspace can use it only then. An agent whose workspace was deleted, or whose
// resources a drifting claim replaced, is stopped.
import type { Duration } from "../clock/types.ts";
import type { AgentLifecycleState } from "../db/rows.ts";
import type { Store } from "../db/store.ts";
import {
  type CancelFunc,
  CLOSED,
  type Context,
  type DurationDistribution,
  type RandomStream,
  sampleDuration,
  select,
} from "../kernel/index.ts";
import {
  PubsubWorkspaceClaimListener,
  type ReinitializationEvent,
  type WorkspaceClaimSubscription,
} from "../prebuilds/reinitialization.ts";
import { RetryCanceledError, retryOnDatabaseError } from "./retry.ts";
import type { World } from "./world.ts";

export const AGENT_ACTOR = "world";

/** What agents use of the world: the run's context (agents stop with it), the pubsub coderd publishes a claim's reinitialization event on, people's job outcomes. */
export type AgentWorld = Pick<
  World,
  "kernel" | "clock" | "ctx" | "pubsub" | "outcomes" | "emit" | "settings" | "stream"
>;

export interface AgentOptions {
  /** The agents' own connection to coderd. */
  readonly store: Store;
  readonly readyAfter: DurationDistribution;
  /** From the reinitialization event to `ready` again as the new owner's agent. */
  readonly reinitAfter: DurationDistribution;
  /** How long an agent waits before reporting its state again after a database error. */
  readonly retryEvery: Duration;
}

export interface AgentStart {
  /** The job a person waits on, whose outcome becomes "ready" with the agent; null for prebuilds. */
  readonly personJobId: string | null;
  /** A prebuild's agent: it listens for the claim's reinitialization event. */
  readonly awaitsClaim: boolean;
  /** How long its startup takes, when its preset says (absent: the starter's `readyAfter`). */
  readonly readyAfter?: DurationDistribution;
}

export class AgentStarter {
  readonly #listener: PubsubWorkspaceClaimListener;
  /** The agent running in each workspace, to stop it when the workspace's resources go. */
  readonly #running = new Map<string, { readonly agentId: string; readonly stop: CancelFunc }>();

  /** How long first starts take. */
  readonly #stream: RandomStream;
  /** How long each reinitialization takes: its own stream, so first starts draw as before. */
  readonly #reinitStream: RandomStream;

  constructor(
    private readonly world: AgentWorld,
    private readonly options: AgentOptions,
  ) {
    this.#listener = new PubsubWorkspaceClaimListener(world.pubsub, world.kernel);
    this.#stream = world.stream("agents");
    this.#reinitStream = world.stream("agents/reinit");
  }

  /** Starts the agent's lifecycle as its own task. */
  start(agentId: string, workspaceId: string, how: AgentStart): void {
    const { kernel, clock, outcomes } = this.world;
    const readyAfter = sampleDuration(this.#stream, how.readyAfter ?? this.options.readyAfter);
    this.stop(workspaceId);
    const { ctx, cancel } = this.world.ctx.withCancel(`agent ${agentId}`);
    this.#running.set(workspaceId, { agentId, stop: cancel });
    // Subscribed before anything can claim the workspace, as upstream's agent is from its start.
    const claims = how.awaitsClaim ? this.#listener.listenForWorkspaceClaims(ctx, workspaceId) : null;
    kernel.spawn(`agent ${agentId}`, async () => {
      try {
        const started = clock.now();
        await this.#report(ctx, agentId, workspaceId, "starting", started, null);
        if (!(await this.#wait(ctx, readyAfter, agentId))) return;
        const ready = clock.now();
        await this.#report(ctx, agentId, workspaceId, "ready", started, ready);
        if (how.personJobId !== null) outcomes.report(how.personJobId, { kind: "ready", at: ready });
        if (claims !== null) await this.#awaitClaim(ctx, workspaceId, claims);
      } catch (err) {
        if (!(err instanceof RetryCanceledError)) throw err;
      } finally {
        claims?.cancel();
        cancel();
        if (this.#running.get(workspaceId)?.agentId === agentId) this.#running.delete(workspaceId);
      }
    });
  }

  /** Stops the workspace's running agent, if any: its resources were destroyed or replaced. */
  stop(workspaceId: string): void {
    const running = this.#running.get(workspaceId);
    if (running === undefined) return;
    this.#running.delete(workspaceId);
    running.stop();
  }

  /** Waits for the claim's event, then reinitialises as the new owner's agent. */
  async #awaitClaim(ctx: Context, workspaceId: string, claims: WorkspaceClaimSubscription): Promise<void> {
    const got = await select(this.world.kernel, ctx, claims.events);
    if (got.index === 0 || got.value === CLOSED) return;
    await this.#reinitialize(ctx, workspaceId, got.value);
  }

  async #reinitialize(ctx: Context, workspaceId: string, event: ReinitializationEvent): Promise<void> {
    const { clock, outcomes, emit } = this.world;
    const { store } = this.options;
    const took = sampleDuration(this.#reinitStream, this.options.reinitAfter);
    const received = clock.now();
    // The new manifest: the claim build and its agent, which the claim's job has just inserted.
    const build = await this.#retry(ctx, `read latest build of workspace ${workspaceId}`, () =>
      store.getLatestWorkspaceBuildByWorkspaceId(workspaceId),
    );
    const agents = await this.#retry(ctx, `read agents of workspace ${workspaceId}`, () =>
      store.getWorkspaceAgentsInLatestBuildByWorkspaceId(workspaceId),
    );
    const agent = agents.find((a) => a.parentId === null && !a.deleted);
    if (agent === undefined) return;
    const started = clock.now();
    await this.#report(ctx, agent.id, workspaceId, "starting", started, null);
    if (!(await this.#wait(ctx, took, agent.id))) return;
    const ready = clock.now();
    await this.#report(ctx, agent.id, workspaceId, "ready", started, ready);
    emit({
      actor: AGENT_ACTOR,
      kind: "agent.reinit",
      workspace: workspaceId,
      agent: agent.id,
      owner: event.ownerId ?? "",
      reason: event.reason,
      durationMs: ready - received,
    });
    outcomes.report(build.jobId, { kind: "ready", at: ready });
  }

  /** Sleeps `d` unless the agent is stopped first; false when it was. */
  async #wait(ctx: Context, d: Duration, agentId: string): Promise<boolean> {
    const timer = this.world.clock.newTimer(d, "agent", agentId);
    const woke = await select(this.world.kernel, ctx, timer.c);
    timer.stop();
    return woke.index !== 0;
  }

  #retry<T>(ctx: Context, what: string, fn: () => Promise<T>): Promise<T> {
    return retryOnDatabaseError(this.world, ctx, AGENT_ACTOR, what, this.options.retryEvery, fn);
  }

  async #report(
    ctx: Context,
    agentId: string,
    workspaceId: string,
    state: AgentLifecycleState,
    startedAt: number,
    readyAt: number | null,
  ): Promise<void> {
    const { clock, emit } = this.world;
    const { store } = this.options;
    await this.#retry(ctx, `report agent ${agentId} ${state}`, () =>
      store.updateWorkspaceAgentLifecycleStateById({
        id: agentId,
        lifecycleState: state,
        startedAt,
        readyAt,
        updatedAt: clock.now(),
      }),
    );
    emit({ actor: AGENT_ACTOR, kind: "agent.lifecycle", workspace: workspaceId, agent: agentId, state });
  }
}
