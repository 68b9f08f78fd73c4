// IANA time zones for prebuild schedules, with the acceptance rules of Go's time.LoadLocation,
// which upstream uses, rather than Temporal's more lenient ones.
import { Temporal } from "@js-temporal/polyfill";
import type { Instant } from "../clock/types.ts";

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
  if (/^[+\-\u2212]/.test(name))
    throw new RangeError(`unknown time zone ${name}: offsets are not zone names`);
  let id: string;
  try {
    id = Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(name).timeZoneId;
  } catch (cause) {
    throw new RangeError(`unknown time zone ${name}`, { cause });
  }
  if (id !== name)
    throw new RangeError(`unknown time zone ${name}: zone names are case-sensitive (did you mean ${id}?)`);
  return name;
}

/** The wall clock in `timeZone` at `at`; the zone must have passed `loadTimeZone`. */
export function wallClockAt(at: Instant, timeZone: string): WallClock {
  const z = Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(timeZone);
  return { month: z.month, day: z.day, weekday: z.dayOfWeek % 7, hour: z.hour, minute: z.minute };
}
