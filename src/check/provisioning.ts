// Over- and under-provisioning of a preset, from its sampled series: how many prebuild-minutes the
// pool ran above its desired count (prebuilds paid for and not wanted) and below it (people who
// could have found one and did not), and the largest excess and shortfall. The one place these
// figures are computed; summary.json and the report both take them from here.
import type { Instant } from "../clock/types.ts";
import type { PresetSample } from "../trace/timeseries.ts";

export interface ProvisioningFigure {
  /** Prebuild-minutes: the gap between running and desired integrated over virtual time. */
  minutes: number;
  /** The largest gap seen at one sample (prebuilds). */
  peak: number;
}

export interface Provisioning {
  /** running > desired */
  overProvisioned: ProvisioningFigure;
  /** running < desired */
  underProvisioned: ProvisioningFigure;
}

const MINUTE = 60_000;

/**
 * Each sample stands until the next one (the series is a step function) and the last until `end`.
 * Running counts every running prebuild, expired ones included, as the chart draws it; an inactive
 * version's desired count is 0, so its draining pool counts as over-provisioned until it is gone.
 * Minutes are rounded to hundredths.
 */
export function provisioningOf(samples: readonly PresetSample[], end: Instant): Provisioning {
  let over = 0;
  let under = 0;
  let overPeak = 0;
  let underPeak = 0;
  samples.forEach((s, i) => {
    const until = Math.max(s.t, samples[i + 1]?.t ?? end);
    const gap = s.running - s.desired;
    if (gap > 0) {
      over += gap * (until - s.t);
      overPeak = Math.max(overPeak, gap);
    } else if (gap < 0) {
      under += -gap * (until - s.t);
      underPeak = Math.max(underPeak, -gap);
    }
  });
  const minutes = (ms: number) => Math.round((100 * ms) / MINUTE) / 100;
  return {
    overProvisioned: { minutes: minutes(over), peak: overPeak },
    underProvisioned: { minutes: minutes(under), peak: underPeak },
  };
}
