// The one fitting module of `prebuildsim import`: observations in, the scenario's parameters out,
// each with the rows behind it and how well it fits. Every source (database, CSV, Prometheus)
// ends here, so two sources holding the same rows give the same scenario.
//
// - Durations (build, delete, agent ready): the scenario's log-normal through the sample's median
//   and p90, judged by the Kolmogorov–Smirnov distance to the sample against its 5% bound for a
//   log-normal fitted this way (1.30/√n: the 95th percentile of √n·D over 1000 seeded samples of
//   each size 20–400 drawn from the fitted family, as Lilliefors calibrated his test). A poor fit
//   keeps the same median and p90 (they are the empirical quantiles) and says so; the header lists
//   the empirical quantiles beside it.
// - Rates (claims): count / window hours, with the Poisson 95% interval (exact up to 100).
// - A diurnal shape only when the claims' local hours differ from a flat rate beyond chance (a
//   chi-square test at 0.1%), as rate multipliers by local hour.
// - Failure rates: failed / finished per transition, with the Wilson 95% interval. A preset that
//   hit the hard limit leaves out the failure that stopped its prebuilds (Haldane; see
//   `failuresThatStoppedAtHardLimit`).
// - A weekend shape only when weekday and weekend rates differ beyond chance (|z| of the log rate
//   ratio above 3): the rate is then the weekdays', the hours are fitted on weekdays, and the
//   weekend is their ratio as a factor.
// - A preset's own build, delete and agent-ready time only when it differs from the pooled one
//   beyond chance and by more than 10%: the pooled median or p90 lies outside the preset's 95%
//   interval of it.
// - People's ordinary builds (no claim) per template, as a rate with its Poisson interval and a
//   diurnal shape under the same test as the claims'.

import { percentile } from "../check/statistics.ts";
import type { Duration, Instant } from "../clock/types.ts";
import { HOUR, MINUTE } from "../clock/types.ts";
import { wallClockAt } from "../prebuilds/timeZone.ts";
import { InputError } from "../run/inputError.ts";
import { formatIsoInstant } from "../scenario/isoTime.ts";
import { type Interval, wilsonInterval } from "../sweep/confidence.ts";
import type { Observations, ObservedBuild, ObservedPreset } from "./observations.ts";

/** Fewer samples than this and a duration or a failure rate is not fitted: the default stands, with a warning. */
export const MIN_SAMPLES = 5;
/** The 90th percentile of the standard normal (the scenario's log-normal is given by median and p90). */
const Z90 = 1.2815515655446004;
const Z95 = 1.959963984540054;
/** The 5% critical value of √n·KS for a log-normal through the sample's median and p90 (calibrated, see above). */
const KS_5_QUANTILE_FIT = 1.3;
/** Chi-square test of a flat rate across the hours at this level (z of 0.001, one-sided). */
const Z_999 = 3.090232306167813;
/** A local hour with fewer claims than this rests on thin data (said in the header). */
export const THIN_HOUR_CLAIMS = 5;

export interface DurationFit {
  /** Samples behind the fit. */
  readonly n: number;
  readonly median: Duration;
  readonly p90: Duration;
  /** Order-statistic 95% intervals of the median and p90: the sampling error of `n` samples. */
  readonly medianInterval: Interval;
  readonly p90Interval: Interval;
  /** The empirical p50, p75, p90, p99. */
  readonly quantiles: readonly [Duration, Duration, Duration, Duration];
  /** KS distance of the log-normal to the sample, and the 5% bound it is judged by. */
  readonly ks: number;
  readonly ksBound: number;
  /** `fixed` when every sample is within 1% of the median. */
  readonly shape: "lognormal" | "fixed";
  readonly good: boolean;
}

export interface RateFit {
  readonly count: number;
  readonly hours: number;
  readonly perHour: number;
  /** Poisson 95% interval of the rate. */
  readonly low: number;
  readonly high: number;
}

export interface ProportionFit {
  readonly failed: number;
  readonly finished: number;
  readonly rate: number;
  readonly interval: Interval;
}

