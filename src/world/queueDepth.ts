// The provisioner queue's depth at every change, not only at samples: a burst of prebuild jobs can
// be created and drained between two samples. Kept by the traced stores (src/world/tracedStore.ts)
// as they commit the writes that move a job: a non-orphan build's job joins the queue when its
// build is inserted, leaves it when a daemon acquires it or when the reconciler cancels it before
// any daemon did. Every such write in a run goes through a traced store, so this is the database's
// queue, known without a query.

export type QueueClass = "prebuild" | "human";

export class QueueDepth {
  readonly #pending = new Map<string, QueueClass>();
  readonly #depth: Record<QueueClass, number> = { prebuild: 0, human: 0 };
  /** Jobs that ever joined the queue. */
  enqueued = 0;

  get pending(): Readonly<Record<QueueClass, number>> {
    return this.#depth;
  }

  /** Whether a daemon taking `filter`'s jobs would find one now. */
  hasPendingFor(filter: "any" | "prebuilds" | "humans"): boolean {
    switch (filter) {
      case "any":
        return this.#depth.prebuild + this.#depth.human > 0;
      case "prebuilds":
        return this.#depth.prebuild > 0;
      case "humans":
        return this.#depth.human > 0;
    }
  }

  /** `job` joined the queue (its build was committed). */
  enqueue(job: string, cls: QueueClass): void {
    this.#pending.set(job, cls);
    this.#depth[cls] += 1;
    this.enqueued += 1;
  }

  /** `job` left the queue: a daemon acquired it or it was canceled. A job not queued changes nothing. */
  leave(job: string): void {
    const cls = this.#pending.get(job);
    if (cls === undefined) return;
    this.#pending.delete(job);
    this.#depth[cls] -= 1;
  }
}
