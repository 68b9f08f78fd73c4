// The fitting module of `prebuildsim import`, on samples whose truth is known: seeded draws from
// the scenario's own distributions, exact Poisson intervals, and claims placed by local hour.
import { describe, expect, test } from "vitest";
import { HOUR, MINUTE, SECOND } from "../../src/clock/types.ts";
import {
  claimKind,
  differsFromPooled,
  failuresThatStoppedAtHardLimit,
  fitDiurnal,
  fitDuration,
  fitRate,
  fitWeek,
  histogramQuantile,
  MIN_SAMPLES,
  quantileInterval,
} from "../../src/import/fit.ts";
import type { ObservedBuild } from "../../src/import/observations.ts";
import { hoursMap } from "../../src/import/scenarioWriter.ts";
import { Rng, sampleDuration } from "../../src/kernel/rng.ts";
import { resolveHourMultipliers } from "../../src/scenario/diurnal.ts";
import { claimArrivals } from "../../src/world/arrivals.ts";

const draws = (n: number, f: () => number) => Array.from({ length: n }, f);

describe("fitDuration", () => {
  test("log-normal draws: the true median and p90 lie in the 95% intervals, and the fit is good", () => {
    const s = new Rng(7).stream("fit-test");
    const d = { median: 2 * MINUTE, p90: 4 * MINUTE };
    const fit = fitDuration(draws(400, () => sampleDuration(s, d)));
    expect(fit?.shape).toBe("lognormal");
    expect(fit?.good).toBe(true);
    expect(fit?.medianInterval.low).toBeLessThanOrEqual(d.median);
    expect(fit?.medianInterval.high).toBeGreaterThanOrEqual(d.median);
    expect(fit?.p90Interval.low).toBeLessThanOrEqual(d.p90);
    expect(fit?.p90Interval.high).toBeGreaterThanOrEqual(d.p90);
  });

  test("uniform draws are a poor log-normal: the KS distance exceeds Lilliefors' bound", () => {
    const s = new Rng(7).stream("fit-test");
    const fit = fitDuration(draws(400, () => sampleDuration(s, { uniform: [SECOND, 10 * MINUTE] })));
    expect(fit?.good).toBe(false);
    expect(fit?.ks).toBeGreaterThan(fit?.ksBound ?? 1);
  });

  test("equal samples are fixed; fewer than MIN_SAMPLES are not fitted", () => {
    expect(fitDuration(draws(10, () => 20_000))?.shape).toBe("fixed");
    expect(fitDuration(draws(MIN_SAMPLES - 1, () => 20_000))).toBeNull();
  });

  test("with 14 samples nothing bounds the p90 from above", () => {
    const sorted = draws(14, () => 0).map((_, i) => i + 1);
    expect(quantileInterval(sorted, 0.9).high).toBe(Number.POSITIVE_INFINITY);
    expect(quantileInterval(sorted, 0.5)).toEqual({ low: 3, high: 12 });
  });
});

describe("fitRate: the Poisson 95% interval", () => {
  // Garwood's exact intervals (chi-square quantiles, standard tables to 4 digits); above 100 the
  // approximation must stay within 0.1%.
  test.each([
    { count: 0, low: 0, high: 3.689 },
    { count: 1, low: 0.02532, high: 5.572 },
    { count: 10, low: 4.795, high: 18.39 },
    { count: 100, low: 81.36, high: 121.6 },
    { count: 101, low: 82.27, high: 122.7 },
  ])("count $count", ({ count, low, high }) => {
    const r = fitRate(count, 2);
    expect(r.perHour).toBe(count / 2);
    expect(Math.abs(r.low * 2 - low)).toBeLessThanOrEqual(Math.max(0.0001, low * 0.001));
    expect(Math.abs(r.high * 2 - high) / high).toBeLessThan(0.001);
  });
});

describe("fitDiurnal", () => {
  const since = Date.UTC(2026, 2, 2);
  const until = since + 7 * 24 * HOUR;

  test("claims only at 9-11 Berlin time: a shape of 8× in those hours, 0 elsewhere", () => {
    // Berlin is UTC+1 in early March: 09:30 local is 08:30Z.
    const claims = draws(7 * 3 * 4, () => 0).map((_, i) => {
      const day = Math.floor(i / 12);
      const k = i % 12;
      return since + day * 24 * HOUR + (8 + Math.floor(k / 4)) * HOUR + (k % 4) * 15 * MINUTE;
    });
    const d = fitDiurnal(claims, since, until, "Europe/Berlin");
    expect(d.significant).toBe(true);
    expect(d.multipliers.slice(9, 12)).toEqual([8, 8, 8]);
    expect(d.multipliers.filter((m) => m === 0)).toHaveLength(21);
  });

  test("Poisson claims at a constant rate: flat", () => {
    const s = new Rng(3).stream("fit-test");
    const claims: number[] = [];
    for (let t = since; ; ) {
      t += -Math.log(1 - s.next()) * (HOUR / 6);
      if (t >= until) break;
      claims.push(Math.floor(t));
    }
    expect(fitDiurnal(claims, since, until, "UTC").significant).toBe(false);
  });
});