export interface DiurnalFit {
  readonly timezone: string;
  /** 24 multipliers of the mean rate, index = local hour; rounded to 2 decimals. */
  readonly multipliers: readonly number[];
  readonly claimsByHour: readonly number[];
  readonly exposureHours: readonly number[];
  readonly chiSquare: number;
  readonly critical: number;
  /** Whether the shape goes into the scenario (the flat rate was rejected). */
  readonly significant: boolean;
  /** The days it was fitted on: weekdays only beside a weekend factor. */
  readonly days: Days;
}

export interface WeekFit {
  readonly weekday: RateFit;
  readonly weekend: RateFit;
  /** |z| of the log rate ratio; above 3 the data shows a difference. */
  readonly z: number;
  /** The weekend's rate as a factor of the weekdays', with its 95% interval (log ratio ± 1.96 SE). */
  readonly factor: number;
  readonly factorInterval: Interval;
  /** Whether the weekend goes into the scenario (|z| > WEEKEND_Z). */
  readonly significant: boolean;
}

/** |z| of the weekday/weekend log rate ratio above which the scenario gets a weekend factor. */
export const WEEKEND_Z = 3;
/** A preset's own time is written only when it differs from the pooled one by more than this fraction too. */
export const OWN_TIME_MIN_DIFFERENCE = 0.1;

/** A preset's own fitted times, and which of them differ from the pooled ones enough to be written. */
export interface PresetTimes {
  readonly buildTime: DurationFit | null;
  readonly deleteTime: DurationFit | null;
  readonly agentReady: DurationFit | null;
  readonly own: { readonly buildTime: boolean; readonly deleteTime: boolean; readonly agentReady: boolean };
}

/** The reconciliation-duration histogram, fitted (Prometheus only). */
export interface ReconciliationFit {
  readonly instances: number;
  readonly cycles: number;
  /** One cycle per instance every this long over the window, to the whole second; null without cycles. */
  readonly interval: Duration | null;
  /** How long a cycle takes: the mean (`_sum` / `_count`) and p50, p90 as histogram_quantile gives them. */
  readonly mean: Duration | null;
  readonly p50: Duration | null;
  readonly p90: Duration | null;
}

/** Prometheus' histogram_quantile: linear within the bucket the rank falls in; the highest finite bound past it. */
export function histogramQuantile(q: number, buckets: readonly (readonly [number, number])[]): number | null {
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [le, count] of buckets) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return lower;
      return count === below ? le : lower + ((le - lower) * (rank - below)) / (count - below);
    }
    lower = le;
    below = count;
  }
  return lower;
}

function fitReconciliation(o: Observations): ReconciliationFit | null {
  const r = o.reconciliation;
  if (r === undefined) return null;
  const seconds = (q: number) => {
    const v = histogramQuantile(q, r.buckets);
    return v === null ? null : Math.round(v * 1000);
  };
  const perInstance = r.instances > 0 ? r.cycles / r.instances : 0;
  return {
    instances: r.instances,
    cycles: r.cycles,
    interval:
      perInstance > 0 ? Math.max(1, Math.round((o.until - o.since) / perInstance / 1000)) * 1000 : null,
    mean: r.cycles > 0 ? Math.round((r.seconds / r.cycles) * 1000) : null,
    p50: seconds(0.5),
    p90: seconds(0.9),
  };
}

/** People's ordinary builds on one template: what `workload.builds` takes. */
export interface OrdinaryBuildsFit {
  readonly template: string;
  readonly rate: RateFit;
  readonly diurnal: DiurnalFit | null;
}

export interface PresetFit {
  readonly template: string;
  readonly name: string;
  readonly prebuildStarts: number;
  readonly buildTime: DurationFit | null;
  /** The preset's delete and agent-ready times, and which of its times the scenario gets. */
  readonly times: PresetTimes;
  readonly startFailures: ProportionFit | null;
  /** Failed prebuild starts left out of `startFailures` (0 or 1): the one that stopped the sample at the hard limit. */
  readonly stoppingFailures: number;
  readonly claims: RateFit;
  readonly hits: number;
  readonly misses: number;
  readonly diurnal: DiurnalFit | null;
  readonly week: WeekFit | null;
}

export interface FittedVersion {
  readonly name: string;
  readonly active: boolean;
  readonly parameters: readonly { name: string; required: boolean; default: string; immutable: boolean }[];
  readonly presets: readonly ObservedPreset[];
}

