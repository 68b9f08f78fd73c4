// Validation of a preset's schedules together (spec §3.5.1 step 4) and the exact overlap rule.
// The rows of the Terraform provider's TestSchedulesOverlap and TestValidateSchedules are ported
// with upstream's names; rows where the exact rule disagrees with upstream's approximation are
// marked and checked against our rule.

import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/clock/types.ts";
import {
  ScheduleValidationError,
  timeRangesOverlap,
  validateSchedules,
} from "../../src/prebuilds/schedule.ts";
import { TimeRangeCron } from "../../src/prebuilds/timeRangeCron.ts";

const overlap = (a: string, b: string) => timeRangesOverlap(TimeRangeCron.parse(a), TimeRangeCron.parse(b));

describe("TestSchedulesOverlap", () => {
  const cases = [
    { name: "Same schedule", s1: "* 9-18 * * 1-5", s2: "* 9-18 * * 1-5", overlap: true },
    { name: "Different hours - no overlap", s1: "* 9-12 * * 1-5", s2: "* 13-18 * * 1-5", overlap: false },
    { name: "Different hours - partial overlap", s1: "* 9-14 * * 1-5", s2: "* 12-18 * * 1-5", overlap: true },
    {
      name: "Different hours - one contained in another",
      s1: "* 9-18 * * 1-5",
      s2: "* 12-14 * * 1-5",
      overlap: true,
    },
    {
      name: "Different DOW with wildcard DOM",
      s1: "* 9-18 * * 1,3,5",
      s2: "* 9-18 * * 2,4,6",
      overlap: false,
    },
    {
      name: "Different DOW with wildcard DOM - complex ranges",
      s1: "* 9-18 * * 1-3",
      s2: "* 9-18 * * 4-5",
      overlap: false,
    },
    // Upstream says no overlap; but "the 1st or Mon-Wed" and "the 2nd or Thu-Fri" share every
    // Thursday the 1st (and Monday the 2nd), so some minute matches both.
    {
      name: "Different DOW with specific DOM - no overlap (exact rule: overlap)",
      s1: "* 9-18 1 * 1-3",
      s2: "* 9-18 2 * 4-5",
      overlap: true,
    },
    {
      name: "Different DOW with specific DOM - partial overlap",
      s1: "* 9-18 1 * 1-4",
      s2: "* 9-18 1 * 3-5",
      overlap: true,
    },
    {
      name: "Different DOW with specific DOM - complex ranges",
      s1: "* 9-18 1 * 1,3,5",
      s2: "* 9-18 1 * 2,4,6",
      overlap: true,
    },
    { name: "Wildcard hours vs specific hours", s1: "* * * * 1-5", s2: "* 9-18 * * 1-5", overlap: true },
    { name: "Wildcard DOW vs specific DOW", s1: "* 9-18 * * *", s2: "* 9-18 * * 1-5", overlap: true },
    { name: "Both wildcard DOW", s1: "* 9-18 * * *", s2: "* 9-18 * * *", overlap: true },
    {
      name: "Complex hour ranges - no overlap",
      s1: "* 9-11,13-15 * * 1-5",
      s2: "* 12,16-18 * * 1-5",
      overlap: false,
    },
    {
      name: "Complex hour ranges - partial overlap",
      s1: "* 9-11,13-15 * * 1-5",
      s2: "* 10-12,14-16 * * 1-5",
      overlap: true,
    },
    {
      name: "Complex hour ranges - contained",
      s1: "* 9-18 * * 1-5",
      s2: "* 10-11,13-14 * * 1-5",
      overlap: true,
    },
  ];
  it.each(cases)("$name", (tc) => {
    expect(overlap(tc.s1, tc.s2)).toBe(tc.overlap);
    expect(overlap(tc.s2, tc.s1)).toBe(tc.overlap);
  });

  it("day sets that exist only in different months do not overlap", () => {
    expect(overlap("* 9 1-15 1-6 *", "* 9 1-15 7-12 *")).toBe(false);
  });

  it("a day of month that no month in the field has never overlaps (30 February)", () => {
    expect(overlap("* 9 30 2 *", "* 9 * 2 *")).toBe(false);
  });

  it("29 February exists in leap years, and falls on every weekday in some year", () => {
    expect(overlap("* 9 29 2 *", "* 9 * * 3")).toBe(true);
  });
});

