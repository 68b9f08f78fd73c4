import { fc, test as propTest } from "@fast-check/vitest";
import { Temporal } from "@js-temporal/polyfill";
import { describe, expect, test } from "vitest";
import { HOUR, MINUTE } from "../../src/clock/types.ts";
import { Rng } from "../../src/kernel/rng.ts";
import { wallClockAt } from "../../src/prebuilds/timeZone.ts";
import type { DiurnalShape } from "../../src/scenario/scenario.ts";
import { claimArrivals, diurnalMultiplier } from "../../src/world/arrivals.ts";
import { START } from "./scenarioFixture.ts";

const stream = (seed: number) => new Rng(seed).stream("workload/0");

/** The local hour, through the same quarter-hour cache (checked against Temporal below). */
const localHour = (timezone: string) =>
  diurnalMultiplier({ timezone, multipliers: Array.from({ length: 24 }, (_, h) => h) });

describe("claimArrivals", () => {
  test("every: one period after the start, then each period, never at the end", () => {
    const got = claimArrivals({ kind: "every", every: 5 * MINUTE }, stream(1), START, START + 30 * MINUTE);
    expect(got.map((t) => (t - START) / MINUTE)).toEqual([5, 10, 15, 20, 25]);
  });

  test("at: keeps the instants inside [from, to), in time order", () => {
    const times = [11, 10, 60, 0].map((m) => ({ atOffset: m * MINUTE, at: START + m * MINUTE }));
    const got = claimArrivals({ kind: "at", times }, stream(1), START, START + HOUR);
    expect(got.map((t) => (t - START) / MINUTE)).toEqual([0, 10, 11]);
  });

  test("rate: the same seed gives the same instants, another seed others", () => {
    const a = claimArrivals(
      { kind: "poisson", perHour: 12, diurnal: null },
      stream(7),
      START,
      START + 8 * HOUR,
    );
    const b = claimArrivals(
      { kind: "poisson", perHour: 12, diurnal: null },
      stream(7),
      START,
      START + 8 * HOUR,
    );
    const c = claimArrivals(
      { kind: "poisson", perHour: 12, diurnal: null },
      stream(8),
      START,
      START + 8 * HOUR,
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  test("rate: about perHour arrivals per hour over a long window", () => {
    const hours = 2000;
    const got = claimArrivals(
      { kind: "poisson", perHour: 12, diurnal: null },
      stream(3),
      START,
      START + hours * HOUR,
    );
    // Poisson with mean 24000 has a standard deviation of ~155: 3% is more than 4 sigma.
    expect(got.length).toBeGreaterThan(12 * hours * 0.97);
    expect(got.length).toBeLessThan(12 * hours * 1.03);
  });

  test("rate 0 gives no arrivals", () => {
    expect(
      claimArrivals({ kind: "poisson", perHour: 0, diurnal: null }, stream(1), START, START + HOUR),
    ).toEqual([]);
  });

  test("diurnal: a multiplier of 3 in the morning triples the morning rate", () => {
    const multipliers = Array.from({ length: 24 }, (_, h) => (h >= 9 && h <= 11 ? 3 : 1));
    const shape: DiurnalShape = { timezone: "Europe/Berlin", multipliers };
    const days = 100;
    const got = claimArrivals(
      { kind: "poisson", perHour: 10, diurnal: shape },
      stream(5),
      START,
      START + days * 24 * HOUR,
    );
    const hourOf = localHour("Europe/Berlin");
    const morning = got.filter((t) => hourOf(t) >= 9 && hourOf(t) <= 11).length;
    // Expected: 3 h × 30/h = 90 in the morning, 21 h × 10/h = 210 otherwise, per day.
    expect(morning / days).toBeGreaterThan(90 * 0.93);
    expect(morning / days).toBeLessThan(90 * 1.07);
    expect((got.length - morning) / days).toBeGreaterThan(210 * 0.95);
    expect((got.length - morning) / days).toBeLessThan(210 * 1.05);
  });

  propTest.prop([
    fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }),
    fc.integer({ min: 0, max: 1000 }),
  ])("diurnal: no arrival falls in a local hour whose multiplier is 0", (open, seed) => {
    fc.pre(open.some((x) => x));
    const shape: DiurnalShape = { timezone: "America/New_York", multipliers: open.map((x) => (x ? 2 : 0)) };
    const got = claimArrivals(
      { kind: "poisson", perHour: 6, diurnal: shape },
      stream(seed),
      START,
      START + 48 * HOUR,
    );
    const hourOf = localHour("America/New_York");
    for (const t of got) expect(open[hourOf(t)]).toBe(true);
  });
});

describe("diurnalMultiplier", () => {
  const shape: DiurnalShape = {
    timezone: "Europe/Berlin",
    multipliers: Array.from({ length: 24 }, (_, h) => h),
  };

  propTest.prop([fc.integer({ min: START, max: START + 400 * 24 * HOUR })])(
    "agrees with Temporal's local hour at any instant",
    (t) => {
      expect(localHour("Asia/Kathmandu")(t)).toBe(wallClockAt(t, "Asia/Kathmandu").hour);
      expect(localHour("Europe/Berlin")(t)).toBe(wallClockAt(t, "Europe/Berlin").hour);
    },
  );

  test("reads the local hour in the shape's zone", () => {
    // 08:30 UTC on 2 March 2026 is 09:30 in Berlin (CET, UTC+1).
    expect(diurnalMultiplier(shape)(Date.UTC(2026, 2, 2, 8, 30))).toBe(9);
  });

  test("follows daylight saving: 01:30 UTC on 29 March 2026 is 03:30 CEST", () => {
    expect(diurnalMultiplier(shape)(Date.UTC(2026, 2, 29, 1, 30))).toBe(3);
  });

  test("changes exactly at the daylight-saving switch: 00:59:59.999 UTC is 01 CET, 01:00 UTC is 03 CEST", () => {
    const at = diurnalMultiplier(shape);
    expect(at(Date.UTC(2026, 2, 29, 0, 59, 59, 999))).toBe(1);
    expect(at(Date.UTC(2026, 2, 29, 1, 0))).toBe(3);
  });
});

describe("weekend shape", () => {
  const weekly: DiurnalShape = {
    timezone: "Europe/Berlin",
    multipliers: new Array<number>(24).fill(1),
    weekend: new Array<number>(24).fill(0.25),
  };

  test("Saturday and Sunday in the shape's zone take the weekend multipliers, at local midnight", () => {
    const at = diurnalMultiplier(weekly);
    // Fri 6 March 2026 22:59 UTC is 23:59 Friday in Berlin; 23:00 UTC is Saturday 00:00.
    expect(at(Date.UTC(2026, 2, 6, 22, 59))).toBe(1);
    expect(at(Date.UTC(2026, 2, 6, 23, 0))).toBe(0.25);
    // Sun 8 March 23:00 UTC is Monday 00:00 in Berlin.
    expect(at(Date.UTC(2026, 2, 8, 22, 59))).toBe(0.25);
    expect(at(Date.UTC(2026, 2, 8, 23, 0))).toBe(1);
  });

  test("four weeks of a weekend factor 0.25: the weekend's rate is about a quarter of the weekdays'", () => {
    const from = Date.UTC(2026, 2, 1, 23); // Monday 00:00 in Berlin
    const got = claimArrivals(
      { kind: "poisson", perHour: 20, diurnal: weekly },
      stream(11),
      from,
      from + 28 * 24 * HOUR,
    );
    const weekend = got.filter((t) => [0, 6].includes(wallClockAt(t, "Europe/Berlin").weekday)).length;
    const perHourWeekend = weekend / (8 * 24);
    const perHourWeekday = (got.length - weekend) / (20 * 24);
    // 20/h on 480 weekday hours (±2%) and 5/h on 192 weekend hours (±7%): well inside these bounds.
    expect(perHourWeekday).toBeGreaterThan(18.5);
    expect(perHourWeekday).toBeLessThan(21.5);
    expect(perHourWeekend).toBeGreaterThan(4.2);
    expect(perHourWeekend).toBeLessThan(5.8);
  });
});

// Issue 17 asked whether the generator spreads wider than Poisson (weekday claims over 8 seeds,
// seed 3: 1,563 vs 1,440 expected). Over 200 seeds of that draw the z-scores had mean 0.04 and
// variance 0.997, as Poisson's should: seed 3 is the widest of the 200 (|z| 3.24), not a bias.
// These tests would catch a wrong generator: the expected count of every UTC hour is computed
// apart from the generator (Temporal's local hour and weekday, once per hour), over a window that
// crosses a weekend and Berlin's daylight-saving switch (29 March 2026, 02:00 → 03:00 local).
describe("the non-homogeneous Poisson process against its expected counts", () => {
  const hours = Array.from({ length: 24 }, (_, h) => (h >= 8 && h <= 17 ? 2 : h === 3 ? 1.5 : 0.25));
  const shape: DiurnalShape = {
    timezone: "Europe/Berlin",
    multipliers: hours,
    weekend: hours.map((m) => m * 0.1),
  };
  const perHour = 6;
  // Friday 27 March 2026 00:00 UTC, four days: Friday, the weekend with the switch, Monday.
  const from = Date.UTC(2026, 2, 27);
  const bins = 4 * 24;
  const expected = Array.from({ length: bins }, (_, i) => {
    const z = Temporal.Instant.fromEpochMilliseconds(from + i * HOUR).toZonedDateTimeISO("Europe/Berlin");
    const weekend = z.dayOfWeek >= 6;
    return perHour * (hours[z.hour] as number) * (weekend ? 0.1 : 1);
  });
  const seeds = Array.from({ length: 60 }, (_, i) => i + 1);
  const counts = seeds.map((seed) => {
    const perBin = new Array<number>(bins).fill(0);
    for (const t of claimArrivals(
      { kind: "poisson", perHour, diurnal: shape },
      stream(seed),
      from,
      from + bins * HOUR,
    ))
      perBin[Math.floor((t - from) / HOUR)] = (perBin[Math.floor((t - from) / HOUR)] ?? 0) + 1;
    return perBin;
  });
  const total = expected.reduce((a, b) => a + b, 0);

  test("the expectation itself: 29 March skips local 02:00, weekends at a tenth", () => {
    // 29 March 00:00 UTC is 01:00 CET, 01:00 UTC already 03:00 CEST (a Sunday: × 0.1)
    expect(expected[2 * 24]).toBeCloseTo(6 * 0.25 * 0.1, 12);
    expect(expected[2 * 24 + 1]).toBeCloseTo(6 * 1.5 * 0.1, 12);
    // Friday 07:00 UTC is 08:00 CET, Monday 30 March 06:00 UTC is 08:00 CEST: weekday peaks
    expect(expected[7]).toBe(12);
    expect(expected[3 * 24 + 6]).toBe(12);
    expect(expected[3 * 24 + 5]).toBe(6 * 0.25);
  });

  test("each seed's total is Poisson: dispersion index over 60 seeds within chi-square(60)'s 99.8% range", () => {
    const totals = counts.map((c) => c.reduce((a, b) => a + b, 0));
    const dispersion = totals.reduce((s, n) => s + (n - total) ** 2 / total, 0);
    // chi-square with 60 degrees of freedom: 0.1% and 99.9% quantiles ≈ 31.7 and 99.6.
    expect(dispersion).toBeGreaterThan(31.7);
    expect(dispersion).toBeLessThan(99.6);
    // and the mean over seeds within 3.3 standard errors of the expectation
    const mean = totals.reduce((a, b) => a + b, 0) / seeds.length;
    expect(Math.abs(mean - total) / Math.sqrt(total / seeds.length)).toBeLessThan(3.3);
  });

  test("every UTC hour gets its own rate: chi-square over 96 hours pooled across seeds", () => {
    const chi = expected.reduce((s, e, i) => {
      const o = counts.reduce((sum, c) => sum + (c[i] as number), 0);
      return s + (o - e * seeds.length) ** 2 / (e * seeds.length);
    }, 0);
    // chi-square with 96 degrees of freedom: 99.9% quantile ≈ 144.
    expect(chi).toBeLessThan(144);
  });
});
