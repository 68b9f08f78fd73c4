// `inactive-drained` (liveness): prebuilds of inactive versions and of deprecated or deleted
// templates reach zero running within the same window as `converges`.
import type { TraceLine } from "../../trace/trace.ts";
import type { EndState } from "../endState.ts";
import type { InvariantChecker } from "../invariant.ts";
import { isoInstant, ViolationLog } from "../invariant.ts";
import type { RunModel } from "../runModel.ts";
import { firstSampleWithin, SettleWatch, sampleAt, windowEnd } from "./liveness.ts";

export class InactiveDrained implements InvariantChecker {
  readonly name = "inactive-drained";
  readonly kind = "liveness";
  readonly #log = new ViolationLog(this.name);
  readonly #watch = new SettleWatch();

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
      if (preset.active) continue;
      const series = end.timeseries.presets.find((s) => s.key === preset.key);
      if (series === undefined || series.samples.length === 0) continue;
      if (firstSampleWithin(series, window, end.end, (s) => s.running === 0) !== undefined) continue;
      const last = sampleAt(series, closes.at);
      this.#log.add(
        closes.at,
        preset.key,
        `${preset.key} is inactive but still had ${last?.running ?? "some"} running prebuild(s) at every sample between ${isoInstant(window.from)} and ${isoInstant(closes.at)}${closes.note}`,
        [this.#watch.lastReconcileOf(preset.key, model)],
      );
    }
  }
}
