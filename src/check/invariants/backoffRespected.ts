// `backoff-respected` (safety): no prebuild is created for a preset while it is in backoff (spec
// §2.7, §3.7 step 1): some build among its `desired_instances` most recent latest start builds
// failed within the lookback, and the cycle's clock is not yet strictly after the latest such
// failure + (failures in the lookback × backoff interval). Recomputed from the builds; a cycle is
// judged only when the backoff holds both at its start and at its decision for the preset, so
// that whatever its snapshot read, it was in backoff.
import type { Instant } from "../../clock/types.ts";
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind } from "../lines.ts";
import type { ReferenceModel } from "../reference/referenceModel.ts";
import type { RunModel } from "../runModel.ts";
import { isPrebuildCreation } from "./createClamped.ts";

interface Backoff {
  until: Instant;
  evidence: number[];
}

export class BackoffRespected implements InvariantChecker {
  readonly name = "backoff-respected";
  readonly kind = "safety";
  readonly #log = new ViolationLog(this.name);
  /** actor → preset → its backoff when the actor's cycle started */
  readonly #atStart = new Map<string, Map<string, Backoff>>();
  /** actor → preset → the backoff its cycle's decision fell in */
  readonly #decided = new Map<string, Map<string, Backoff & { line: number; reported: boolean }>>();

  constructor(private readonly reference: ReferenceModel) {}

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    const actor = line.actor;
    if (isKind(line, "reconcile.cycle.start")) {
      const now = this.reference.clockOf(actor, instantOf(line));
      const backoffs = new Map<string, Backoff>();
      for (const key of this.reference.presetKeys) {
        const b = this.reference.backoffUntil(key, now);
        if (b !== undefined) backoffs.set(key, { until: b.until, evidence: b.builds.map((x) => x.job.line) });
      }
      this.#atStart.set(actor, backoffs);
      this.#decided.set(actor, new Map());
    } else if (isKind(line, "reconcile.preset")) {
      const start = this.#atStart.get(actor)?.get(line.preset);
      if (start === undefined) return;
      const now = this.reference.clockOf(actor, instantOf(line));
      const b = this.reference.backoffUntil(line.preset, now);
      if (b === undefined) return;
      const until = Math.min(start.until, b.until);
      if (now > until) return;
      this.#decided
        .get(actor)
        ?.set(line.preset, { until, evidence: start.evidence, line: line.seq, reported: false });
    } else if (isKind(line, "build.create") && isPrebuildCreation(line)) {
      const key = model.presetKey(line.preset);
      const decided = key === null ? undefined : this.#decided.get(actor)?.get(key);
      if (key === null || decided === undefined || decided.reported) return;
      decided.reported = true;
      this.#log.add(
        instantOf(line),
        key,
        `${actor} created a prebuild for ${key} inside its backoff window (until ${new Date(decided.until).toISOString()})`,
        [...decided.evidence, model.cycle(actor)?.startLine, decided.line, line.seq],
      );
    }
  }

  finish(): void {}
}
