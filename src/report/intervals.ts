// Half-open stretches of virtual time, [from, to), and the set operations the charts need: lock
// holds, backoff periods and fault windows are unions of these, the lock overlap an intersection.
import type { Instant } from "./timeUnits.ts";

export interface Interval {
  from: Instant;
  to: Instant;
}

/** Sorted, with overlapping or touching intervals joined. Empty intervals are kept as points. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.from - b.from || a.to - b.to);
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && iv.from <= last.to) last.to = Math.max(last.to, iv.to);
    else out.push({ from: iv.from, to: iv.to });
  }
  return out;
}

/** The parts of `within` covered by any of `cover` (which need not be merged). */
export function intersect(within: Interval, cover: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const c of mergeIntervals(cover)) {
    const from = Math.max(within.from, c.from);
    const to = Math.min(within.to, c.to);
    if (to > from) out.push({ from, to });
  }
  return out;
}

/**
 * Joins intervals that would be drawn less than `minGap` apart once mapped through `x`, so a
 * long run's thousands of short lock holds become a few shapes instead of a wall of slivers.
 */
export function coalesceForDrawing(
  intervals: readonly Interval[],
  x: (t: Instant) => number,
  minGap: number,
): Interval[] {
  const out: Interval[] = [];
  for (const iv of mergeIntervals(intervals)) {
    const last = out[out.length - 1];
    if (last !== undefined && x(iv.from) - x(last.to) < minGap) last.to = Math.max(last.to, iv.to);
    else out.push({ ...iv });
  }
  return out;
}
