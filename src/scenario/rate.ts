// Claim rates as scenario files write them (`12/h`, `3/m`, `100/d`), converted to claims per hour,
// the unit `poissonArrivals` of src/kernel/rng.ts takes.
import type { Parsed } from "./isoTime.ts";

export const RATE_EXPECTED = "expected a rate like 12/h, 3/m or 100/d (a number ≥ 0 per hour, minute or day)";

const PER_HOUR_FACTOR: Readonly<Record<string, number>> = { m: 60, h: 1, d: 1 / 24 };

/** `3/m` → 180 (per hour). */
export function parseRate(text: string): Parsed<number> {
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*([mhd])\s*$/.exec(text);
  const count = m?.[1];
  const factor = PER_HOUR_FACTOR[m?.[2] ?? ""];
  if (count === undefined || factor === undefined) return { ok: false, expected: RATE_EXPECTED };
  return { ok: true, value: Number(count) * factor };
}
