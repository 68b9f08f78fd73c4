// IANA time zones for prebuild schedules, with the acceptance rules of Go's time.LoadLocation,
// which upstream uses, rather than Temporal's more lenient ones.
import { Temporal } from "@js-temporal/polyfill";
import { type Instant, MINUTE } from "../clock/types.ts";

/** The wall-clock fields of an instant in a zone that schedules are matched against. */
export interface WallClock {
  readonly month: number;
  readonly day: number;
  /** 0 = Sunday … 6 = Saturday, as cron counts. */
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
}

/**
 * Checks that `name` is a zone Go would load, and returns it. Temporal also accepts fixed offsets
 * ("+01:00") and any letter case ("europe/berlin"); Go accepts neither, so neither do we.
 */
export function loadTimeZone(name: string): string {
  let verdict = zoneVerdicts.get(name);
  if (verdict === undefined) {
    verdict = checkTimeZone(name);
    // Zone names come from scenario data, so there are few; the bound only guards against misuse.
    if (zoneVerdicts.size >= MAX_REMEMBERED_ZONES) zoneVerdicts.clear();
    zoneVerdicts.set(name, verdict);
  }
  if (verdict !== null) throw new RangeError(verdict);
  return name;
}

/** Zone name → null when loadable, else why not. Asking Temporal costs tens of microseconds. */
const zoneVerdicts = new Map<string, string | null>();
const MAX_REMEMBERED_ZONES = 1024;

function checkTimeZone(name: string): string | null {
  if (/^[+\-\u2212]/.test(name)) return `unknown time zone ${name}: offsets are not zone names`;
  let id: string;
  try {
    id = Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(name).timeZoneId;
  } catch {
    return `unknown time zone ${name}`;
  }
  if (id !== name) return `unknown time zone ${name}: zone names are case-sensitive (did you mean ${id}?)`;
  return null;
}

/**
 * The wall clock in `timeZone` of the minute containing `at` (upstream truncates the instant to
 * the minute before matching, too). The zone must have passed `loadTimeZone`.
 */
export function wallClockAt(at: Instant, timeZone: string): WallClock {
  const minuteStart = at - (((at % MINUTE) + MINUTE) % MINUTE);
  const last = lastMinutes.get(timeZone);
  if (last !== undefined && last.minuteStart === minuteStart) return last.wallClock;
  const z = Temporal.Instant.fromEpochMilliseconds(minuteStart).toZonedDateTimeISO(timeZone);
  const wallClock = { month: z.month, day: z.day, weekday: z.dayOfWeek % 7, hour: z.hour, minute: z.minute };
  if (lastMinutes.size >= MAX_REMEMBERED_ZONES) lastMinutes.clear();
  lastMinutes.set(timeZone, { minuteStart, wallClock });
  return wallClock;
}

/**
 * The last minute converted, per zone: every preset of a cycle asks about the same minute, and
 * the conversion is the costly part of schedule matching.
 */
const lastMinutes = new Map<string, { readonly minuteStart: Instant; readonly wallClock: WallClock }>();
