// The provisioner queue's depth at every change, not only at samples: a burst of prebuild jobs can
// be created and drained between two samples. Followed from the trace: a non-orphan build's job
// joins the queue (`build.create`), leaves it when a daemon takes it (`job.acquire`) or when the
// reconciler cancels it before any daemon did (`job.cancel`).
import type { TraceLine } from "../trace/trace.ts";

export type QueueClass = "prebuild" | "human";

export class QueueDepth {
  readonly #pending = new Map<string, QueueClass>();
  readonly #depth: Record<QueueClass, number> = { prebuild: 0, human: 0 };
  /** The deepest the queue has been, both classes together. */
  max = 0;
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

  observe(line: TraceLine): void {
    switch (line.kind) {
      case "build.create": {
        if (line.orphan === true) return;
        const cls: QueueClass = line.initiator === "prebuilds" ? "prebuild" : "human";
        this.#pending.set(String(line.job), cls);
        this.#depth[cls] += 1;
        this.enqueued += 1;
        this.max = Math.max(this.max, this.#depth.prebuild + this.#depth.human);
        return;
      }
      case "job.acquire":
      case "job.cancel": {
        const job = String(line.job);
        const cls = this.#pending.get(job);
        if (cls === undefined) return;
        this.#pending.delete(job);
        this.#depth[cls] -= 1;
        return;
      }
    }
  }
}
