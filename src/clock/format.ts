// Human-readable durations and instants for labels, errors and reports (Go's Duration.String style).
import type { Duration, Instant } from "./types.ts";

const UNITS: readonly [string, number][] = [
  ["h", 3_600_000],
  ["m", 60_000],
];

/** `1h30m`, `2m0.5s`, `250ms`, `0s`, `-5s`. */
export function formatDuration(d: Duration): string {
  if (d === 0) return "0s";
  if (d < 0) return `-${formatDuration(-d)}`;
  if (d < 1000) return `${d}ms`;
  let rest = d;
  let out = "";
  for (const [unit, size] of UNITS) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  if (rest > 0 || out === "") out += `${rest / 1000}s`;
  return out;
}

/** ISO 8601 in UTC, e.g. `2024-01-01T00:00:00.000Z`. */
export function formatInstant(t: Instant): string {
  return new Date(t).toISOString();
}
