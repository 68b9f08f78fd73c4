// Shared reading of the sampled time series for the liveness invariants: the first sample inside the
// settle window that satisfies a condition.
import type { Instant } from "../../clock/types.ts";
import type { PresetSample, PresetSeries } from "../../trace/timeseries.ts";
import type { TraceLine } from "../../trace/trace.ts";
import { instantOf, isKind } from "../lines.ts";
import type { RunModel } from "../runModel.ts";
import { type SettleWindow, settleWindow } from "../settle.ts";

/**
 * The settle window of a run, and per preset key the last `reconcile.preset` line inside it:
 * where a reader of a liveness violation looks first.
 */
export class SettleWatch {
  readonly #lastReconcile = new Map<string, number>();
  #window: SettleWindow | undefined;

  window(model: RunModel): SettleWindow {
    this.#window ??= settleWindow(model.scenario);
    return this.#window;
  }

  observe(line: TraceLine, model: RunModel): void {
    if (!isKind(line, "reconcile.preset")) return;
    if (instantOf(line) <= this.window(model).deadline) this.#lastReconcile.set(line.preset, line.seq);
  }

  lastReconcileOf(presetKey: string): number | undefined {
    return this.#lastReconcile.get(presetKey);
  }
}

/** The first sample with `from < t <= min(deadline, end)` satisfying `ok`. */
export function firstSampleWithin(
  series: PresetSeries | undefined,
  window: SettleWindow,
  end: Instant,
  ok: (s: PresetSample) => boolean,
): PresetSample | undefined {
  if (series === undefined) return undefined;
  const last = Math.min(window.deadline, end);
  return series.samples.find((s) => s.t > window.from && s.t <= last && ok(s));
}

/** The last sample at or before `t`. */
export function sampleAt(series: PresetSeries | undefined, t: Instant): PresetSample | undefined {
  if (series === undefined) return undefined;
  let found: PresetSample | undefined;
  for (const s of series.samples) {
    if (s.t > t) break;
    found = s;
  }
  return found;
}

export function isConverged(s: PresetSample): boolean {
  return s.running === s.desired && s.eligible === s.desired;
}

/** How a window is described in messages: why it may have ended early. */
export function windowEnd(window: SettleWindow, end: Instant): { at: Instant; note: string } {
  if (window.deadline <= end) return { at: window.deadline, note: "" };
  return { at: end, note: " (the run ended before the convergence window closed)" };
}
