// Long runs have more samples than the plot has pixels; drawn one by one, a busy series becomes a
// solid block. Such series are summarised per bucket of a round duration (about three pixels
// wide): the chart then draws a mean line, and a min–max band where the spread matters.
import { niceStep } from "../timeTicks.ts";
import type { Duration, Instant } from "../timeUnits.ts";

const PIXELS_PER_BUCKET = 3;

/** The bucket width for `sampleCount` samples over [start, end], or null when each fits a pixel. */
export function bucketWidth(
  sampleCount: number,
  start: Instant,
  end: Instant,
  plotWidth: number,
): Duration | null {
  if (sampleCount <= plotWidth) return null;
  return niceStep((end - start) / (plotWidth / PIXELS_PER_BUCKET));
}

export interface Bucket<T> {
  /** the bucket's start */
  t: Instant;
  items: T[];
}

/** Items (in time order) grouped into buckets of `width` from `start`; empty buckets are left out. */
export function bucketize<T extends { t: Instant }>(
  items: readonly T[],
  start: Instant,
  width: Duration,
): Bucket<T>[] {
  const out: Bucket<T>[] = [];
  for (const item of items) {
    const t = start + Math.floor((item.t - start) / width) * width;
    const last = out[out.length - 1];
    if (last !== undefined && last.t === t) last.items.push(item);
    else out.push({ t, items: [item] });
  }
  return out;
}

/** Keeps the points where a step line changes, and the last one: the same line, fewer points. */
export function stepChanges<T>(items: readonly T[], value: (item: T) => string | number): T[] {
  return items.filter(
    (item, i) => i === 0 || i === items.length - 1 || value(item) !== value(items[i - 1] as T),
  );
}