test("hoursMap writes runs of equal multipliers as ranges the scenario loader reads back", () => {
  const multipliers = [...Array(8).fill(0.1), 1.5, 3, 3, 3, ...Array(12).fill(0.5)];
  const map = hoursMap(multipliers);
  expect(map).toEqual({ "0-7": 0.1, "8": 1.5, "9-11": 3, "12-23": 0.5 });
  expect(resolveHourMultipliers(map)).toEqual({ ok: true, multipliers });
});

describe("claimKind", () => {
  const base: ObservedBuild = {
    id: "b",
    workspaceId: "w",
    templateId: "t",
    versionId: "v",
    presetId: "p",
    buildNumber: 1,
    transition: "start",
    initiatorId: "person",
    byPrebuilds: false,
    previousByPrebuilds: false,
    createdAt: 0,
    startedAt: null,
    completedAt: null,
    status: "succeeded",
    workerId: null,
    agentsReadyAt: null,
  };
  test.each([
    {
      name: "a person's start after the prebuilds user's build is a hit",
      b: { buildNumber: 2, previousByPrebuilds: true },
      kind: "hit",
    },
    { name: "a person's first build with a preset is a miss", b: {}, kind: "miss" },
    { name: "a person's restart is no claim", b: { buildNumber: 3 }, kind: null },
    { name: "a build without a preset is no claim", b: { presetId: null }, kind: null },
    { name: "a prebuild is no claim", b: { byPrebuilds: true }, kind: null },
    {
      name: "a person's stop is no claim",
      b: { transition: "stop" as const, buildNumber: 2, previousByPrebuilds: true },
      kind: null,
    },
  ])("$name", ({ b, kind }) => {
    expect(claimKind({ ...base, ...b })).toBe(kind);
  });
});

describe("fitWeek: the weekend factor found again in claims the scenario's own generator drew", () => {
  // Monday 2 March 2026 00:00 in Berlin, two weeks.
  const since = Date.UTC(2026, 3 - 1, 1, 23);
  const until = since + 14 * 24 * HOUR;
  const flat = new Array<number>(24).fill(1);
  const draw = (factor: number, seed: number) =>
    claimArrivals(
      {
        kind: "poisson",
        perHour: 6,
        diurnal: { timezone: "Europe/Berlin", multipliers: flat, weekend: flat.map((m) => m * factor) },
      },
      new Rng(seed).stream("workload/0"),
      since,
      until,
    );

  const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
  // A 95% interval misses the truth in one seed of twenty: of ten seeds, 8 or more must hold it
  // (P ≥ 0.98 when the intervals are right).
  test("weekend 0.2: significant in every seed; 0.2 inside the factor's 95% interval in 8 of 10 or more", () => {
    const fits = seeds.map((seed) => fitWeek(draw(0.2, seed), since, until, "Europe/Berlin"));
    expect(fits.every((w) => w?.significant === true)).toBe(true);
    const held = fits.filter(
      (w) => w !== null && w.factorInterval.low <= 0.2 && 0.2 <= w.factorInterval.high,
    );
    expect(held.length).toBeGreaterThanOrEqual(8);
  });

  test("every day alike: no weekend shape (|z| ≤ 3) in 9 of 10 seeds or more", () => {
    const fits = seeds.map((seed) => fitWeek(draw(1, seed), since, until, "Europe/Berlin"));
    expect(fits.filter((w) => w?.significant === false).length).toBeGreaterThanOrEqual(9);
  });

  test("a window without a weekend says nothing", () => {
    expect(fitWeek(draw(0.2, 1), since, since + 4 * 24 * HOUR, "Europe/Berlin")).toBeNull();
  });

  test("weekday hours are fitted on weekdays only beside a weekend factor", () => {
    const claims = draw(0.2, 7);
    const d = fitDiurnal(claims, since, until, "Europe/Berlin", "weekdays");
    expect(d.days).toBe("weekdays");
    expect(d.exposureHours.reduce((a, b) => a + b, 0)).toBeCloseTo(10 * 24, 6);
    expect(d.significant).toBe(false);
  });
});

describe("differsFromPooled", () => {
  const rng = (seed: number) => new Rng(seed).stream("d");
  const sample = (seed: number, median: number, p90: number, n = 200) => {
    const s = rng(seed);
    return fitDuration(draws(n, () => sampleDuration(s, { median, p90 })));
  };

  test("a preset twice as slow as the pool differs; one drawn like the pool does not", () => {
    const pooled = sample(1, 2 * MINUTE, 4 * MINUTE, 400);
    expect(differsFromPooled(sample(2, 4 * MINUTE, 8 * MINUTE), pooled)).toBe(true);
    expect(differsFromPooled(sample(3, 2 * MINUTE, 4 * MINUTE), pooled)).toBe(false);
    expect(differsFromPooled(null, pooled)).toBe(false);
  });
});

