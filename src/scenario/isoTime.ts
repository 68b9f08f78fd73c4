// ISO-8601 durations, instants and IANA time zones as scenario files write them, converted to the
// integer milliseconds the kernel uses (ARCHITECTURE.md §6: Temporal only at the edges).
import { Temporal } from "@js-temporal/polyfill";
import { type Duration, HOUR, type Instant, MINUTE, SECOND } from "../clock/types.ts";

/** A parse outcome: the value, or what the text should have looked like. */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly expected: string };

/** A day and a week are taken as fixed lengths: scenario durations are spans of virtual time, not calendar steps. */
const DAY: Duration = 24 * HOUR;
const WEEK: Duration = 7 * DAY;

export const DURATION_EXPECTED = "expected an ISO-8601 duration like PT15S, PT1H30M or P1D";
export const INSTANT_EXPECTED = "expected an ISO-8601 instant with an offset, like 2026-03-02T06:00:00Z";
export const TIME_ZONE_EXPECTED = "expected an IANA time zone name like Europe/Berlin or UTC";

/** `PT15S` → 15000. Months and years are refused: their length depends on the calendar. */
export function parseIsoDuration(text: string): Parsed<Duration> {
  let d: Temporal.Duration;
  try {
    d = Temporal.Duration.from(text);
  } catch {
    return { ok: false, expected: DURATION_EXPECTED };
  }
  if (d.years !== 0 || d.months !== 0) {
    return {
      ok: false,
      expected:
        "expected a duration in weeks, days, hours, minutes or seconds (months and years have no fixed length)",
    };
  }
  if (d.microseconds !== 0 || d.nanoseconds !== 0) {
    return {
      ok: false,
      expected: "expected a duration in whole milliseconds (at most 3 decimals of a second)",
    };
  }
  const ms =
    d.weeks * WEEK + d.days * DAY + d.hours * HOUR + d.minutes * MINUTE + d.seconds * SECOND + d.milliseconds;
  if (!Number.isSafeInteger(ms))
    return { ok: false, expected: "expected a duration shorter than 285,000 years" };
  return { ok: true, value: ms };
}

/** 5400000 → `PT1H30M`; the inverse of `parseIsoDuration` (days are written as hours). */
export function formatIsoDuration(ms: Duration): string {
  return Temporal.Duration.from({ milliseconds: ms }).round({ largestUnit: "hours" }).toString();
}

/** `2026-03-02T06:00:00Z` → epoch ms. An offset is required: a local time alone names no instant. */
export function parseIsoInstant(text: string): Parsed<Instant> {
  let instant: Temporal.Instant;
  try {
    instant = Temporal.Instant.from(text);
  } catch {
    return { ok: false, expected: INSTANT_EXPECTED };
  }
  if (instant.epochNanoseconds % 1_000_000n !== 0n) {
    return {
      ok: false,
      expected: "expected an instant in whole milliseconds (at most 3 decimals of a second)",
    };
  }
  return { ok: true, value: instant.epochMilliseconds };
}

/** epoch ms → `2026-03-02T06:00:00Z`. */
export function formatIsoInstant(ms: Instant): string {
  return Temporal.Instant.fromEpochMilliseconds(ms).toString();
}

/**
 * The canonical IANA name (`europe/berlin` → `Europe/Berlin`). Fixed offsets such as `+01:00` are
 * refused: they have no daylight-saving rules, which is exactly what a diurnal shape or a prebuild
 * schedule needs to follow.
 */
export function parseTimeZone(name: string): Parsed<string> {
  if (/^[+-]/.test(name)) return { ok: false, expected: TIME_ZONE_EXPECTED };
  try {
    return { ok: true, value: Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(name).timeZoneId };
  } catch {
    return { ok: false, expected: TIME_ZONE_EXPECTED };
  }
}
