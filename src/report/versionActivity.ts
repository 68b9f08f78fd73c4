// When a preset's template version was not the active one, so its prebuilds were draining: before
// it was promoted, after another version was promoted, and for good once its template was
// deprecated or deleted. Charts draw these stretches dashed on a hatched background.
import type { Interval } from "./intervals.ts";
import type { Instant } from "./timeUnits.ts";
import type { OperatorMark } from "./traceDigest.ts";

export function inactivePeriods(
  template: string,
  version: string,
  /** whether the version is the active one at `start` */
  activeAtStart: boolean,
  operator: readonly OperatorMark[],
  start: Instant,
  end: Instant,
): Interval[] {
  const periods: Interval[] = [];
  let active = activeAtStart;
  let retired = false;
  let inactiveSince: Instant | null = activeAtStart ? null : start;
  for (const mark of operator) {
    if (mark.template !== template) continue;
    if (mark.action === "promote") active = mark.version === version;
    else if (mark.action === "deprecate" || mark.action === "deleteTemplate") retired = true;
    else continue;
    const nowActive = active && !retired;
    if (nowActive && inactiveSince !== null) {
      if (mark.t > inactiveSince) periods.push({ from: inactiveSince, to: mark.t });
      inactiveSince = null;
    } else if (!nowActive && inactiveSince === null) {
      inactiveSince = mark.t;
    }
  }
  if (inactiveSince !== null && end > inactiveSince) periods.push({ from: inactiveSince, to: end });
  return periods;
}
