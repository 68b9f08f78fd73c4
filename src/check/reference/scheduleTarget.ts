// The checks' own reading of a preset's prebuild schedules (spec §3.5.1–3.5.2), written apart from
// the port's `schedule.ts`/`timeRangeCron.ts` so that a mistake there is seen here, not copied:
// - the set of schedules is first validated by the rules of terraform-provider-coder's
//   `provider/helpers/schedule_validation.go` (field count, its range parsing, and its overlap test:
//   months, then days by its DOM/DOW rule, then hours); any failure → the static desired count;
// - then each schedule in order is matched against the minute containing the instant, in the
//   preset's time zone (robfig/cron fields: `*`, `?`, numbers, names, ranges, steps, lists; the
//   minute must be `*`; day of month and day of week OR-ed only when neither is a star); a spec
//   that does not parse is skipped; the first match wins; none → the static desired count.
import { Temporal } from "@js-temporal/polyfill";
import type { Instant } from "../../clock/types.ts";

export interface Schedule {
  readonly cron: string;
  readonly instances: number;
}

// --- The provider helper's validation ---------------------------------------------------------

/** Go's strconv.Atoi: an optional sign and decimal digits, nothing else. */
function atoi(text: string | undefined): number | undefined {
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  return Number.parseInt(text, 10);
}

/** The helper's ParseRange: `*`, or comma-separated values and `a-b` ranges within 0..max. */
function helperRange(input: string, max: number): Set<number> | undefined {
  const values = new Set<number>();
  if (input === "*") {
    for (let i = 0; i <= max; i++) values.add(i);
    return values;
  }
  for (const part of input.split(",")) {
    if (part.includes("-")) {
      const bounds = part.split("-");
      const start = atoi(bounds[0]);
      const end = atoi(bounds[1]);
      if (start === undefined || end === undefined || start < 0 || end > max || start > end) return undefined;
      for (let i = start; i <= end; i++) values.add(i);
    } else {
      const value = atoi(part);
      if (value === undefined || value < 0 || value > max) return undefined;
      values.add(value);
    }
  }
  return values;
}

function helperOverlap(a: string, b: string, max: number): boolean | undefined {
  const x = helperRange(a, max);
  const y = helperRange(b, max);
  if (x === undefined || y === undefined) return undefined;
  for (const v of x) if (y.has(v)) return true;
  return false;
}

/** The helper's SchedulesOverlap; undefined where it returns an error. */
function helperSchedulesOverlap(a: string, b: string): boolean | undefined {
  const f = a.trim().split(/\s+/);
  const g = b.trim().split(/\s+/);
  if (f.length !== 5 || g.length !== 5) return undefined;
  const months = helperOverlap(f[3] as string, g[3] as string, 12);
  if (months !== true) return months;
  let days: boolean | undefined;
  const [dom1, dow1, dom2, dow2] = [f[2] as string, f[4] as string, g[2] as string, g[4] as string];
  if (dom1 === "*" || dom2 === "*") days = helperOverlap(dow1, dow2, 6);
  else if (dow1 === "*" || dow2 === "*") days = helperOverlap(dom1, dom2, 31);
  else {
    const dom = helperOverlap(dom1, dom2, 31);
    if (dom === undefined) return undefined;
    const dow = helperOverlap(dow1, dow2, 6);
    if (dow === undefined) return undefined;
    days = dom || dow;
  }
  if (days !== true) return days;
  return helperOverlap(f[1] as string, g[1] as string, 23);
}

/** The helper's ValidateSchedules: every pair must parse and not overlap. */
export function schedulesValid(crons: readonly string[]): boolean {
  for (let i = 0; i < crons.length; i++)
    for (let j = i + 1; j < crons.length; j++)
      if (helperSchedulesOverlap(crons[i] as string, crons[j] as string) !== false) return false;
  return true;
}

// --- Time-range matching ----------------------------------------------------------------------

interface Field {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}
const HOURS: Field = { min: 0, max: 23 };
const DOM: Field = { min: 1, max: 31 };
const MONTHS: Field = {
  min: 1,
  max: 12,
  names: ["", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
};
const DOW: Field = { min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] };

interface FieldSet {
  readonly values: ReadonlySet<number>;
  /** robfig's star bit: the field was `*` or `?` without a step. */
  readonly star: boolean;
}

function value(text: string, field: Field): number | undefined {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named > 0 || (named === 0 && field.min === 0)) return named;
  return /^\d+$/.test(text) ? Number.parseInt(text, 10) : undefined;
}

function parseField(text: string, field: Field): FieldSet | undefined {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(",")) {
    const [range, stepText, extra] = part.split("/");
    if (range === undefined || extra !== undefined) return undefined;
    const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) ? Number(stepText) : 0;
    if (step < 1) return undefined;
    let low: number | undefined;
    let high: number | undefined;
    if (range === "*" || range === "?") {
      [low, high] = [field.min, field.max];
      if (step === 1) star = true;
    } else {
      const bounds = range.split("-");
      if (bounds.length > 2) return undefined;
      low = value(bounds[0] as string, field);
      high =
        bounds.length === 2 ? value(bounds[1] as string, field) : stepText === undefined ? low : field.max;
    }
    if (low === undefined || high === undefined || low < field.min || high > field.max || low > high)
      return undefined;
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return { values, star };
}

interface TimeRange {
  readonly hours: FieldSet;
  readonly dom: FieldSet;
  readonly months: FieldSet;
  readonly dow: FieldSet;
}

function parseTimeRange(cron: string): TimeRange | undefined {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5 || f[0] !== "*") return undefined;
  const hours = parseField(f[1] as string, HOURS);
  const dom = parseField(f[2] as string, DOM);
  const months = parseField(f[3] as string, MONTHS);
  const dow = parseField(f[4] as string, DOW);
  if (hours === undefined || dom === undefined || months === undefined || dow === undefined) return undefined;
  return { hours, dom, months, dow };
}

interface Wall {
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
  readonly hour: number;
}

const walls = new Map<string, Wall>();

function wallAt(at: Instant, timeZone: string): Wall {
  const minute = Math.floor(at / 60_000) * 60_000;
  const key = `${timeZone} ${minute}`;
  let wall = walls.get(key);
  if (wall === undefined) {
    const z = Temporal.Instant.fromEpochMilliseconds(minute).toZonedDateTimeISO(timeZone);
    wall = { month: z.month, day: z.day, weekday: z.dayOfWeek % 7, hour: z.hour };
    if (walls.size > 4096) walls.clear();
    walls.set(key, wall);
  }
  return wall;
}

function matches(range: TimeRange, wall: Wall): boolean {
  if (!range.hours.values.has(wall.hour) || !range.months.values.has(wall.month)) return false;
  const dom = range.dom.values.has(wall.day);
  const dow = range.dow.values.has(wall.weekday);
  return range.dom.star || range.dow.star ? dom && dow : dom || dow;
}

/** The scheduled target at `at`: the first matching schedule's instances, else `base`. */
export function scheduledTarget(
  base: number,
  timeZone: string,
  schedules: readonly Schedule[],
  at: Instant,
): number {
  if (schedules.length === 0 || timeZone === "") return base;
  if (!schedulesValid(schedules.map((s) => s.cron))) return base;
  let wall: Wall | undefined;
  for (const s of schedules) {
    const range = parseTimeRange(s.cron);
    if (range === undefined) continue;
    wall ??= wallAt(at, timeZone);
    if (matches(range, wall)) return s.instances;
  }
  return base;
}
