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
import { atoi, goFields } from "./goText.ts";
import { loadTimeZone, type WallClock, wallClockAt } from "./timeZone.ts";

/** A spec `TimeRange` refuses; the message is the error upstream's `cron.TimeRange` returns. */
export class CronSpecError extends Error {
  constructor(
    readonly spec: string,
    message: string,
  ) {
    super(message);
    this.name = "CronSpecError";
  }
}

interface FieldBounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MINUTE: FieldBounds = { min: 0, max: 59 };
const HOUR: FieldBounds = { min: 0, max: 23 };
const DAY_OF_MONTH: FieldBounds = { min: 1, max: 31 };
const MONTH: FieldBounds = {
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

  /**
   * Upstream's `cron.TimeRange`: its own check of the raw text (at least 5 fields; with exactly 6 the
   * first is taken for the zone prefix; the minute field must be `*`), then robfig's parser on the
   * spec with `CRON_TZ=UTC ` put in front when it has no prefix. Throws `CronSpecError` with the
   * message upstream's error prints, e.g. `parse schedule: end of range (7) above maximum (6): 7`.
   *
   * Upstream's quirk is kept: with a prefix and 4 (or 6) cron fields, the check looks at the prefix
   * as if it were the minute field, and says "expected minutes to be *".
   */
  static parse(spec: string): TimeRangeCron {
    let parts = goFields(spec);
    if (parts.length < 5) {
      throw new CronSpecError(
        spec,
        "validate time range schedule: expected schedule to consist of 5 fields with an optional CRON_TZ=<timezone> prefix",
      );
    }
    if (parts.length === 6) parts = parts.slice(1);
    if (parts[0] !== "*") {
      throw new CronSpecError(spec, "validate time range schedule: expected minutes to be *");
    }
    const raw = spec.startsWith(TZ_PREFIX) ? spec : `${TZ_PREFIX}UTC ${spec}`;
    let fields: RobfigFields;
    try {
      fields = parseRobfigSpec(raw);
    } catch (err) {
      if (err instanceof RobfigParseError) throw new CronSpecError(spec, `parse schedule: ${err.message}`);
      throw err;
    }
    return new TimeRangeCron(
      spec,
      fields.timeZone,
      fields.hours,
      fields.daysOfMonth,
      fields.months,
      fields.daysOfWeek,
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

/** An error of robfig's parser, as it prints it, before upstream wraps it. */
export class RobfigParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RobfigParseError";
  }
}

interface RobfigFields {
  readonly timeZone: string;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: CronField;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: CronField;
}

/**
 * robfig/cron v3's `Parser.Parse` with the five standard fields and no descriptors (how both
 * `cron.TimeRange` and the Terraform provider parse): an optional `TZ=`/`CRON_TZ=` zone prefix, then
 * exactly five fields. Without a prefix robfig uses the machine's zone; here that is UTC. Throws
 * `RobfigParseError` with robfig's message.
 */
export function parseRobfigSpec(spec: string): RobfigFields {
  if (spec.length === 0) throw new RobfigParseError("empty spec string");
  let rest = spec;
  let timeZone = "UTC";
  if (spec.startsWith("TZ=") || spec.startsWith(TZ_PREFIX)) {
    // robfig takes the zone name from after "=" up to the first space.
    const space = spec.indexOf(" ");
    const name = spec.slice(spec.indexOf("=") + 1, space < 0 ? undefined : space);
    // As in Go, an empty zone name means UTC.
    if (name !== "") {
      try {
        timeZone = loadTimeZone(name);
      } catch (cause) {
        throw new RobfigParseError(`provided bad location ${name}: ${(cause as Error).message}`);
      }
    }
    rest = space < 0 ? "" : spec.slice(space).trim();
  }
  if (rest.startsWith("@")) throw new RobfigParseError(`parser does not accept descriptors: ${rest}`);
  const fields = goFields(rest);
  if (fields.length !== 5) {
    throw new RobfigParseError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`);
  }
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  // robfig parses every field in order and reports the first error.
  parseField(minute, MINUTE);
  return {
    timeZone,
    hours: parseField(hour, HOUR).values,
    daysOfMonth: parseField(dom, DAY_OF_MONTH),
    months: parseField(month, MONTH).values,
    daysOfWeek: parseField(dow, DAY_OF_WEEK),
  };
}

/** robfig's `getField`: comma-separated ranges; empty elements are skipped, as `strings.FieldsFunc` skips them. */
function parseField(text: string, bounds: FieldBounds): CronField {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(",")) {
    if (part === "") continue;
    const range = parseRange(part, bounds);
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

/** robfig's `getRange`: `*`, `?`, `N`, `N-M`, each optionally `/step`; names where the field has them. */
function parseRange(expr: string, bounds: FieldBounds): CronRange {
  const fail = (reason: string): never => {
    throw new RobfigParseError(`${reason}: ${expr}`);
  };
  const rangeAndStep = expr.split("/");
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
    start = parseIntOrName(low, bounds);
    if (lowAndHigh.length > 2) fail("too many hyphens");
    end = lowAndHigh.length === 2 ? parseIntOrName(lowAndHigh[1] ?? "", bounds) : start;
  }
  let step = 1;
  if (rangeAndStep.length > 2) fail("too many slashes");
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1] ?? "");
    // "N/step" means "from N to the maximum, by step".
    if (lowAndHigh.length === 1) end = bounds.max;
    // A stepped "*" is a restriction, not a wildcard, for the day rule.
    if (step > 1) star = false;
  }
  if (start < bounds.min) fail(`beginning of range (${start}) below minimum (${bounds.min})`);
  if (end > bounds.max) fail(`end of range (${end}) above maximum (${bounds.max})`);
  if (start > end) fail(`beginning of range (${start}) beyond end of range (${end})`);
  if (step === 0) fail("step of range should be a positive number");
  return { start, end, step, star };
}

function parseIntOrName(text: string, bounds: FieldBounds): number {
  const name = text.toLowerCase();
  if (bounds.names && Object.hasOwn(bounds.names, name)) return bounds.names[name] as number;
  return mustParseInt(text);
}

function mustParseInt(text: string): number {
  let n: number;
  try {
    n = atoi(text);
  } catch (err) {
    throw new RobfigParseError(`failed to parse int from ${text}: ${(err as Error).message}`);
  }
  if (n < 0) throw new RobfigParseError(`negative number (${n}) not allowed: ${text}`);
  return n;
}
