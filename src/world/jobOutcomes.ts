// How a person learns that the workspace they asked for is usable: the provisioner reports when a
// human-initiated job failed, and the agent when it became ready after a successful build. A person
// waits on their job's channel. Outcomes that arrive before anyone waits are kept until read, so the
// order in which the requester and the provisioner run never loses one; only jobs of people are
// tracked, which bounds what is kept by the number of claims.
import type { Instant } from "../clock/types.ts";
import { Channel, type Kernel } from "../kernel/index.ts";

export type JobOutcome =
  | { readonly kind: "ready"; readonly at: Instant }
  | { readonly kind: "failed"; readonly at: Instant; readonly error: string };

export class JobOutcomes {
  readonly #channels = new Map<string, Channel<JobOutcome>>();

  constructor(private readonly kernel: Kernel) {}

  #channel(jobId: string): Channel<JobOutcome> {
    let ch = this.#channels.get(jobId);
    if (ch === undefined) {
      ch = new Channel<JobOutcome>(this.kernel, `outcome of job ${jobId}`, 1);
      this.#channels.set(jobId, ch);
    }
    return ch;
  }

  /** Records the outcome of a person's job; a second outcome for the same job is ignored. */
  report(jobId: string, outcome: JobOutcome): void {
    this.#channel(jobId).trySend(outcome);
  }

  /** The channel the job's outcome arrives on; forget it with `release` once received. */
  watch(jobId: string): Channel<JobOutcome> {
    return this.#channel(jobId);
  }

  release(jobId: string): void {
    this.#channels.delete(jobId);
  }
}