describe("histogramQuantile (as Prometheus' histogram_quantile)", () => {
  const buckets: [number, number][] = [
    [0.1, 50],
    [0.5, 90],
    [1, 100],
    [Number.POSITIVE_INFINITY, 100],
  ];
  test("interpolates linearly inside the bucket the rank falls in", () => {
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.1, 9);
    expect(histogramQuantile(0.25, buckets)).toBeCloseTo(0.05, 9);
    expect(histogramQuantile(0.7, buckets)).toBeCloseTo(0.3, 9);
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(0.75, 9);
  });
  test("a rank in the +Inf bucket gives the highest finite bound; no observation gives null", () => {
    expect(
      histogramQuantile(0.99, [
        [1, 90],
        [Number.POSITIVE_INFINITY, 100],
      ]),
    ).toBe(1);
    expect(histogramQuantile(0.5, [[Number.POSITIVE_INFINITY, 0]])).toBeNull();
  });
});

describe("failuresThatStoppedAtHardLimit", () => {
  const prebuild = (
    id: string,
    createdAt: number,
    status: ObservedBuild["status"],
    presetId = "p",
  ): ObservedBuild => ({
    id,
    workspaceId: `w-${id}`,
    templateId: "t",
    versionId: "v",
    presetId,
    buildNumber: 1,
    transition: "start",
    initiatorId: "prebuilds",
    byPrebuilds: true,
    previousByPrebuilds: false,
    createdAt,
    startedAt: createdAt,
    completedAt: createdAt + MINUTE,
    status,
    workerId: null,
    agentsReadyAt: null,
  });
  const ending = [prebuild("a", 0, "succeeded"), prebuild("b", 1, "failed"), prebuild("c", 2, "failed")];
  test.each([
    {
      name: "a hard-limited preset whose latest finished start failed: that one",
      builds: ending,
      limited: ["p"],
      left: ["c"],
    },
    { name: "a healthy preset: none", builds: ending, limited: [], left: [] },
    {
      name: "a hard-limited preset whose latest finished start succeeded (limited after the window): none",
      builds: [...ending, prebuild("d", 3, "succeeded")],
      limited: ["p"],
      left: [],
    },
    {
      name: "a build still running is not finished: the latest finished one counts",
      builds: [...ending, prebuild("d", 3, "running")],
      limited: ["p"],
      left: ["c"],
    },
    {
      name: "two builds created at once: the later id is the latest",
      builds: [prebuild("y", 5, "failed"), prebuild("x", 5, "succeeded")],
      limited: ["p"],
      left: ["y"],
    },
    {
      name: "only the hard-limited preset's builds",
      builds: [...ending, prebuild("q", 9, "failed", "other")],
      limited: ["p"],
      left: ["c"],
    },
  ])("$name", ({ builds, limited, left }) => {
    expect([...failuresThatStoppedAtHardLimit(builds, new Set(limited))]).toEqual(left);
  });

  // The stopping rule, simulated: prebuilds of failure rate p until the limit (3 failed prebuild
  // workspaces still unclaimed, the most recent ones) or the window's 40 builds. A success stays in
  // the pool with probability `stays` (0: people claim every success before the next build, so the
  // limit trips at the third failure; 1: nothing is claimed, so it needs three failures in a row).
  function meanEstimates(p: number, stays: number, seed: number): { naive: number; haldane: number } {
    const s = new Rng(seed).stream("hard-limit-test");
    let naive = 0;
    let haldane = 0;
    const replications = 2000;
    for (let r = 0; r < replications; r++) {
      const builds: ObservedBuild[] = [];
      let streak = 0;
      while (builds.length < 40 && streak < 3) {
        const failed = s.next() < p;
        builds.push(prebuild(`b${builds.length}`, builds.length, failed ? "failed" : "succeeded"));
        if (failed) streak += 1;
        else if (s.next() < stays) streak = 0;
      }
      const failed = builds.filter((b) => b.status === "failed").length;
      const left = failuresThatStoppedAtHardLimit(builds, new Set(streak === 3 ? ["p"] : [])).size;
      naive += failed / builds.length;
      haldane += (failed - left) / (builds.length - left);
    }
    return { naive: naive / replications, haldane: haldane / replications };
  }

  test.each([
    { p: 0.1, stays: 0 },
    { p: 0.3, stays: 0 },
    { p: 0.5, stays: 0 },
  ])(
    "every success claimed, p $p: unbiased within 0.015 where failed / finished is 0.03 or more high",
    ({ p, stays }) => {
      const { naive, haldane } = meanEstimates(p, stays, 17);
      expect(Math.abs(haldane - p)).toBeLessThan(0.015);
      expect(naive - p).toBeGreaterThan(0.03);
    },
  );

  test.each([
    { p: 0.1, stays: 1 },
    { p: 0.3, stays: 0.5 },
    { p: 0.3, stays: 1 },
    { p: 0.5, stays: 1 },
  ])("successes staying in the pool (p $p, stays $stays): it under-corrects, never over", ({ p, stays }) => {
    const { naive, haldane } = meanEstimates(p, stays, 17);
    expect(haldane).toBeGreaterThan(p - 0.01);
    expect(haldane).toBeLessThan(naive);
  });
});
