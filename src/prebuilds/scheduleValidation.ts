// Port of terraform-provider-coder's `provider/helpers/schedule_validation.go`: the check that
// v2.31's reconciler runs over a preset's schedules before using any of them (spec §3.5.1 step 4),
// and that the provider runs when a template is planned.
//
// It is an approximation, kept as such because Coder behaves by it: each field is parsed on its own
// (digits, `a-b` ranges, lists and an exact `*` only — no names, steps or `?`), the minute field is
// never looked at, and two schedules "overlap" when their months intersect, their days intersect by
// `daysOverlap`'s rule, and their hours intersect. `* 9-18 1 * 1-3` and `* 9-18 2 * 4-5` do not
// overlap by it although a Thursday the 1st matches both. Only pairs are checked, so a single
// schedule is never parsed here at all.
import { atoi, goFields } from "./goText.ts";

export class ScheduleValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScheduleValidationError";
  }
}

/** Wraps an error as Go's `xerrors.Errorf("prefix: %w", err)` prints it. */
function wrapped(prefix: string, run: () => boolean): boolean {
  try {
    return run();
  } catch (err) {
    throw new ScheduleValidationError(`${prefix}: ${(err as Error).message}`);
  }
}

/** Upstream's `ValidateSchedules`: every pair, in order; the first invalid or overlapping pair throws. */
export function validateSchedules(schedules: readonly string[]): void {
  for (let i = 0; i < schedules.length; i++) {
    for (let j = i + 1; j < schedules.length; j++) {
      const a = schedules[i] as string;
      const b = schedules[j] as string;
      if (wrapped("invalid schedule", () => schedulesOverlap(a, b))) {
        throw new ScheduleValidationError(`schedules overlap: ${a} and ${b}`);
      }
    }
  }
}

const FIELDS_EXPECTED = "expected 5 fields (minute hour day-of-month month day-of-week)";

/** Upstream's `SchedulesOverlap`: months, then days, then hours; the minute field is ignored. */
export function schedulesOverlap(schedule1: string, schedule2: string): boolean {
  const fields1 = goFields(schedule1);
  const fields2 = goFields(schedule2);
  for (const [schedule, fields] of [
    [schedule1, fields1],
    [schedule2, fields2],
  ] as const) {
    if (fields.length !== 5) {
      throw new ScheduleValidationError(
        `schedule ${JSON.stringify(schedule)} has ${fields.length} fields, ${FIELDS_EXPECTED}`,
      );
    }
  }
  const [, hour1, dom1, month1, dow1] = fields1 as [string, string, string, string, string];
  const [, hour2, dom2, month2, dow2] = fields2 as [string, string, string, string, string];
  if (!wrapped("invalid month range", () => monthsOverlap(month1, month2))) return false;
  if (!wrapped("invalid day range", () => daysOverlap(dom1, dow1, dom2, dow2))) return false;
  return wrapped("invalid hour range", () => hoursOverlap(hour1, hour2));
}

export const monthsOverlap = (a: string, b: string): boolean => checkOverlap(a, b, 12);
export const hoursOverlap = (a: string, b: string): boolean => checkOverlap(a, b, 23);
export const domOverlap = (a: string, b: string): boolean => checkOverlap(a, b, 31);
export const dowOverlap = (a: string, b: string): boolean => checkOverlap(a, b, 6);

/**
 * Upstream's `DaysOverlap`: a `*` day-of-month on either side compares weekdays only; else a `*`
 * weekday on either side compares days of month only; else either intersection is an overlap.
 * (Only the exact text `*` counts as a wildcard.)
 */
export function daysOverlap(dom1: string, dow1: string, dom2: string, dow2: string): boolean {
  if (dom1 === "*" || dom2 === "*") return dowOverlap(dow1, dow2);
  if (dow1 === "*" || dow2 === "*") return domOverlap(dom1, dom2);
  const dom = domOverlap(dom1, dom2);
  const dow = dowOverlap(dow1, dow2);
  return dom || dow;
}

/** Upstream's `CheckOverlap`: whether the two fields share a value (both are parsed first). */
export function checkOverlap(range1: string, range2: string, maxValue: number): boolean {
  const set1 = parseRange(range1, maxValue);
  const set2 = parseRange(range2, maxValue);
  for (const value of set1) if (set2.has(value)) return true;
  return false;
}

/**
 * Upstream's `ParseRange`: `*` is 0..maxValue (0 even for days and months), otherwise a comma list
 * of numbers and `a-b` ranges (text after a second hyphen is ignored, as upstream ignores it).
 */
export function parseRange(input: string, maxValue: number): Set<number> {
  const result = new Set<number>();
  if (input === "*") {
    for (let i = 0; i <= maxValue; i++) result.add(i);
    return result;
  }
  for (const part of input.split(",")) {
    if (part.includes("-")) {
      const [low = "", high = ""] = part.split("-");
      const start = goValue("invalid start value in range", low);
      const end = goValue("invalid end value in range", high);
      if (start < 0 || end > maxValue || start > end) {
        throw new ScheduleValidationError(
          `invalid range ${start}-${end}: values must be between 0 and ${maxValue}`,
        );
      }
      for (let i = start; i <= end; i++) result.add(i);
    } else {
      const value = goValue("invalid value", part);
      if (value < 0 || value > maxValue) {
        throw new ScheduleValidationError(`invalid value ${value}: must be between 0 and ${maxValue}`);
      }
      result.add(value);
    }
  }
  return result;
}

function goValue(prefix: string, text: string): number {
  try {
    return atoi(text);
  } catch (err) {
    throw new ScheduleValidationError(`${prefix}: ${(err as Error).message}`);
  }
}
