// What one replica cycle decided and did for each preset, for the oracles judged at the cycle's
// end: the `reconcile.preset` line (the decision, and the replica's clock at it) and the delete
// builds the cycle wrote, by the preset of the deleted prebuild.
import type { Instant } from "../../clock/types.ts";
import type { TraceLine } from "../../trace/trace.ts";
import { instantOf, isKind, PREBUILDS_INITIATOR } from "../lines.ts";
import type { RunModel } from "../runModel.ts";
import type { ReferenceModel } from "./referenceModel.ts";

export interface PresetDecision {
  readonly line: number;
  /** The replica's clock at the decision. */
  readonly now: Instant;
  /** Workspace → the line of the delete build this cycle wrote for it. */
  readonly deleted: Map<string, number>;
}

export class CycleDecisions {
  /** actor → preset → decision of its current cycle */
  readonly #cycles = new Map<string, Map<string, PresetDecision>>();

  constructor(private readonly reference: ReferenceModel) {}

  /** The decisions of `actor`'s current cycle. */
  of(actor: string): ReadonlyMap<string, PresetDecision> {
    return this.#cycles.get(actor) ?? new Map();
  }

  /** Sees each line before the run model applies it. */
  observe(line: TraceLine, model: RunModel): void {
    if (isKind(line, "reconcile.cycle.start")) {
      this.#cycles.set(line.actor, new Map());
    } else if (isKind(line, "reconcile.preset")) {
      this.#cycles.get(line.actor)?.set(line.preset, {
        line: line.seq,
        now: this.reference.clockOf(line.actor, instantOf(line)),
        deleted: new Map(),
      });
    } else if (
      isKind(line, "build.create") &&
      line.transition === "delete" &&
      line.initiator === PREBUILDS_INITIATOR
    ) {
      const key = model.workspace(line.workspace)?.builds[0]?.preset ?? null;
      if (key !== null) this.#cycles.get(line.actor)?.get(key)?.deleted.set(line.workspace, line.seq);
    }
  }
}
