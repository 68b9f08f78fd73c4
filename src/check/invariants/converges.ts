// `converges` (liveness): after the last operator event or fault, every active preset that is not
// hard-limited or validation-failed reaches running == eligible == desired in at least one sample
// within `expect.convergeWithin`. Samples come from the database (the sampler), statuses from the
// database at the end.
import type { TraceLine } from "../../trace/trace.ts";
import type { EndState } from "../endState.ts";
import type { InvariantChecker } from "../invariant.ts";
import { isoInstant, ViolationLog } from "../invariant.ts";
import type { RunModel } from "../runModel.ts";
import { firstSampleWithin, isConverged, SettleWatch, sampleAt, windowEnd } from "./liveness.ts";

export class Converges implements InvariantChecker {
  readonly name = "converges";
  readonly kind = "liveness";
  readonly #log = new ViolationLog(this.name);
  readonly #watch = new SettleWatch();
  /** preset key → the instant it converged, for every preset judged */
  readonly convergedAt = new Map<string, number | null>();

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    this.#watch.observe(line, model);
  }

  finish(end: EndState, model: RunModel): void {
    const window = this.#watch.window(model);
    const closes = windowEnd(window, end.end);
    for (const preset of end.presets) {
      const series = end.timeseries.presets.find((s) => s.key === preset.key);
      const hit = firstSampleWithin(series, window, end.end, isConverged);
      this.convergedAt.set(preset.key, hit?.t ?? null);
      if (!preset.active || preset.status !== "healthy" || hit !== undefined) continue;
      const last = sampleAt(series, closes.at);
      const seen =
        last === undefined
          ? "no sample of it was taken"
          : `at ${isoInstant(last.t)} desired ${last.desired}, running ${last.running}, eligible ${last.eligible}, starting ${last.starting}`;
      this.#log.add(
        closes.at,
        preset.key,
        `${preset.key} did not reach running == eligible == desired between ${isoInstant(window.from)} and ${isoInstant(closes.at)}${closes.note}; ${seen}`,
        [this.#watch.lastReconcileOf(preset.key, model)],
      );
    }
  }
}
