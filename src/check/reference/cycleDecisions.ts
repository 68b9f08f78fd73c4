// What one replica cycle decided and did for each preset, for the oracles judged at the cycle's
// end: the `reconcile.preset` line (the decision, and the replica's clock at it) and the delete
// builds the cycle wrote, by the preset of the deleted prebuild.
import type { Instant } from "../../clock/types.ts";
import type { TraceLine } from "../../trace/trace.ts";
import { instantOf, isKind, type LineOf, PREBUILDS_INITIATOR } from "../lines.ts";
import type { RunModel } from "../runModel.ts";
import type { ReferenceModel } from "./referenceModel.ts";
import type { PresetView } from "./snapshotWindow.ts";

/** A preset a finished cycle decided on, with the views its snapshot window kept. */
export interface DecidedPreset {
  readonly key: string;
  readonly decision: PresetDecision;
  readonly views: readonly PresetView[];
}

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

  /**
   * At `end` (a `reconcile.cycle.end` line), the presets its cycle decided on that can be judged:
   * not those it logged a problem for, nor those without views; with `cleanOnly`, none unless the
   * cycle held the lock, was not paused and ended without error.
   */
  judgeable(end: LineOf<"reconcile.cycle.end">, cleanOnly: boolean): DecidedPreset[] {
    if (cleanOnly && (!end.lockAcquired || end.paused || end.error !== undefined)) return [];
    const troubled = this.reference.troubled(end.actor);
    const judged: DecidedPreset[] = [];
    for (const [key, decision] of this.of(end.actor)) {
      const views = this.reference.snapshotViews(end.actor, key);
      if (!troubled.has(key) && views.length > 0) judged.push({ key, decision, views });
    }
    return judged;
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
