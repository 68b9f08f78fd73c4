// `no-leaked-prebuilds` (liveness): at the end no prebuilt workspace is left whose latest build is a
// failed or stuck stop or delete — the reconciler decided to remove it and it lingers with its
// resources (INC-11, INC-12). Failed creations are kept on purpose upstream and are not counted here.
import type { TraceLine } from "../../trace/trace.ts";
import type { EndState } from "../endState.ts";
import type { InvariantChecker } from "../invariant.ts";
import { isoInstant, ViolationLog } from "../invariant.ts";
import { isKind } from "../lines.ts";
import type { RunModel } from "../runModel.ts";

const ENDED_BADLY = new Set(["failed", "canceled", "canceling", "unknown"]);
const IN_FLIGHT = new Set(["pending", "running"]);

export class NoLeakedPrebuilds implements InvariantChecker {
  readonly name = "no-leaked-prebuilds";
  readonly kind = "liveness";
  readonly #log = new ViolationLog(this.name);
  /** build id → its build.create line */
  readonly #buildLines = new Map<string, number>();
  /** job id → the line that completed it */
  readonly #jobLines = new Map<string, number>();
  readonly #jobOfBuild = new Map<string, string>();

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine): void {
    if (isKind(line, "build.create")) {
      if (line.transition === "start") return;
      this.#buildLines.set(line.build, line.seq);
      this.#jobOfBuild.set(line.build, line.job);
    } else if (isKind(line, "job.complete") || isKind(line, "job.cancel")) {
      this.#jobLines.set(line.job, line.seq);
    }
  }

  finish(end: EndState, model: RunModel): void {
    // A removal still in flight is stuck when it has been waiting longer than the convergence
    // window: long enough for any queue to drain in a scenario that expects convergence.
    const stuckBefore = end.end - model.scenario.expect.convergeWithin;
    for (const p of end.prebuilds) {
      if (p.transition === "start") continue;
      const stuck = IN_FLIGHT.has(p.jobStatus) && p.createdAt < stuckBefore;
      if (!ENDED_BADLY.has(p.jobStatus) && !stuck) continue;
      const how = stuck ? `still ${p.jobStatus} since ${isoInstant(p.createdAt)}` : p.jobStatus;
      const job = this.#jobOfBuild.get(p.build);
      this.#log.add(
        end.end,
        p.workspace,
        `prebuilt workspace ${p.workspace}${p.preset === null ? "" : ` of ${p.preset}`} is left with a ${p.transition} build #${p.buildNumber} that ${stuck ? "is " : ""}${how}`,
        [this.#buildLines.get(p.build), job === undefined ? undefined : this.#jobLines.get(job)],
      );
    }
  }
}