export interface FittedTemplate {
  readonly name: string;
  readonly organization: string | null;
  readonly versions: readonly FittedVersion[];
}

export interface Fitted {
  readonly source: string;
  readonly since: Instant;
  readonly until: Instant;
  readonly timezone: string;
  readonly timezoneHow: string;
  readonly templates: readonly FittedTemplate[];
  readonly presets: readonly PresetFit[];
  /** Pooled over every preset: what the scenario's `provisioners` take. */
  readonly buildTime: DurationFit | null;
  readonly deleteTime: DurationFit | null;
  readonly agentReady: DurationFit | null;
  readonly failures: Readonly<Record<"start" | "stop" | "delete", ProportionFit | null>>;
  readonly daemons: { readonly total: number | null; readonly prebuildOnly: number; readonly how: string };
  /** People's builds that are no claim (no preset, or not their workspace's first start): they share the queue. */
  readonly otherHumanBuilds: RateFit;
  /** The same per template, for `workload.builds`. */
  readonly ordinaryBuilds: readonly OrdinaryBuildsFit[];
  /** The reconciliation-duration histogram, when the source has it (Prometheus). */
  readonly reconciliation: ReconciliationFit | null;
  /** The distinct people who built; null when the source does not name them. */
  readonly users: number | null;
  readonly paused: boolean | null;
  readonly rowCounts: Readonly<Record<string, number>>;
  readonly warnings: readonly string[];
  /** What the source cannot give. */
  readonly limits: readonly string[];
}

// ---- statistics -------------------------------------------------------------------------------

/**
 * The 95% interval of the q-quantile from the order statistics of n sorted samples (normal
 * approximation of the binomial ranks). A bound whose rank falls outside the sample is unknown:
 * ±Infinity (with 14 samples nothing bounds the p90 from above).
 */
export function quantileInterval(sorted: readonly number[], q: number): Interval {
  const n = sorted.length;
  const half = Z95 * Math.sqrt(n * q * (1 - q));
  const lo = Math.floor(n * q - half);
  const hi = Math.ceil(n * q + half) + 1;
  return {
    low: lo < 1 ? Number.NEGATIVE_INFINITY : (sorted[lo - 1] as number),
    high: hi > n ? Number.POSITIVE_INFINITY : (sorted[hi - 1] as number),
  };
}

function normalCdf(x: number): number {
  // Abramowitz–Stegun 7.1.26 on erf; absolute error below 1.5e-7.
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/** The scenario's duration distribution through the sample's median and p90, and how well it fits. */
export function fitDuration(samples: readonly Duration[]): DurationFit | null {
  const n = samples.length;
  if (n < MIN_SAMPLES) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const median = percentile(sorted, 0.5);
  const p90 = percentile(sorted, 0.9);
  const quantiles = [median, percentile(sorted, 0.75), p90, percentile(sorted, 0.99)] as const;
  const fixed = sorted.every((v) => Math.abs(v - median) <= Math.max(1, median * 0.01));
  let ks = 0;
  if (!fixed && median > 0) {
    const mu = Math.log(median);
    const sigma = p90 > median ? (Math.log(p90) - mu) / Z90 : 0;
    for (let i = 0; i < n; i++) {
      const v = sorted[i] as number;
      const cdf = v <= 0 ? 0 : sigma === 0 ? (v >= median ? 1 : 0) : normalCdf((Math.log(v) - mu) / sigma);
      ks = Math.max(ks, Math.abs(cdf - i / n), Math.abs((i + 1) / n - cdf));
    }
  }
  const ksBound = KS_5_QUANTILE_FIT / Math.sqrt(n);
  return {
    n,
    median,
    p90,
    medianInterval: quantileInterval(sorted, 0.5),
    p90Interval: quantileInterval(sorted, 0.9),
    quantiles,
    ks,
    ksBound,
    shape: fixed ? "fixed" : "lognormal",
    good: fixed || ks <= ksBound,
  };
}

/** P(X ≤ k) for X ~ Poisson(λ), summed term by term (k small: see `fitRate`). */
function poissonCdf(k: number, lambda: number): number {
  let term = Math.exp(-lambda);
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term *= lambda / i;
    sum += term;
  }
  return sum;
}

