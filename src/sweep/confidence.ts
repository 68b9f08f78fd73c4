// Confidence intervals of a sweep point. Seeds are independent replications of the same scenario,
// so a mean over seeds gets a Student-t interval; a hit rate also gets a Wilson score interval over
// the claims of all seeds pooled — narrower, but it treats claims as independent, which they are
// not (a drained pool makes consecutive claims miss together). The recommendation therefore asks
// both lower bounds to clear the target (see `hitRateLowerBound`).

/** Two-sided 95%: the normal quantile 0.975. */
export const Z_95 = 1.959963984540054;

/** Student-t 0.975 quantiles for 1–30 degrees of freedom (standard tables, 4 significant digits). */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
] as const;

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom: the table up to 30, above it the
 * Cornish–Fisher expansion around the normal quantile (error below 1e-4 from 30 on).
 */
export function tCritical95(df: number): number {
  if (!Number.isInteger(df) || df < 1)
    throw new RangeError(`t quantile: degrees of freedom must be a whole number ≥ 1, got ${df}`);
  const tabled = T_975[df - 1];
  if (tabled !== undefined) return tabled;
  const z = Z_95;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}

/**
 * The fewest seeds a t interval is given for. With two, t has one degree of freedom and its 0.975
 * quantile is 12.7: two hit rates of 50% and 100% would read "75% ±318%" — a number that says only
 * "not enough seeds", which is what the outputs print instead (from three, the quantile is 4.3).
 */
export const MIN_SEEDS_FOR_INTERVAL = 3;

/** A mean over seeds with its t-based 95% interval; `low`/`high` are null below `MIN_SEEDS_FOR_INTERVAL` values. */
export interface Estimate {
  mean: number;
  low: number | null;
  high: number | null;
  /** how many values (seeds) it is over */
  n: number;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("mean of no values");
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Mean ± t·s/√n over `values` (the mean alone below `MIN_SEEDS_FOR_INTERVAL`); null for no values at all. */
export function tEstimate(values: readonly number[]): Estimate | null {
  const n = values.length;
  if (n === 0) return null;
  const m = mean(values);
  if (n < MIN_SEEDS_FOR_INTERVAL) return { mean: m, low: null, high: null, n };
  const variance = values.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1);
  const half = tCritical95(n - 1) * Math.sqrt(variance / n);
  return { mean: m, low: m - half, high: m + half, n };
}

export interface Interval {
  low: number;
  high: number;
}

/** The Wilson score 95% interval of a proportion `successes / n` (n ≥ 1). */
export function wilsonInterval(successes: number, n: number): Interval {
  if (n < 1 || successes < 0 || successes > n)
    throw new RangeError(`Wilson interval: expected 0 ≤ successes ≤ n and n ≥ 1, got ${successes} of ${n}`);
  const p = successes / n;
  const z2 = Z_95 * Z_95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z_95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  // At 0 or n the interval touches the boundary exactly; rounding would leave it a hair short.
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
  };
}

/** A hit rate over seeds: the t estimate of the per-seed rates and the Wilson interval of the pooled claims. */
export interface HitRateEstimate {
  claims: number;
  hits: number;
  /** hits / claims over all seeds */
  pooled: number;
  /** over the seeds that had claims */
  perSeed: Estimate;
  wilson: Interval;
  /** what the recommendation compares with the target: see `hitRateLowerBound` */
  lowerBound: number;
}

/**
 * The lower confidence bound the recommendation uses: the smaller of the t interval's lower end
 * (honest about correlation inside a run, but blind when every seed agrees, say all at 100%) and
 * the Wilson lower end (honest about few claims, but too narrow under correlation). Below
 * `MIN_SEEDS_FOR_INTERVAL` seeds there is no t interval, and Wilson alone is used.
 */
export function hitRateLowerBound(perSeed: Estimate, wilson: Interval): number {
  return perSeed.low === null ? wilson.low : Math.max(0, Math.min(perSeed.low, wilson.low));
}

/** The hit rate of a point from each seed's (hits, claims); null when no seed had a claim. */
export function hitRateEstimate(
  runs: readonly { readonly hits: number; readonly claims: number }[],
): HitRateEstimate | null {
  const withClaims = runs.filter((r) => r.claims > 0);
  const perSeed = tEstimate(withClaims.map((r) => r.hits / r.claims));
  if (perSeed === null) return null;
  const claims = withClaims.reduce((s, r) => s + r.claims, 0);
  const hits = withClaims.reduce((s, r) => s + r.hits, 0);
  const wilson = wilsonInterval(hits, claims);
  return {
    claims,
    hits,
    pooled: hits / claims,
    perSeed,
    wilson,
    lowerBound: hitRateLowerBound(perSeed, wilson),
  };
}
