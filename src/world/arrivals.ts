// When people ask for workspaces: the arrival instants of one claim stream of the scenario's
// workload (SCENARIOS.md §1 `workload.claims`). Drawn once, up front, from the stream's own RNG
// stream, so the claims of one stream never shift when another stream or component draws more.
import { type Instant, MINUTE } from "../clock/types.ts";
import { poissonArrivals, type RandomStream } from "../kernel/rng.ts";
import { wallClockAt } from "../prebuilds/timeZone.ts";
import type { ClaimArrivals, DiurnalShape } from "../scenario/scenario.ts";

/** Zone offsets and their changes fall on quarter hours, so the local hour is constant within one. */
const QUARTER_HOUR = 15 * MINUTE;

/**
 * The rate multiplier of a diurnal shape as a function of time: the one of the local hour in the
 * shape's zone (its weekend multipliers on a local Saturday or Sunday, when it has them). Time-zone arithmetic is slow next to drawing a number, and a Poisson stream asks
 * for thousands of instants, so each quarter hour is converted once.
 */
export function diurnalMultiplier(shape: DiurnalShape): (t: Instant) => number {
  const byQuarter = new Map<number, number>();
  return (t) => {
    const quarter = Math.floor(t / QUARTER_HOUR);
    let m = byQuarter.get(quarter);
    if (m === undefined) {
      const local = wallClockAt(quarter * QUARTER_HOUR, shape.timezone);
      const hour = local.hour;
      const weekend = shape.weekend !== undefined && (local.weekday === 0 || local.weekday === 6);
      m = (weekend ? shape.weekend : shape.multipliers)?.[hour];
      if (m === undefined)
        throw new RangeError(`diurnal shape in ${shape.timezone}: no multiplier for local hour ${hour}`);
      byQuarter.set(quarter, m);
    }
    return m;
  };
}

/**
 * Arrival instants in [from, to), ascending. `rate` streams are Poisson processes (thinned by the
 * diurnal multipliers when a shape is given); `every` starts one period after `from`, like a
 * ticker; `at` keeps the listed instants that fall inside the window, in time order.
 */
export function claimArrivals(
  arrivals: ClaimArrivals,
  s: RandomStream,
  from: Instant,
  to: Instant,
): Instant[] {
  switch (arrivals.kind) {
    case "poisson": {
      const shape = arrivals.diurnal;
      if (shape === null) return poissonArrivals(s, arrivals.perHour, from, to);
      const peak = Math.max(...shape.multipliers, ...(shape.weekend ?? []));
      return poissonArrivals(s, arrivals.perHour, from, to, diurnalMultiplier(shape), peak);
    }
    case "every": {
      if (arrivals.every <= 0)
        throw new RangeError(`claim stream: every must be positive, got ${arrivals.every} ms`);
      const out: Instant[] = [];
      for (let t = from + arrivals.every; t < to; t += arrivals.every) out.push(t);
      return out;
    }
    case "at":
      return arrivals.times
        .map((m) => m.at)
        .filter((t) => t >= from && t < to)
        .sort((a, b) => a - b);
  }
}