/** The λ in [lo, hi] where the increasing `f(λ)` crosses `target`, by bisection. */
function solve(f: (lambda: number) => number, target: number, lo: number, hi: number): number {
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Up to this count the Poisson interval is exact (Garwood); above it Byar's approximation is within 0.1%. */
const EXACT_POISSON_UP_TO = 100;

/** The Poisson 95% interval of a count. */
export function poissonInterval(count: number): Interval {
  if (count <= EXACT_POISSON_UP_TO) {
    const top = count + 10 + 10 * Math.sqrt(count + 1);
    return {
      low: count === 0 ? 0 : solve((l) => 1 - poissonCdf(count - 1, l), 0.025, 0, top),
      high: solve((l) => 1 - poissonCdf(count, l), 0.975, 0, top),
    };
  }
  const up = count + 1;
  return {
    low: count * (1 - 1 / (9 * count) - Z95 / (3 * Math.sqrt(count))) ** 3,
    high: up * (1 - 1 / (9 * up) + Z95 / (3 * Math.sqrt(up))) ** 3,
  };
}

/** count / hours with the Poisson 95% interval. */
export function fitRate(count: number, hours: number): RateFit {
  const { low, high } = poissonInterval(count);
  return {
    count,
    hours,
    perHour: hours > 0 ? count / hours : 0,
    low: hours > 0 ? low / hours : 0,
    high: hours > 0 ? high / hours : 0,
  };
}

function fitProportion(failed: number, finished: number): ProportionFit | null {
  if (finished < MIN_SAMPLES) return null;
  return { failed, finished, rate: failed / finished, interval: wilsonInterval(failed, finished) };
}

/** The chi-square critical value with `df` degrees of freedom at the 0.1% level (Wilson–Hilferty). */
function chiSquareCritical(df: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + Z_999 * Math.sqrt(a)) ** 3;
}

const QUARTER_HOUR = 15 * MINUTE;

/** Which days a fit looks at: all of them, or Monday to Friday in the zone (beside a weekend factor). */
export type Days = "all" | "weekdays";

function isWeekend(t: Instant, timezone: string): boolean {
  const day = wallClockAt(t, timezone).weekday;
  return day === 0 || day === 6;
}

/** Hours of the window spent in each local hour of `timezone` (zone offsets change on quarter hours). */
function exposureByLocalHour(since: Instant, until: Instant, timezone: string, days: Days): number[] {
  const exposure = new Array<number>(24).fill(0);
  for (let t = since; t < until; ) {
    const next = Math.min(until, (Math.floor(t / QUARTER_HOUR) + 1) * QUARTER_HOUR);
    if (days === "all" || !isWeekend(t, timezone)) {
      const hour = wallClockAt(t, timezone).hour;
      exposure[hour] = (exposure[hour] ?? 0) + (next - t) / HOUR;
    }
    t = next;
  }
  return exposure;
}

export function fitDiurnal(
  all: readonly Instant[],
  since: Instant,
  until: Instant,
  timezone: string,
  days: Days = "all",
): DiurnalFit {
  const exposure = exposureByLocalHour(since, until, timezone, days);
  const claims = days === "all" ? all : all.filter((t) => !isWeekend(t, timezone));
  const counts = new Array<number>(24).fill(0);
  for (const t of claims) {
    const h = wallClockAt(t, timezone).hour;
    counts[h] = (counts[h] ?? 0) + 1;
  }
  const total = claims.length;
  const hours = exposure.reduce((a, b) => a + b, 0);
  const mean = total / hours;
  let chi = 0;
  let df = -1;
  for (let h = 0; h < 24; h++) {
    const e = exposure[h] as number;
    if (e <= 0) continue;
    df += 1;
    const expected = mean * e;
    if (expected > 0) chi += ((counts[h] as number) - expected) ** 2 / expected;
  }
  const critical = df > 0 ? chiSquareCritical(df) : Number.POSITIVE_INFINITY;
  const multipliers = counts.map((c, h) => {
    const e = exposure[h] as number;
    // An hour the window never covers keeps the mean rate: there is nothing to say about it.
    if (e <= 0 || mean <= 0) return 1;
    return Math.round((c / e / mean) * 100) / 100;
  });
  return {
    timezone,
    multipliers,
    claimsByHour: counts,
    exposureHours: exposure,
    chiSquare: chi,
    critical,
    significant: total > 0 && chi > critical,
    days,
  };
}

