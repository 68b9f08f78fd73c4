// `one-active-build` (safety): a workspace never has two active (pending or running) jobs, and its
// build numbers run 1..n without gaps or repeats — the workspace builder's guarantees (spec §4.12).
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind } from "../lines.ts";
import { latestBuild, type RunModel } from "../runModel.ts";

export class OneActiveBuild implements InvariantChecker {
  readonly name = "one-active-build";
  readonly kind = "safety";
  readonly #log = new ViolationLog(this.name);

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    if (!isKind(line, "build.create")) return;
    const ws = model.workspace(line.workspace);
    const previous = ws === undefined ? undefined : latestBuild(ws);
    const expected = (previous?.buildNumber ?? 0) + 1;
    if (line.buildNumber !== expected) {
      this.#log.add(
        instantOf(line),
        line.workspace,
        `${line.actor} created build #${line.buildNumber} for workspace ${line.workspace}, expected #${expected}`,
        [previous?.line, line.seq],
      );
    }
    const state = previous?.job.state;
    if (previous !== undefined && (state === "pending" || state === "running")) {
      this.#log.add(
        instantOf(line),
        line.workspace,
        `${line.actor} created a ${line.transition} build for workspace ${line.workspace} while job ${previous.job.job} of build #${previous.buildNumber} (${previous.transition}) was still ${state}`,
        [previous.line, previous.job.line, line.seq],
      );
    }
  }

  finish(): void {}
}
