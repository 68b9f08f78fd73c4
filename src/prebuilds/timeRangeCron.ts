// Time-range cron specs (spec §3.5.2): a 5-field cron whose matching minutes form continuous
// ranges, e.g. "* 9-18 * * 1-5" = 09:00:00 through 18:59:59, Monday to Friday.
//
// Field grammar and day rule follow robfig/cron v3 (which upstream parses with): lists, ranges,
// `*` and `?`, steps (`*/2`, `1-9/2`, `5/2` = 5 to max by 2), month and weekday names; day of
// week is 0-6 with 0 = Sunday (7 is rejected, as robfig rejects it). The minute field must be `*`:
// ranges are expressed in hours. An optional `CRON_TZ=<zone>` prefix names the zone (UTC if absent).
//
// Matching: `at` is in range iff the wall-clock minute containing it, in the spec's zone, matches
// every field. Consequences at daylight-saving transitions, in local wall-clock terms:
//  - the skipped hour (e.g. 02:00-02:59 in Europe/Berlin on the last Sunday of March) never occurs,
//    so a range made only of that hour is empty that day and "* 2-3 * * *" lasts one real hour;
//  - the repeated hour (02:00-02:59 in Berlin on the last Sunday of October) occurs twice, so
//    "* 2 * * *" lasts two real hours that day.
import type { Instant } from "../clock/types.ts";
import { loadTimeZone, type WallClock, wallClockAt } from "./timeZone.ts";

export class CronSpecError extends Error {
  constructor(
    readonly spec: string,
    reason: string,
  ) {
    super(`time-range cron "${spec}": ${reason}`);
    this.name = "CronSpecError";
  }
}

interface FieldBounds {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const HOUR: FieldBounds = { name: "hour", min: 0, max: 23 };
const DAY_OF_MONTH: FieldBounds = { name: "day-of-month", min: 1, max: 31 };
const MONTH: FieldBounds = {
  name: "month",
  min: 1,
  max: 12,
  names: {
    jan: 1,
    feb: 2,
    mar: 3,
    apr: 4,
    may: 5,
    jun: 6,
    jul: 7,
    aug: 8,
    sep: 9,
    oct: 10,
    nov: 11,
    dec: 12,
  },
};
const DAY_OF_WEEK: FieldBounds = {
  name: "day-of-week",
  min: 0,
  max: 6,
  names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 },
};

/** A parsed field: the values it allows, and whether it was an unstepped `*`/`?` (robfig's star bit). */
interface CronField {
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

const TZ_PREFIX = "CRON_TZ=";

export class TimeRangeCron {
  private constructor(
    /** The spec as given, prefix included. */
    readonly spec: string,
    readonly timeZone: string,
    readonly hours: ReadonlySet<number>,
    readonly daysOfMonth: CronField,
    readonly months: ReadonlySet<number>,
    readonly daysOfWeek: CronField,
  ) {}

  /** Parses a spec; throws `CronSpecError` (or a zone error) saying which field is wrong and why. */
  static parse(spec: string): TimeRangeCron {
    let fields = spec.trim().split(/\s+/);
    let timeZone = "UTC";
    const first = fields[0] ?? "";
    if (first.startsWith(TZ_PREFIX)) {
      // As in Go, an empty zone name means UTC.
      const name = first.slice(TZ_PREFIX.length);
      if (name !== "") {
        try {
          timeZone = loadTimeZone(name);
        } catch (cause) {
          throw new CronSpecError(spec, `bad location ${name}: ${(cause as Error).message}`);
        }
      }
      fields = fields.slice(1);
    }
    if (fields.length !== 5 || fields.some((f) => f === "")) {
      throw new CronSpecError(spec, `expected exactly 5 fields, found ${fields.length}`);
    }
    const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
    if (minute !== "*")
      throw new CronSpecError(
        spec,
        `expected minutes to be * (time ranges are whole hours), got "${minute}"`,
      );
    return new TimeRangeCron(
      spec,
      timeZone,
      parseField(spec, hour, HOUR).values,
      parseField(spec, dom, DAY_OF_MONTH),
      parseField(spec, month, MONTH).values,
      parseField(spec, dow, DAY_OF_WEEK),
    );
  }

  /** Whether the wall-clock minute containing `at`, in this spec's zone, matches every field. */
  isWithinRange(at: Instant): boolean {
    return this.matchesWallClock(wallClockAt(at, this.timeZone));
  }

  matchesWallClock(w: WallClock): boolean {
    return this.hours.has(w.hour) && this.matchesDay(w.month, w.day, w.weekday);
  }

  /**
   * robfig's day rule: when day-of-month or day-of-week is an unstepped `*`, both must match;
   * when both are restricted, either may match ("the 1st, or any Monday").
   */
  matchesDay(month: number, day: number, weekday: number): boolean {
    if (!this.months.has(month)) return false;
    const domMatch = this.daysOfMonth.values.has(day);
    const dowMatch = this.daysOfWeek.values.has(weekday);
    if (this.daysOfMonth.star || this.daysOfWeek.star) return domMatch && dowMatch;
    return domMatch || dowMatch;
  }
}

function parseField(spec: string, text: string, bounds: FieldBounds): CronField {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(",")) {
    const range = parseRange(spec, part, bounds);
    for (let v = range.start; v <= range.end; v += range.step) values.add(v);
    star ||= range.star;
  }
  return { values, star };
}

interface CronRange {
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly star: boolean;
}

function parseRange(spec: string, part: string, bounds: FieldBounds): CronRange {
  const fail = (reason: string): never => {
    throw new CronSpecError(spec, `${bounds.name} field "${part}": ${reason}`);
  };
  const rangeAndStep = part.split("/");
  if (rangeAndStep.length > 2) fail("too many slashes");
  const lowAndHigh = (rangeAndStep[0] ?? "").split("-");
  const low = lowAndHigh[0] ?? "";
  let start: number;
  let end: number;
  let star = false;
  if (low === "*" || low === "?") {
    // robfig reads "*-…" as "*": whatever follows the hyphen is ignored.
    start = bounds.min;
    end = bounds.max;
    star = true;
  } else {
    if (lowAndHigh.length > 2) fail("too many hyphens");
    start = parseValue(low, bounds, fail);
    end = lowAndHigh.length === 2 ? parseValue(lowAndHigh[1] ?? "", bounds, fail) : start;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseNumber(rangeAndStep[1] ?? "", fail);
    // "N/step" means "from N to the maximum, by step".
    if (lowAndHigh.length === 1 && !star) end = bounds.max;
    // A stepped "*" is a restriction, not a wildcard, for the day rule.
    if (step > 1) star = false;
  }
  if (start < bounds.min) fail(`beginning of range (${start}) below minimum (${bounds.min})`);
  if (end > bounds.max) fail(`end of range (${end}) above maximum (${bounds.max})`);
  if (start > end) fail(`beginning of range (${start}) beyond end of range (${end})`);
  if (step === 0) fail("step of range should be a positive number");
  return { start, end, step, star };
}

function parseValue(text: string, bounds: FieldBounds, fail: (reason: string) => never): number {
  const named = bounds.names?.[text.toLowerCase()];
  return named ?? parseNumber(text, fail);
}

function parseNumber(text: string, fail: (reason: string) => never): number {
  if (!/^[+-]?\d+$/.test(text)) return fail(`failed to parse int from "${text}"`);
  const n = Number.parseInt(text, 10);
  if (n < 0) return fail(`negative number (${n}) not allowed`);
  return n;
}
