// The diurnal shape of a claim stream: `hours: {"9-11": 3.0, "12": 1.0, "*": 0.1}` gives a rate
// multiplier per local hour. Normalised to 24 multipliers (index = local hour 0–23) so the world
// looks one up per arrival instead of re-parsing keys.

/** A key that could not be used, and what it should have been. */
export interface HourKeyProblem {
  /** The offending key, or undefined when the map as a whole is incomplete. */
  readonly key: string | undefined;
  readonly message: string;
}

export type HourMultipliersResult =
  | { readonly ok: true; readonly multipliers: readonly number[] }
  | { readonly ok: false; readonly problems: readonly HourKeyProblem[] };

export const HOURS_PER_DAY = 24;
const REST = "*";

/** The hours a key names, inclusive: `"9-11"` → [9, 10, 11]; undefined when the key is malformed. */
function hoursOfKey(key: string): number[] | undefined {
  const m = /^\s*(\d{1,2})\s*(?:-\s*(\d{1,2})\s*)?$/.exec(key);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from > to || to >= HOURS_PER_DAY) return undefined;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Ranges of hours for a message: [0,1,2,5] → "0-2, 5". */
export function describeHours(hours: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < hours.length) {
    let j = i;
    while (j + 1 < hours.length && (hours[j + 1] ?? 0) === (hours[j] ?? 0) + 1) j++;
    parts.push(i === j ? `${hours[i]}` : `${hours[i]}-${hours[j]}`);
    i = j + 1;
  }
  return parts.join(", ");
}

/**
 * Resolves the keys: explicit hours and inclusive ranges may not overlap (which one would win is
 * not obvious to a reader), `"*"` covers every hour not named, and without `"*"` every hour must be
 * named — a silent default multiplier would hide a forgotten range.
 */
export function resolveHourMultipliers(hours: Readonly<Record<string, number>>): HourMultipliersResult {
  const byHour: (number | undefined)[] = new Array(HOURS_PER_DAY).fill(undefined);
  const keyOfHour: (string | undefined)[] = new Array(HOURS_PER_DAY).fill(undefined);
  const problems: HourKeyProblem[] = [];
  for (const [key, multiplier] of Object.entries(hours)) {
    if (key === REST) continue;
    const covered = hoursOfKey(key);
    if (covered === undefined) {
      problems.push({
        key,
        message: `expected a local hour 0-23, an inclusive range like "9-11", or "*", got ${JSON.stringify(key)}`,
      });
      continue;
    }
    for (const hour of covered) {
      const earlier = keyOfHour[hour];
      if (earlier !== undefined) {
        problems.push({
          key,
          message: `expected hours not named by another key, got ${JSON.stringify(key)} (hour ${hour} is also in ${JSON.stringify(earlier)})`,
        });
        break;
      }
      byHour[hour] = multiplier;
      keyOfHour[hour] = key;
    }
  }
  const rest = hours[REST];
  const missing = byHour.flatMap((m, hour) => (m === undefined ? [hour] : []));
  if (rest === undefined && missing.length > 0 && problems.length === 0) {
    problems.push({
      key: undefined,
      message: `expected every local hour 0-23 to have a multiplier (add "*" for the rest), got none for hours ${describeHours(missing)}`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, multipliers: byHour.map((m) => m ?? rest ?? 0) };
}
