// Workspace agents after a successful start build: the agent connects (lifecycle `starting`) and,
// after `agentReadyAfter`, finishes its startup scripts (`ready`). Only then is a prebuild eligible
// for claiming (spec §2.3 readiness) and a person's workspace usable (`claim.ready`).
import type { Clock } from "../clock/types.ts";
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

export const AGENT_ACTOR = "world";

export class AgentStarter {
  constructor(
    private readonly kernel: Kernel,
    private readonly ctx: Context,
    private readonly clock: Clock,
    /** The agents' own connection to coderd. */
    private readonly store: Store,
    private readonly readyAfter: DurationDistribution,
    private readonly stream: RandomStream,
    private readonly outcomes: JobOutcomes,
    private readonly emit: (record: TraceRecord) => void,
  ) {}

  /**
   * Starts the agent's lifecycle as its own task. `personJobId` is the job a person waits on, whose
   * outcome becomes "ready" with the agent; null for prebuilds.
   */
  start(agentId: string, workspaceId: string, personJobId: string | null): void {
    const readyAfter = sampleDuration(this.stream, this.readyAfter);
    this.kernel.spawn(`agent ${agentId}`, async () => {
      const started = this.clock.now();
      await this.store.updateWorkspaceAgentLifecycleStateById({
        id: agentId,
        lifecycleState: "starting",
        startedAt: started,
        readyAt: null,
        updatedAt: started,
      });
      this.emit({
        actor: AGENT_ACTOR,
        kind: "agent.lifecycle",
        workspace: workspaceId,
        agent: agentId,
        state: "starting",
      });
      const timer = this.clock.newTimer(readyAfter, "agent", agentId);
      const woke = await select(this.kernel, this.ctx, timer.c);
      timer.stop();
      if (woke.index === 0) return;
      const ready = this.clock.now();
      await this.store.updateWorkspaceAgentLifecycleStateById({
        id: agentId,
        lifecycleState: "ready",
        startedAt: started,
        readyAt: ready,
        updatedAt: ready,
      });
      this.emit({
        actor: AGENT_ACTOR,
        kind: "agent.lifecycle",
        workspace: workspaceId,
        agent: agentId,
        state: "ready",
      });
      if (personJobId !== null) this.outcomes.report(personJobId, { kind: "ready", at: ready });
    });
  }
}
