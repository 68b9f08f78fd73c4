// `claimed-never-reconciled` (safety): once a person has claimed a prebuilt workspace, the
// reconciler never builds it again — the claim-vs-delete guard of spec §4.10 and §10.1.2 holds.
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind, PREBUILDS_INITIATOR } from "../lines.ts";
import type { RunModel } from "../runModel.ts";

export class ClaimedNeverReconciled implements InvariantChecker {
  readonly name = "claimed-never-reconciled";
  readonly kind = "safety";
  readonly #log = new ViolationLog(this.name);

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    if (!isKind(line, "build.create") || line.initiator !== PREBUILDS_INITIATOR) return;
    const ws = model.workspace(line.workspace);
    if (ws?.claimedLine === undefined) return;
    this.#log.add(
      instantOf(line),
      line.workspace,
      `${line.actor} created a ${line.transition} build (#${line.buildNumber}) for workspace ${line.workspace}, which ${ws.owner} had claimed`,
      [ws.claimedLine, line.seq],
    );
  }

  finish(): void {}
}