/**
 * Weekday against weekend rate in `timezone`; null when the window holds no weekend or no weekday.
 * The factor's interval is the log rate ratio ± 1.96 standard errors (0.5 added to an empty side).
 */
export function fitWeek(
  claims: readonly Instant[],
  since: Instant,
  until: Instant,
  timezone: string,
): WeekFit | null {
  let weekendHours = 0;
  for (let t = since; t < until; ) {
    const next = Math.min(until, (Math.floor(t / QUARTER_HOUR) + 1) * QUARTER_HOUR);
    if (isWeekend(t, timezone)) weekendHours += (next - t) / HOUR;
    t = next;
  }
  const weekdayHours = (until - since) / HOUR - weekendHours;
  if (weekendHours <= 0 || weekdayHours <= 0) return null;
  const weekend = claims.filter((t) => isWeekend(t, timezone)).length;
  const weekday = claims.length - weekend;
  const z =
    weekday > 0 && weekend > 0
      ? Math.abs(Math.log(weekday / weekdayHours / (weekend / weekendHours))) /
        Math.sqrt(1 / weekday + 1 / weekend)
      : weekday + weekend > 0
        ? Number.POSITIVE_INFINITY
        : 0;
  const a = weekend === 0 || weekday === 0 ? weekend + 0.5 : weekend;
  const b = weekend === 0 || weekday === 0 ? weekday + 0.5 : weekday;
  const logRatio = Math.log(a / weekendHours / (b / weekdayHours));
  const se = Math.sqrt(1 / a + 1 / b);
  return {
    weekday: fitRate(weekday, weekdayHours),
    weekend: fitRate(weekend, weekendHours),
    z,
    factor: weekday > 0 ? weekend / weekendHours / (weekday / weekdayHours) : Number.POSITIVE_INFINITY,
    factorInterval: { low: Math.exp(logRatio - Z95 * se), high: Math.exp(logRatio + Z95 * se) },
    // A weekend factor needs weekdays to scale: without a weekday claim there is none to write.
    significant: z > WEEKEND_Z && weekday > 0,
  };
}

/**
 * Whether a preset's own fit differs from the pooled one enough to be written: the pooled median
 * or p90 lies outside the preset's 95% interval of it and differs from the preset's by more than
 * OWN_TIME_MIN_DIFFERENCE.
 */
export function differsFromPooled(own: DurationFit | null, pooled: DurationFit | null): boolean {
  if (own === null || pooled === null) return false;
  const apart = (mine: number, theirs: number, interval: Interval) =>
    (theirs < interval.low || theirs > interval.high) &&
    Math.abs(theirs - mine) > OWN_TIME_MIN_DIFFERENCE * mine;
  return apart(own.median, pooled.median, own.medianInterval) || apart(own.p90, pooled.p90, own.p90Interval);
}

// ---- the deployment ---------------------------------------------------------------------------

function finished(b: ObservedBuild): boolean {
  return b.status === "succeeded" || b.status === "failed";
}

/** From a succeeded start's completion to all its agents ready (none when not seen). */
function agentReadyTime(b: ObservedBuild): Duration[] {
  return b.status === "succeeded" && b.agentsReadyAt !== null && b.completedAt !== null
    ? [b.agentsReadyAt - b.completedAt]
    : [];
}

function runTime(b: ObservedBuild): Duration | null {
  return b.startedAt !== null && b.completedAt !== null ? b.completedAt - b.startedAt : null;
}

/**
 * A succeeded start that built the workspace from scratch: a prebuild's, or a person's that was no
 * claim (a claim only hands existing resources over, unless the plan replaces them).
 */
function isFullStart(b: ObservedBuild): boolean {
  return b.transition === "start" && b.status === "succeeded" && claimKind(b) !== "hit";
}

/** A person's start of a workspace with a preset: its first build (a miss: built from scratch) or the first after the prebuilds user's (a hit: a claim). */
export function claimKind(b: ObservedBuild): "hit" | "miss" | null {
  if (b.byPrebuilds || b.transition !== "start" || b.presetId === null) return null;
  if (b.previousByPrebuilds) return "hit";
  return b.buildNumber === 1 ? "miss" : null;
}

