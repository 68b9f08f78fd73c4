// What a claim does to the prebuilt workspace's running agent (upstream `coderd/prebuilds/claim.go`
// and `codersdk/agentsdk`): once the claim build's job has completed, coderd publishes a
// reinitialization event on the workspace's own pubsub channel; the agent, which listens from the
// moment it starts, closes and starts again as the new owner's agent (it fetches the new manifest,
// runs its startup scripts again and reports `starting`, then `ready`). Until then the claimed
// workspace is not usable by its new owner.
import { Channel, type Context, type Kernel } from "../kernel/index.ts";
import { wrapError } from "./errors.ts";
import type { Pubsub } from "./pubsub.ts";

/** Upstream `agentsdk.ReinitializationReason`. */
export type ReinitializationReason = string;

/** Upstream `agentsdk.ReinitializeReasonPrebuildClaimed`, the only reason there is. */
export const REINITIALIZE_REASON_PREBUILD_CLAIMED: ReinitializationReason = "prebuild_claimed";

/** What a payload without a workspace id decodes to (Go's `uuid.Nil`). */
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** Upstream `agentsdk.ReinitializationEvent`. */
export interface ReinitializationEvent {
  readonly workspaceId: string;
  readonly reason: ReinitializationReason;
  /** The new owner; absent when an older publisher sent only the reason. */
  readonly ownerId?: string;
}

/** Upstream `agentsdk.PrebuildClaimedChannel`: one channel per workspace. */
export function prebuildClaimedChannel(workspaceId: string): string {
  return `prebuild_claimed_${workspaceId}`;
}

/** The payload on the wire, with upstream's JSON field names. */
export function encodeReinitializationEvent(event: ReinitializationEvent): string {
  return JSON.stringify({
    workspace_id: event.workspaceId,
    reason: event.reason,
    ...(event.ownerId === undefined ? {} : { owner_id: event.ownerId }),
  });
}

/**
 * Reads a payload as the listener does: JSON when it is a JSON object, else (a rolling upgrade,
 * older publishers sent the bare reason) the payload is the reason of an event for `workspaceId`.
 */
export function decodeReinitializationEvent(payload: string, workspaceId: string): ReinitializationEvent {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { workspaceId, reason: payload };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { workspaceId, reason: payload };
  }
  const fields = value as Record<string, unknown>;
  return {
    workspaceId: typeof fields.workspace_id === "string" ? fields.workspace_id : NIL_UUID,
    reason: typeof fields.reason === "string" ? fields.reason : "",
    ...(typeof fields.owner_id === "string" ? { ownerId: fields.owner_id } : {}),
  };
}

/** Upstream `PubsubWorkspaceClaimPublisher`. */
export class PubsubWorkspaceClaimPublisher {
  constructor(private readonly pubsub: Pubsub) {}

  /** Publishes on the workspace's channel; a failed publish rejects with upstream's message. */
  async publishWorkspaceClaim(event: ReinitializationEvent): Promise<void> {
    try {
      await this.pubsub.publish(
        prebuildClaimedChannel(event.workspaceId),
        encodeReinitializationEvent(event),
      );
    } catch (err) {
      throw wrapError("failed to trigger prebuilt workspace agent reinitialization", err);
    }
  }
}

/** A listener's events; `cancel` unsubscribes (the channel stays open, as upstream's is never closed). */
export interface WorkspaceClaimSubscription {
  readonly events: Channel<ReinitializationEvent>;
  cancel(): void;
}

/** Upstream `PubsubWorkspaceClaimListener`. */
export class PubsubWorkspaceClaimListener {
  constructor(
    private readonly pubsub: Pubsub,
    private readonly kernel: Kernel,
  ) {}

  /**
   * Subscribes to the workspace's claim channel; events arrive on `events` until `cancel` is called
   * or `ctx` ends. Rejects with the context's error when it has already ended, and with upstream's
   * message when the pubsub refuses the subscription.
   */
  listenForWorkspaceClaims(ctx: Context, workspaceId: string): WorkspaceClaimSubscription {
    if (ctx.err !== undefined) throw ctx.err;
    // Capacity 1 as upstream's: the publisher never waits on a listener (a workspace is claimed once).
    const events = new Channel<ReinitializationEvent>(this.kernel, `claims of workspace ${workspaceId}`, 1);
    let unsubscribe: () => void;
    try {
      unsubscribe = this.pubsub.subscribe(prebuildClaimedChannel(workspaceId), (payload) => {
        if (ctx.canceled) return;
        events.trySend(decodeReinitializationEvent(payload, workspaceId));
      });
    } catch (err) {
      throw wrapError("failed to subscribe to prebuild claimed channel", err);
    }
    let canceled = false;
    const cancel = (): void => {
      if (canceled) return;
      canceled = true;
      unsubscribe();
    };
    ctx.addReceiver({
      deliver: () => {
        cancel();
        return true;
      },
    });
    return { events, cancel };
  }
}
