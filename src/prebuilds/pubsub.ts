// coderd's pubsub as the prebuilds code uses it: after a job is committed, "provisioner job
// posted" is published so idle provisioner daemons wake at once instead of at their next poll
// (upstream `provisionerjobs.PostJob`). Losing a message only costs latency: daemons also poll.
import type { ProvisionerJobRow } from "../db/rows.ts";
import { Channel, type Kernel } from "../kernel/index.ts";

/** The channel provisioner daemons listen on. */
export const EVENT_PROVISIONER_JOB_POSTED = "provisioner_job_posted";

export type PubsubListener = (message: string) => void;

export interface Pubsub {
  /** Delivers `message` to every current listener of `event`. */
  publish(event: string, message: string): Promise<void>;
  /** Adds a listener; returns the function that removes it. */
  subscribe(event: string, listener: PubsubListener): () => void;
}

/** What a job posting tells a daemon: enough to decide whether it could take the job. */
export interface JobPosting {
  readonly jobId: string;
  readonly organizationId: string;
  readonly provisionerType: string;
  readonly initiatorId: string;
  readonly tags: Readonly<Record<string, string>>;
}

export function jobPosting(job: ProvisionerJobRow): JobPosting {
  return {
    jobId: job.id,
    organizationId: job.organizationId,
    provisionerType: job.provisioner,
    initiatorId: job.initiatorId,
    tags: job.tags,
  };
}

/** Upstream `provisionerjobs.PostJob`. */
export async function postJob(pubsub: Pubsub, job: ProvisionerJobRow): Promise<void> {
  await pubsub.publish(EVENT_PROVISIONER_JOB_POSTED, JSON.stringify(jobPosting(job)));
}

export function parseJobPosting(message: string): JobPosting {
  const value = JSON.parse(message) as Partial<JobPosting>;
  if (typeof value.jobId !== "string" || typeof value.organizationId !== "string") {
    throw new Error(`malformed job posting: ${message}`);
  }
  return value as JobPosting;
}

/**
 * The in-process pubsub of one simulated deployment. Listeners run synchronously inside
 * `publish`, in subscription order, on the publisher's task: they must not wait (a daemon's
 * listener offers the posting to its own kernel channel with a non-blocking send). A throwing
 * listener does not keep the message from the others; the first error is reported to the publisher.
 */
export class MemoryPubsub implements Pubsub {
  readonly #listeners = new Map<string, Set<PubsubListener>>();
  /** How many messages each event has carried; the world's samplers and tests read it. */
  readonly published = new Map<string, number>();

  async publish(event: string, message: string): Promise<void> {
    this.published.set(event, (this.published.get(event) ?? 0) + 1);
    let firstError: unknown;
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        listener(message);
      } catch (err) {
        firstError ??= err;
      }
    }
    if (firstError !== undefined) {
      throw new Error(`pubsub listener of ${event} failed`, { cause: firstError });
    }
  }

  subscribe(event: string, listener: PubsubListener): () => void {
    let listeners = this.#listeners.get(event);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(event, listeners);
    }
    const own = listeners;
    // A Set would fold a listener subscribed twice into one; wrap so each subscription counts.
    const entry: PubsubListener = (message) => listener(message);
    own.add(entry);
    return () => {
      own.delete(entry);
    };
  }
}

/**
 * A pubsub whose every publish and subscribe fails, as upstream's tests use to show publishing is
 * best-effort and a refused subscription is reported.
 */
export class BrokenPubsub implements Pubsub {
  async publish(event: string): Promise<void> {
    throw new Error(`pubsub is broken: cannot publish ${event}`);
  }

  subscribe(event: string): () => void {
    throw new Error(`pubsub is broken: cannot subscribe to ${event}`);
  }
}

/** A subscription whose messages arrive on a kernel channel, for a task to `receive` or `select` on. */
export interface ChannelSubscription {
  readonly channel: Channel<string>;
  /** How many messages arrived while the channel was full (they are lost, as on a slow listener). */
  readonly dropped: () => number;
  /** Stops the subscription and closes the channel. */
  cancel(): void;
}

/**
 * Subscribes to `event` through a buffered kernel channel of `capacity`: the listener offers each
 * message without waiting, so a publisher never blocks on a busy subscriber (a provisioner daemon
 * in the middle of a job); what does not fit is dropped, and the daemon's polling covers it.
 */
export function subscribeChannel(
  pubsub: Pubsub,
  kernel: Kernel,
  event: string,
  capacity: number,
): ChannelSubscription {
  const channel = new Channel<string>(kernel, `pubsub ${event}`, capacity);
  let dropped = 0;
  const unsubscribe = pubsub.subscribe(event, (message) => {
    if (!channel.closed && !channel.trySend(message)) dropped++;
  });
  return {
    channel,
    dropped: () => dropped,
    cancel() {
      unsubscribe();
      if (!channel.closed) channel.close();
    },
  };
}