/**
 * The failed prebuild starts to leave out of a preset's failure rate because they only stopped the
 * sample. A hard-limited preset stopped prebuilding at a failure: Coder's limit trips when the last
 * `failure_hard_limit` prebuild workspaces still the prebuilds user's all failed, so the window's
 * builds end on a failure because the sampling was cut there, and failed / finished is biased up
 * (at 0.3, on 24 to 60 builds: 0.35 to 0.39 on average). As in Haldane's estimator for inverse
 * sampling, the failure that stopped the sampling is left out: one per hard-limited preset, its
 * latest finished prebuild start when that one failed. That is unbiased when people claim every
 * success before the next build (the limit then trips at the K-th failure: inverse sampling) and
 * under-corrects, never over-corrects, when successes stay in the pool (the limit then needs K
 * failures in a row); simulated in fit.test.ts. Leaving out K − 1 instead would over-correct a busy
 * preset by a third. Only presets whose stored status is `hard_limited` count.
 */
export function failuresThatStoppedAtHardLimit(
  builds: readonly ObservedBuild[],
  hardLimitedPresets: ReadonlySet<string>,
): ReadonlySet<string> {
  const stopped = new Set<string>();
  for (const presetId of hardLimitedPresets) {
    let last: ObservedBuild | undefined;
    for (const b of builds)
      if (b.presetId === presetId && b.byPrebuilds && b.transition === "start" && finished(b))
        if (
          last === undefined ||
          b.createdAt > last.createdAt ||
          (b.createdAt === last.createdAt && b.id > last.id)
        )
          last = b;
    if (last?.status === "failed") stopped.add(last.id);
  }
  return stopped;
}

function inferTimezone(o: Observations, given: string | undefined): { timezone: string; how: string } {
  if (given !== undefined) return { timezone: given, how: "given (--timezone)" };
  const zones = [...new Set(o.presets.map((p) => p.schedulingTimezone).filter((z) => z !== ""))].sort();
  if (zones.length === 1)
    return { timezone: zones[0] as string, how: "inferred: the presets' scheduling time zone" };
  if (zones.length > 1)
    return {
      timezone: "UTC",
      how: `UTC: the presets name ${zones.length} time zones (${zones.join(", ")}); pass --timezone`,
    };
  return { timezone: "UTC", how: "UTC: no preset names a time zone; pass --timezone for the organisation's" };
}

export interface FitOptions {
  readonly timezone?: string | undefined;
}

