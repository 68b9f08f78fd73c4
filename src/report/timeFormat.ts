// How the report writes virtual instants and durations. Everything is UTC and derived from the run's
// data only, so the same run always reads the same. Instants from files are parsed with Temporal
// (ARCHITECTURE.md §6: Temporal at the edges) so that a malformed one is an error, not NaN.
import { Temporal } from "@js-temporal/polyfill";
import { DAY, type Duration, HOUR, type Instant, MINUTE, SECOND } from "./timeUnits.ts";

/** Epoch milliseconds of an ISO-8601 instant; `what` says where it came from for the error. */
export function parseInstant(iso: string, what: string): Instant {
  try {
    return Temporal.Instant.from(iso).epochMilliseconds;
  } catch (cause) {
    throw new Error(`report: ${what} is not an ISO-8601 instant with offset: ${JSON.stringify(iso)}`, {
      cause,
    });
  }
}

/** `2026-03-02T06:13:00.004Z` */
export function isoInstant(t: Instant): string {
  return new Date(t).toISOString();
}

/** `2026-03-02 06:13 UTC`, with seconds or milliseconds only when the instant has them. */
export function formatUtc(t: Instant): string {
  const iso = isoInstant(t);
  const date = iso.slice(0, 10);
  let clock = iso.slice(11, 23);
  if (clock.endsWith(".000")) clock = clock.slice(0, 8);
  if (clock.endsWith(":00")) clock = clock.slice(0, 5);
  return `${date} ${clock} UTC`;
}

/** A compact, exact-enough length of time: `350 ms`, `12.5 s`, `4m 05s`, `2h 14m`, `3d 2h`. */
export function formatDuration(d: Duration): string {
  const sign = d < 0 ? "-" : "";
  const ms = Math.abs(d);
  if (ms < SECOND) return `${sign}${Math.round(ms)} ms`;
  if (ms < MINUTE) {
    const s = ms / SECOND;
    return `${sign}${Number.isInteger(s) ? s : s.toFixed(s < 10 ? 2 : 1)} s`;
  }
  // Round to the smallest unit shown first, so that 4m 59.6s reads 5m, not 4m 60s.
  if (ms < HOUR - SECOND / 2) return joinUnits(sign, Math.round(ms / SECOND), 60, "m", "s");
  if (ms < DAY - MINUTE / 2) return joinUnits(sign, Math.round(ms / MINUTE), 60, "h", "m");
  return joinUnits(sign, Math.round(ms / HOUR), 24, "d", "h", false);
}

function joinUnits(
  sign: string,
  small: number,
  perLarge: number,
  large: string,
  unit: string,
  pad = true,
): string {
  const big = Math.floor(small / perLarge);
  const rest = small - big * perLarge;
  if (rest === 0) return `${sign}${big}${large}`;
  return `${sign}${big}${large} ${pad ? String(rest).padStart(2, "0") : rest}${unit}`;
}

/** The offset of `t` from the run's start, as `+2h 14m`. */
export function formatOffset(t: Instant, start: Instant): string {
  const d = t - start;
  return d < 0 ? formatDuration(d) : `+${formatDuration(d)}`;
}

const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Epoch milliseconds of a trace line's `t`, which the trace always writes as
 * `YYYY-MM-DDTHH:mm:ss.sssZ`. Checked by shape and read with Date.parse: Temporal is exact but far
 * too slow for the millions of lines a long run writes.
 */
export function parseTraceInstant(iso: string, what: string): Instant {
  const t = CANONICAL_INSTANT.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(t)) throw new Error(`report: ${what} is not a trace instant: ${JSON.stringify(iso)}`);
  return t;
}