describe("TestValidateSchedules", () => {
  const cases = [
    { name: "Empty schedules", schedules: [], expectErr: false },
    { name: "Single valid schedule", schedules: ["* 9-18 * * 1-5"], expectErr: false },
    {
      name: "Multiple valid non-overlapping schedules",
      schedules: ["* 9-12 * * 1-5", "* 13-18 * * 1-5"],
      expectErr: false,
    },
    {
      name: "Multiple valid non-overlapping schedules (weekdays and weekend)",
      schedules: ["* 9-18 * * 1-5", "* 9-13 * * 6,0"],
      expectErr: false,
    },
    { name: "Two overlapping schedules", schedules: ["* 9-14 * * 1-5", "* 12-18 * * 1-5"], expectErr: true },
    {
      name: "Three schedules with only second and third overlapping",
      schedules: ["* 9-11 * * 1-5", "* 12-18 * * 1-5", "* 15-20 * * 1-5"],
      expectErr: true,
    },
    { name: "Invalid hour range", schedules: ["* 25-26 * * 1-5", "* 9-18 * * 1-5"], expectErr: true },
    { name: "Invalid month range", schedules: ["* 9-18 * 13 1-5", "* 9-18 * * 1-5"], expectErr: true },
    {
      name: "Invalid field count - too few fields",
      schedules: ["* 9-18 * *", "* 9-18 * * 1-5"],
      expectErr: true,
    },
    {
      name: "Invalid field count - too many fields",
      schedules: ["* 9-18 * * 1-5 *", "* 9-18 * * 1-5"],
      expectErr: true,
    },
    { name: "A single invalid schedule is rejected too", schedules: ["* 9-18 * * 1-7"], expectErr: true },
  ];
  it.each(cases)("$name", (tc) => {
    if (tc.expectErr) expect(() => validateSchedules(tc.schedules, "UTC")).toThrow(ScheduleValidationError);
    else expect(validateSchedules(tc.schedules, "UTC")).toHaveLength(tc.schedules.length);
  });

  it("names the overlapping pair", () => {
    expect(() => validateSchedules(["* 9-11 * * 1-5", "* 12-18 * * 1-5", "* 15-20 * * 1-5"], "UTC")).toThrow(
      "schedules overlap: * 12-18 * * 1-5 and * 15-20 * * 1-5",
    );
  });

  it("names the invalid schedule and why", () => {
    expect(() => validateSchedules(["* 9-18 * * 1-5", "30 9 * * *"], "UTC")).toThrow(
      'invalid schedule "30 9 * * *": time-range cron "CRON_TZ=UTC 30 9 * * *": expected minutes to be *',
    );
  });

  it("parses every schedule in the preset's zone, in order", () => {
    const parsed = validateSchedules(["* 9 * * 1", "* 10 * * 1"], "Europe/Berlin");
    expect(parsed.map((p) => [p.timeZone, [...p.hours]])).toEqual([
      ["Europe/Berlin", [9]],
      ["Europe/Berlin", [10]],
    ]);
  });
});

describe("overlap is exact: properties", () => {
  const hourField = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 23 }))
    .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`);
  const dayField = (min: number, max: number) =>
    fc.oneof(
      fc.constant("*"),
      fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(",")),
    );
  const spec = fc
    .tuple(hourField, dayField(1, 31), dayField(1, 12), dayField(0, 6))
    .map(([h, dom, mon, dow]) => `* ${h} ${dom} ${mon} ${dow}`);
  const zone = fc.constantFrom("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata");
  // 2024-01-01 to 2032-01-01: several leap years and every weekday for every date.
  const instant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2032, 0, 1) });

  test.prop([spec, spec, zone, fc.array(instant, { minLength: 50, maxLength: 50 })])(
    "specs that do not overlap never both match an instant",
    (a, b, tz, instants) => {
      const ca = TimeRangeCron.parse(`CRON_TZ=${tz} ${a}`);
      const cb = TimeRangeCron.parse(`CRON_TZ=${tz} ${b}`);
      if (timeRangesOverlap(ca, cb)) return;
      for (const t of instants) expect(ca.isWithinRange(t) && cb.isWithinRange(t)).toBe(false);
    },
  );

  test.prop([spec, spec])("overlap is symmetric", (a, b) => {
    expect(overlap(a, b)).toBe(overlap(b, a));
  });

  test.prop([spec, instant])("a spec that matches some instant overlaps itself", (a, t) => {
    const c = TimeRangeCron.parse(a);
    if (c.isWithinRange(t)) expect(timeRangesOverlap(c, c)).toBe(true);
  });

  it("a reported overlap is witnessed by a real UTC minute within a 28-year scan", () => {
    // Spot check of completeness on a restricted pair: "the 1st or Mon-Wed" vs "the 2nd or Thu-Fri".
    const a = TimeRangeCron.parse("* 9 1 * 1-3");
    const b = TimeRangeCron.parse("* 9 2 * 4-5");
    let witness: number | undefined;
    for (let t = Date.UTC(2025, 0, 1, 9); t < Date.UTC(2053, 0, 1); t += 24 * HOUR) {
      if (a.isWithinRange(t) && b.isWithinRange(t)) {
        witness = t;
        break;
      }
    }
    expect(witness).toBeDefined();
  });
});
