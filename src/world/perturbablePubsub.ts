// The deployment's pubsub as the reconcilers and the provisioner daemons publish on it, with the
// notification faults in between (`notifications-dropped`, `notifications-delayed`). Only two
// kinds of message are theirs to perturb: the job postings a reconciler publishes after creating a
// build (people's own builds post through the unwrapped pubsub) and the claim events a daemon
// publishes for the claimed workspace's agent. Subscribing is untouched.
import {
  EVENT_PROVISIONER_JOB_POSTED,
  type Pubsub,
  type PubsubListener,
  parseJobPosting,
} from "../prebuilds/pubsub.ts";
import { prebuildClaimedChannel } from "../prebuilds/reinitialization.ts";
import type { NotificationChannel, Perturbations } from "./perturbations.ts";

const CLAIM_PREFIX = prebuildClaimedChannel("");

function channelOf(event: string): NotificationChannel | null {
  if (event === EVENT_PROVISIONER_JOB_POSTED) return "jobs";
  if (event.startsWith(CLAIM_PREFIX)) return "claims";
  return null;
}

/**
 * What the notification is about, as the trace names it where it shows the notification (the job of
 * `build.create`, the workspace of `agent.reinit.publish`), so that a fault can say which one it took.
 */
function subjectOf(channel: NotificationChannel, event: string, message: string): string {
  return channel === "jobs" ? parseJobPosting(message).jobId : event.slice(CLAIM_PREFIX.length);
}

export class PerturbablePubsub implements Pubsub {
  constructor(
    private readonly inner: Pubsub,
    private readonly perturbations: Perturbations,
  ) {}

  // simulation hook: a notification fault may drop a message or send it later; the publisher
  // cannot tell (as with a broker that lost or held it), so it always sees a successful publish.
  publish(event: string, message: string): Promise<void> {
    const channel = channelOf(event);
    if (channel === null || !this.perturbations.watchesPublishes) return this.inner.publish(event, message);
    const verdict = this.perturbations.publish(channel, subjectOf(channel, event, message));
    if (verdict === "deliver") return this.inner.publish(event, message);
    if (verdict !== "drop") {
      verdict.later(() => {
        // A listener's failure has no publisher left to report to.
        this.inner.publish(event, message).catch(() => {});
      });
    }
    return Promise.resolve();
  }

  subscribe(event: string, listener: PubsubListener): () => void {
    return this.inner.subscribe(event, listener);
  }
}