export function fitObservations(o: Observations, options: FitOptions = {}): Fitted {
  const warnings: string[] = [];
  const { timezone, how } = inferTimezone(o, options.timezone);
  const hours = (o.until - o.since) / HOUR;
  const presetById = new Map(o.presets.map((p) => [p.id, p]));
  const versionById = new Map(o.versions.map((v) => [v.id, v]));
  const templateById = new Map(o.templates.map((t) => [t.id, t]));
  const keyOfPreset = (id: string | null): string | undefined => {
    const p = id === null ? undefined : presetById.get(id);
    const v = p === undefined ? undefined : versionById.get(p.versionId);
    const t = v === undefined ? undefined : templateById.get(v.templateId);
    return t === undefined || p === undefined ? undefined : `${t.name}\u0000${p.name}`;
  };

  // Templates, their active and recently built versions, parameters and presets as they are now.
  const templates: FittedTemplate[] = o.templates.map((t) => ({
    name: t.name,
    organization: t.organization,
    versions: o.versions
      .filter((v) => v.templateId === t.id)
      .map((v) => {
        const presets = o.presets.filter((p) => p.versionId === v.id);
        const parameters = o.parameters
          .filter((p) => p.versionId === v.id)
          .map((p) => ({
            name: p.name,
            required: p.required,
            default: p.defaultValue,
            immutable: !p.mutable,
          }));
        // A preset may set a parameter the version's rows do not list (a partial export): declare it.
        for (const p of presets)
          for (const pp of p.parameters)
            if (!parameters.some((x) => x.name === pp.name))
              parameters.push({ name: pp.name, required: false, default: "", immutable: false });
        return { name: v.name, active: v.id === t.activeVersionId, parameters, presets };
      }),
  }));

  // Per preset (by template and name, over every version).
  const forced = failuresThatStoppedAtHardLimit(
    o.builds,
    new Set(o.presets.filter((p) => p.prebuildStatus === "hard_limited").map((p) => p.id)),
  );
  const keys: { key: string; template: string; name: string }[] = [];
  for (const t of templates)
    for (const v of t.versions)
      for (const p of v.presets) {
        const key = `${t.name}\u0000${p.name}`;
        if (!keys.some((k) => k.key === key)) keys.push({ key, template: t.name, name: p.name });
      }
  const presets: PresetFit[] = keys.map(({ key, template, name }) => {
    const builds = o.builds.filter((b) => keyOfPreset(b.presetId) === key);
    const starts = builds.filter((b) => b.byPrebuilds && b.transition === "start");
    const startTimes = builds.filter(isFullStart).flatMap((b) => runTime(b) ?? []);
    const done = starts.filter((b) => finished(b) && !forced.has(b.id));
    const claims = builds.filter((b) => claimKind(b) !== null);
    const claimTimes = claims.map((b) => b.createdAt);
    const week = fitWeek(claimTimes, o.since, o.until, timezone);
    const buildTime = fitDuration(startTimes);
    const label = `${template}/${name}`;
    if (done.length < MIN_SAMPLES && starts.length > 0)
      warnings.push(
        `preset ${label}: ${done.length} finished prebuild start${done.length === 1 ? "" : "s"}, too few to fit (need ${MIN_SAMPLES}): its failure rate falls back to the pooled one`,
      );
    return {
      template,
      name,
      prebuildStarts: starts.length,
      buildTime,
      times: {
        buildTime,
        deleteTime: fitDuration(
          builds
            .filter((b) => b.byPrebuilds && b.transition === "delete" && b.status === "succeeded")
            .flatMap((b) => runTime(b) ?? []),
        ),
        agentReady: fitDuration(starts.flatMap(agentReadyTime)),
        // Filled in below, once the pooled fits are known.
        own: { buildTime: false, deleteTime: false, agentReady: false },
      },
      startFailures: fitProportion(done.filter((b) => b.status === "failed").length, done.length),
      stoppingFailures: starts.filter((b) => forced.has(b.id)).length,
      claims: fitRate(claims.length, hours),
      hits: claims.filter((b) => claimKind(b) === "hit").length,
      misses: claims.filter((b) => claimKind(b) === "miss").length,
      diurnal:
        claims.length > 0
          ? fitDiurnal(
              claimTimes,
              o.since,
              o.until,
              timezone,
              week?.significant === true ? "weekdays" : "all",
            )
          : null,
      week,
    };
  });

  const prebuild = o.builds.filter((b) => b.byPrebuilds);
  // First pooled over every preset; a preset whose own time differs gets it, and the pooled time
  // (the provisioners' default) is then fitted again without that preset's builds, so that one
  // slow preset does not slow the others down.
  const pooled = (builds: readonly ObservedBuild[]) => ({
    buildTime: fitDuration(builds.filter(isFullStart).flatMap((b) => runTime(b) ?? [])),
    deleteTime: fitDuration(
      builds
        .filter((b) => b.byPrebuilds && b.transition === "delete" && b.status === "succeeded")
        .flatMap((b) => runTime(b) ?? []),
    ),
    agentReady: fitDuration(
      builds.filter((b) => b.byPrebuilds && b.transition === "start").flatMap(agentReadyTime),
    ),
  });
  const first = pooled(o.builds);
  const presetsWithTimes: PresetFit[] = presets.map((p) => ({
    ...p,
    times: {
      ...p.times,
      own: {
        buildTime: differsFromPooled(p.times.buildTime, first.buildTime),
        deleteTime: differsFromPooled(p.times.deleteTime, first.deleteTime),
        agentReady: differsFromPooled(p.times.agentReady, first.agentReady),
      },
    },
  }));
  const ownOf = (field: keyof PresetTimes["own"]) =>
    new Set(presetsWithTimes.filter((p) => p.times.own[field]).map((p) => `${p.template}\u0000${p.name}`));
  const without = (field: keyof PresetTimes["own"]) => {
    const own = ownOf(field);
    return own.size === 0 ? o.builds : o.builds.filter((b) => !own.has(keyOfPreset(b.presetId) ?? ""));
  };
  const buildTime = pooled(without("buildTime")).buildTime;
  const deleteTime = pooled(without("deleteTime")).deleteTime;
  const agentReady = pooled(without("agentReady")).agentReady;
  const defaults: [string, DurationFit | null, string][] = [
    ["build time", buildTime, "median PT2M, p90 PT5M"],
    ["delete time", deleteTime, "fixed PT30S"],
    ["agent-ready time", agentReady, "fixed PT20S"],
  ];
  for (const [what, fit, fallback] of defaults)
    if (fit === null && o.limits.length === 0)
      warnings.push(
        `${what}: fewer than ${MIN_SAMPLES} prebuild builds to fit it: the default (${fallback}) stands`,
      );
  const failureOf = (transition: ObservedBuild["transition"]) => {
    const done = prebuild.filter((b) => b.transition === transition && finished(b) && !forced.has(b.id));
    return fitProportion(done.filter((b) => b.status === "failed").length, done.length);
  };

  // Provisioner daemons: the workers that took the window's jobs (Coder's provisioner_daemons rows
  // outlive their daemons, so the jobs are the better witness); a dedicated pool when no worker took both kinds.
  const kinds = new Map<string, Set<boolean>>();
  for (const b of o.builds)
    if (b.workerId !== null) kinds.set(b.workerId, (kinds.get(b.workerId) ?? new Set()).add(b.byPrebuilds));
  const prebuildOnly = [...kinds.values()].filter((k) => k.size === 1 && k.has(true)).length;
  const humanOnly = [...kinds.values()].filter((k) => k.size === 1 && k.has(false)).length;
  const dedicated = prebuildOnly > 0 && humanOnly > 0 && prebuildOnly + humanOnly === kinds.size;
  const daemons =
    kinds.size === 0
      ? { total: null, prebuildOnly: 0, how: "no job was taken in the window: the default stands" }
      : {
          total: kinds.size,
          prebuildOnly: dedicated ? prebuildOnly : 0,
          how: dedicated
            ? `${kinds.size} workers took the window's jobs; ${prebuildOnly} took prebuild jobs only and the rest people's only: a dedicated pool`
            : `${kinds.size} distinct workers (provisioner_jobs.worker_id) took the window's jobs, sharing prebuild and people's jobs`,
        };
  if (kinds.size === 0 && o.limits.length === 0)
    warnings.push("provisioners: no job of the window was taken by a daemon: daemons is the default");

  const people = o.builds.filter((b) => !b.byPrebuilds);
  const otherHuman = people.filter((b) => claimKind(b) === null);
  const ordinaryBuilds: OrdinaryBuildsFit[] = o.templates.flatMap((t) => {
    const times = otherHuman.filter((b) => b.templateId === t.id).map((b) => b.createdAt);
    if (times.length === 0) return [];
    return [
      {
        template: t.name,
        rate: fitRate(times.length, hours),
        diurnal: fitDiurnal(times, o.since, o.until, timezone),
      },
    ];
  });
  const totalClaims = presets.reduce((s, p) => s + p.claims.count, 0);
  if (totalClaims === 0)
    throw new InputError(
      `${o.source}: no claim in the window ${formatIsoInstant(o.since)} to ${formatIsoInstant(o.until)}: there is no demand to fit (widen --since/--until or check --template)`,
    );

  return {
    source: o.source,
    since: o.since,
    until: o.until,
    timezone,
    timezoneHow: how,
    templates,
    presets: presetsWithTimes,
    buildTime,
    deleteTime,
    agentReady,
    failures: { start: failureOf("start"), stop: failureOf("stop"), delete: failureOf("delete") },
    daemons,
    otherHumanBuilds: fitRate(otherHuman.length, hours),
    ordinaryBuilds,
    reconciliation: fitReconciliation(o),
    users: o.limits.length > 0 ? null : new Set(people.map((b) => b.initiatorId)).size,
    paused: o.paused,
    rowCounts: {
      templates: o.templates.length,
      versions: o.versions.length,
      presets: o.presets.length,
      builds: o.builds.length,
      "prebuild builds": prebuild.length,
      "people's builds": people.length,
    },
    warnings,
    limits: o.limits,
  };
}
