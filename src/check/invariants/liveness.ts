// Shared reading of the sampled time series for the liveness invariants: the first sample inside the
// settle window that satisfies a condition.
import type { Instant } from "../../clock/types.ts";
import type { PresetSample, PresetSeries } from "../../trace/timeseries.ts";
import type { TraceLine } from "../../trace/trace.ts";
import { FaultOutcomes } from "../faultOutcomes.ts";
import { instantOf, isKind } from "../lines.ts";
import type { RunModel } from "../runModel.ts";
import { type SettleWindow, settleWindow } from "../settle.ts";

/**
 * The settle window of a run, and per preset key the last `reconcile.preset` line inside it:
 * where a reader of a liveness violation looks first.
 */
export class SettleWatch {
  /** Per preset key, its `reconcile.preset` lines as [instant, line], in trace order. */
  readonly #reconciles = new Map<string, Array<[Instant, number]>>();
  readonly #faults = new FaultOutcomes();
  #window: SettleWindow | undefined;

  /** The window; ask after the last line (faults count by the effect they reported). */
  window(model: RunModel): SettleWindow {
    this.#window ??= settleWindow(model.scenario, this.#faults.disturbanceEnds());
    return this.#window;
  }

  observe(line: TraceLine, _model: RunModel): void {
    this.#faults.observe(line);
    if (!isKind(line, "reconcile.preset")) return;
    const lines = this.#reconciles.get(line.preset) ?? [];
    if (lines.length === 0) this.#reconciles.set(line.preset, lines);
    lines.push([instantOf(line), line.seq]);
  }

  /** When the preset was last reconciled at or before `t`, or undefined when it never was. */
  lastReconciledAt(presetKey: string, t: Instant): Instant | undefined {
    const lines = this.#reconciles.get(presetKey) ?? [];
    // Trace order is time order: the last line at or before t, by bisection (called per sample).
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((lines[mid] as [Instant, number])[0] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : (lines[lo - 1] as [Instant, number])[0];
  }

  /** The preset's last `reconcile.preset` line by the window's deadline. */
  lastReconcileOf(presetKey: string, model: RunModel): number | undefined {
    const deadline = this.window(model).deadline;
    const lines = this.#reconciles.get(presetKey) ?? [];
    let last: number | undefined;
    for (const [t, seq] of lines) if (t <= deadline) last = seq;
    return last;
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
