// `cancel-pending-only` (safety): the reconciler cancels only creation jobs that are still pending
// and that no provisioner has taken (spec §2.5, §2.6: `job_status = 'pending'`, `worker_id IS
// NULL`, not completed; the filter is re-evaluated when the cancellation runs, so a job a daemon
// picked up meanwhile is left to finish). Judged from the jobs' own history in the trace: a
// `job.cancel` of a replica for a job that a daemon already acquired, or that had already ended,
// is a violation — the reconciler would pull a build out from under a running provisioner.
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind } from "../lines.ts";
import type { ReferenceModel } from "../reference/referenceModel.ts";
import type { RunModel } from "../runModel.ts";

export class CancelPendingOnly implements InvariantChecker {
  readonly name = "cancel-pending-only";
  readonly kind = "safety";
  readonly #log = new ViolationLog(this.name);

  constructor(private readonly reference: ReferenceModel) {}

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    if (!isKind(line, "job.cancel") || !this.reference.isReplica(line.actor)) return;
    const job = model.job(line.job);
    if (job === undefined || job.state === "pending") return;
    const was =
      job.state === "running" ? "a provisioner had already taken it" : `it had already ${job.state}`;
    this.#log.add(
      instantOf(line),
      line.workspace,
      `${line.actor} canceled job ${line.job} of workspace ${line.workspace}, but ${was}`,
      [job.line, model.cycle(line.actor)?.startLine, line.seq],
    );
  }

  finish(): void {}
}
