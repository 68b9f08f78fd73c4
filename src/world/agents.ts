// Workspace agents after a successful start build: the agent connects (lifecycle `starting`) and,
// after `agentReadyAfter`, finishes its startup scripts (`ready`). Only then is a prebuild eligible
// for claiming (spec §2.3 readiness) and a person's workspace usable (`claim.ready`).
import type { Clock, Duration } from "../clock/types.ts";
import type { AgentLifecycleState } from "../db/rows.ts";
import type { Store } from "../db/store.ts";
import {
  type Context,
  type DurationDistribution,
  type Kernel,
  type RandomStream,
  sampleDuration,
  select,
} from "../kernel/index.ts";
import type { TraceRecord } from "../trace/trace.ts";
import type { JobOutcomes } from "./jobOutcomes.ts";
import { RetryCanceledError, retryOnDatabaseError } from "./retry.ts";

export const AGENT_ACTOR = "world";

export interface AgentDeps {
  readonly kernel: Kernel;
  /** The run's context: agents stop with it. */
  readonly ctx: Context;
  readonly clock: Clock;
  /** The agents' own connection to coderd. */
  readonly store: Store;
  readonly readyAfter: DurationDistribution;
  readonly stream: RandomStream;
  readonly outcomes: JobOutcomes;
  readonly emit: (record: TraceRecord) => void;
  /** How long an agent waits before reporting its state again after a database error. */
  readonly retryEvery: Duration;
}

export class AgentStarter {
  constructor(private readonly deps: AgentDeps) {}

  /**
   * Starts the agent's lifecycle as its own task. `personJobId` is the job a person waits on, whose
   * outcome becomes "ready" with the agent; null for prebuilds.
   */
  start(agentId: string, workspaceId: string, personJobId: string | null): void {
    const { kernel, ctx, clock, outcomes } = this.deps;
    const readyAfter = sampleDuration(this.deps.stream, this.deps.readyAfter);
    kernel.spawn(`agent ${agentId}`, async () => {
      try {
        const started = clock.now();
        await this.#report(agentId, workspaceId, "starting", started, null);
        const timer = clock.newTimer(readyAfter, "agent", agentId);
        const woke = await select(kernel, ctx, timer.c);
        timer.stop();
        if (woke.index === 0) return;
        const ready = clock.now();
        await this.#report(agentId, workspaceId, "ready", started, ready);
        if (personJobId !== null) outcomes.report(personJobId, { kind: "ready", at: ready });
      } catch (err) {
        if (!(err instanceof RetryCanceledError)) throw err;
      }
    });
  }

  async #report(
    agentId: string,
    workspaceId: string,
    state: AgentLifecycleState,
    startedAt: number,
    readyAt: number | null,
  ): Promise<void> {
    const { ctx, clock, store, emit, retryEvery } = this.deps;
    await retryOnDatabaseError(
      this.deps,
      ctx,
      AGENT_ACTOR,
      `report agent ${agentId} ${state}`,
      retryEvery,
      () =>
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
