// `claim-takes-ready` (safety): a claim hands a person only a prebuilt workspace that is running
// and ready, of the preset asked for (spec §2.10, §5.2): owned by the prebuilds user, not deleted,
// its latest prebuild build a succeeded start of that preset on the template's active version,
// and every agent of that build ready.
import { splitClaimKey } from "../../trace/presetKey.ts";
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind, PREBUILDS_INITIATOR } from "../lines.ts";
import type { ReferenceModel } from "../reference/referenceModel.ts";
import type { RunModel } from "../runModel.ts";

export class ClaimTakesReady implements InvariantChecker {
  readonly name = "claim-takes-ready";
  readonly kind = "safety";
  readonly #log = new ViolationLog(this.name);

  constructor(private readonly reference: ReferenceModel) {}

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    if (!isKind(line, "claim.result") || !line.hit) return;
    const ws = model.workspace(line.workspace);
    const { template, preset } = splitClaimKey(line.preset);
    const wanted = `${template}/${model.activeVersion(template)}/${preset}`;
    const prebuild = ws?.builds.filter((b) => b.initiator === PREBUILDS_INITIATOR).at(-1);
    let why: string | undefined;
    if (ws === undefined || !ws.prebuild) why = "it is not a prebuilt workspace";
    else if (ws.deleted) why = "it was deleted";
    else if (ws.owner !== PREBUILDS_INITIATOR) why = `it already belonged to ${ws.owner}`;
    else if (prebuild === undefined || prebuild.transition !== "start")
      why = `its latest prebuild build is a ${prebuild?.transition ?? "missing"} build`;
    else if (prebuild.job.state !== "succeeded") why = `its build's job is ${prebuild.job.state}`;
    else if (prebuild.preset !== wanted) why = `it is a prebuild of ${prebuild.preset ?? "no preset"}`;
    else if (!this.reference.isReady(ws.id)) why = "its agents were not all ready";
    if (why === undefined) return;
    this.#log.add(
      instantOf(line),
      line.workspace,
      `${line.user} claimed workspace ${line.workspace} for ${wanted}, but ${why}`,
      [ws?.createLine, prebuild?.line, prebuild?.job.line, line.seq],
    );
  }

  finish(): void {}
}
