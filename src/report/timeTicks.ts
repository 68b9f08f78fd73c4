// The virtual-time axis of every chart: round tick instants (UTC-aligned multiples of a nice step)
// and labels a person reads at a glance — `HH:MM` within one UTC day, day and time for longer runs.
import { DAY, type Duration, HOUR, type Instant, MINUTE, SECOND } from "./timeUnits.ts";

const STEPS: readonly Duration[] = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
];

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export interface TimeAxis {
  ticks: Instant[];
  /** The label under a tick. */
  label(t: Instant): string;
  /** The axis title, naming the time zone (and the date when every tick is on one day). */
  title: string;
}

/** The smallest nice duration (1 s, 2 s, 5 s, … 1 d, 2 d, 1 w, whole weeks) at least `atLeast`. */
export function niceStep(atLeast: Duration): Duration {
  for (const step of STEPS) if (step >= atLeast) return step;
  return Math.ceil(atLeast / (7 * DAY)) * 7 * DAY;
}

/** The smallest nice step that gives at most `maxTicks` ticks over [start, end]. */
export function tickStep(start: Instant, end: Instant, maxTicks: number): Duration {
  return niceStep(Math.max(end - start, 1) / maxTicks);
}

function utcDay(t: Instant): number {
  return Math.floor(t / DAY);
}

export function timeAxis(start: Instant, end: Instant, maxTicks: number): TimeAxis {
  const step = tickStep(start, end, Math.max(2, maxTicks));
  const ticks: Instant[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) ticks.push(t);
  const multiDay = utcDay(start) !== utcDay(Math.max(start, end - 1));
  const withSeconds = step < MINUTE;
  const clock = (t: Instant) => new Date(t).toISOString().slice(11, withSeconds ? 19 : 16);
  if (!multiDay) {
    return { ticks, label: clock, title: `virtual time, UTC, ${new Date(start).toISOString().slice(0, 10)}` };
  }
  const day = (t: Instant) => {
    const d = new Date(t);
    return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  };
  return {
    ticks,
    label: step >= DAY ? day : (t) => `${day(t)} ${clock(t)}`,
    title: "virtual time, UTC",
  };
}
