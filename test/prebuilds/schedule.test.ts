// The Terraform provider's schedule helper (provider/helpers/schedule_validation.go), which v2.31's
// reconciler runs over a preset's schedules (spec §3.5.1 step 4). Every table of upstream's
// schedule_validation_test.go is ported by name with upstream's expectations, then the error texts
// upstream prints, then properties.

import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/clock/types.ts";
import {
  checkOverlap,
  daysOverlap,
  domOverlap,
  dowOverlap,
  hoursOverlap,
  monthsOverlap,
  parseRange,
  ScheduleValidationError,
  schedulesOverlap,
  validateSchedules,
} from "../../src/prebuilds/scheduleValidation.ts";
import { TimeRangeCron } from "../../src/prebuilds/timeRangeCron.ts";

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const sorted = (s: ReadonlySet<number>) => [...s].sort((x, y) => x - y);

describe("TestParseRange", () => {
  const cases = [
    { name: "Wildcard", input: "*", maxValue: 5, expected: range(0, 5) },
    { name: "Single value", input: "3", maxValue: 5, expected: [3] },
    { name: "Range", input: "1-3", maxValue: 5, expected: [1, 2, 3] },
    { name: "Complex range", input: "1-3,5,7-9", maxValue: 9, expected: [1, 2, 3, 5, 7, 8, 9] },
    { name: "Value too high", input: "6", maxValue: 5, expectErr: true },
    { name: "Range too high", input: "4-6", maxValue: 5, expectErr: true },
    { name: "Invalid range", input: "3-1", maxValue: 5, expectErr: true },
    { name: "Invalid value", input: "abc", maxValue: 5, expectErr: true },
  ];
  it.each(cases)("$name", (tc) => {
    if (tc.expectErr) expect(() => parseRange(tc.input, tc.maxValue)).toThrow(ScheduleValidationError);
    else expect(sorted(parseRange(tc.input, tc.maxValue))).toEqual(tc.expected);
  });
});

describe("TestCheckOverlap", () => {
  const cases = [
    { name: "Same range", range1: "1-5", range2: "1-5", maxValue: 10, overlap: true },
    { name: "Different ranges", range1: "1-3", range2: "4-6", maxValue: 10, overlap: false },
    { name: "Overlapping ranges", range1: "1-5", range2: "4-8", maxValue: 10, overlap: true },
    { name: "Wildcard overlap", range1: "*", range2: "3-5", maxValue: 10, overlap: true },
    { name: "Complex ranges", range1: "1-3,5,7-9", range2: "2-4,6,8-10", maxValue: 10, overlap: true },
    { name: "Single values", range1: "1", range2: "1", maxValue: 10, overlap: true },
    { name: "Single value vs range", range1: "1", range2: "1-3", maxValue: 10, overlap: true },
    { name: "Invalid range - value too high", range1: "11", range2: "1-3", maxValue: 10, expectErr: true },
    { name: "Invalid range - negative value", range1: "-1", range2: "1-3", maxValue: 10, expectErr: true },
    { name: "Invalid range - malformed", range1: "1-", range2: "1-3", maxValue: 10, expectErr: true },
  ];
  it.each(cases)("$name", (tc) => {
    const run = () => checkOverlap(tc.range1, tc.range2, tc.maxValue);
    if (tc.expectErr) expect(run).toThrow(ScheduleValidationError);
    else expect(run()).toBe(tc.overlap);
  });
});

describe("TestOverlapWrappers", () => {
  const cases = [
    { name: "Valid hour range", range1: "23", range2: "23", overlap: true, overlapFunc: hoursOverlap },
    { name: "Invalid hour range", range1: "24", range2: "24", expectErr: true, overlapFunc: hoursOverlap },
    { name: "Valid month range", range1: "12", range2: "12", overlap: true, overlapFunc: monthsOverlap },
    { name: "Invalid month range", range1: "13", range2: "13", expectErr: true, overlapFunc: monthsOverlap },
    { name: "Valid day of month range", range1: "31", range2: "31", overlap: true, overlapFunc: domOverlap },
    {
      name: "Invalid day of month range",
      range1: "32",
      range2: "32",
      expectErr: true,
      overlapFunc: domOverlap,
    },
    { name: "Valid day of week range", range1: "6", range2: "6", overlap: true, overlapFunc: dowOverlap },
    { name: "Invalid day of week range", range1: "7", range2: "7", expectErr: true, overlapFunc: dowOverlap },
  ];
  it.each(cases)("$name", (tc) => {
    const run = () => tc.overlapFunc(tc.range1, tc.range2);
    if (tc.expectErr) expect(run).toThrow(ScheduleValidationError);
    else expect(run()).toBe(tc.overlap);
  });
});

describe("TestDaysOverlap", () => {
  const cases = [
    { name: "DOM overlap only", dom1: "1-15", dow1: "1-3", dom2: "10-20", dow2: "4-6", overlap: true },
    { name: "DOW overlap only", dom1: "1-15", dow1: "1-3", dom2: "16-31", dow2: "3-5", overlap: true },
    {
      name: "Both DOM and DOW overlap",
      dom1: "1-15",
      dow1: "1-3",
      dom2: "10-20",
      dow2: "3-5",
      overlap: true,
    },
    { name: "No overlap", dom1: "1-15", dow1: "1-3", dom2: "16-31", dow2: "4-6", overlap: false },
    {
      name: "Both DOW wildcard - DOM overlaps",
      dom1: "1-15",
      dow1: "*",
      dom2: "10-20",
      dow2: "*",
      overlap: true,
    },
    {
      name: "Both DOW wildcard - DOM doesn't overlap",
      dom1: "1-15",
      dow1: "*",
      dom2: "16-31",
      dow2: "*",
      overlap: false,
    },
  ];
  it.each(cases)("$name", (tc) => {
    expect(daysOverlap(tc.dom1, tc.dow1, tc.dom2, tc.dow2)).toBe(tc.overlap);
  });
});

describe("TestSchedulesOverlap", () => {
  const cases: { name: string; s1: string; s2: string; overlap?: boolean; expectedErrMsg?: string }[] = [
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
    // Upstream's answer, although a Thursday the 1st (or a Monday the 2nd) matches both specs:
    // the helper only intersects the day-of-month sets and the weekday sets.
    {
      name: "Different DOW with specific DOM - no overlap",
      s1: "* 9-18 1 * 1-3",
      s2: "* 9-18 2 * 4-5",
      overlap: false,
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
    {
      name: "Invalid hour range",
      s1: "* 25-26 * * 1-5",
      s2: "* 9-18 * * 1-5",
      expectedErrMsg: "invalid hour range",
    },
    {
      name: "Invalid month range",
      s1: "* 9-18 * 13 1-5",
      s2: "* 9-18 * * 1-5",
      expectedErrMsg: "invalid month range",
    },
    {
      name: "Invalid field count - too few fields",
      s1: "* 9-18 * *",
      s2: "* 9-18 * * 1-5",
      expectedErrMsg: "has 4 fields, expected 5 fields",
    },
    {
      name: "Invalid field count - too many fields",
      s1: "* 9-18 * * 1-5 *",
      s2: "* 9-18 * * 1-5",
      expectedErrMsg: "has 6 fields, expected 5 fields",
    },
    {
      name: "Invalid field count - s2 has too few fields",
      s1: "* 9-18 * * 1-5",
      s2: "* 9-18 * *",
      expectedErrMsg: "has 4 fields, expected 5 fields",
    },
  ];
  it.each(cases)("$name", (tc) => {
    if (tc.expectedErrMsg !== undefined) {
      expect(() => schedulesOverlap(tc.s1, tc.s2)).toThrow(ScheduleValidationError);
      expect(() => schedulesOverlap(tc.s1, tc.s2)).toThrow(tc.expectedErrMsg);
    } else {
      expect(schedulesOverlap(tc.s1, tc.s2)).toBe(tc.overlap);
    }
  });
});

describe("TestValidateSchedules", () => {
  const cases: { name: string; schedules: string[]; expectedErrMsg?: string }[] = [
    { name: "Empty schedules", schedules: [] },
    { name: "Single valid schedule", schedules: ["* 9-18 * * 1-5"] },
    { name: "Multiple valid non-overlapping schedules", schedules: ["* 9-12 * * 1-5", "* 13-18 * * 1-5"] },
    { name: "Multiple valid non-overlapping schedules", schedules: ["* 9-18 * * 1-5", "* 9-13 * * 6,0"] },
    {
      name: "Two overlapping schedules",
      schedules: ["* 9-14 * * 1-5", "* 12-18 * * 1-5"],
      expectedErrMsg: "schedules overlap: * 9-14 * * 1-5 and * 12-18 * * 1-5",
    },
    {
      name: "Three schedules with only second and third overlapping",
      schedules: ["* 9-11 * * 1-5", "* 12-18 * * 1-5", "* 15-20 * * 1-5"],
      expectedErrMsg: "schedules overlap: * 12-18 * * 1-5 and * 15-20 * * 1-5",
    },
  ];
  it.each(cases)("$name", (tc) => {
    if (tc.expectedErrMsg !== undefined)
      expect(() => validateSchedules(tc.schedules)).toThrow(tc.expectedErrMsg);
    else expect(() => validateSchedules(tc.schedules)).not.toThrow();
  });
});

describe("the helper's error texts, as upstream prints them", () => {
  const cases = [
    {
      name: "an hour range above 23",
      schedules: ["* 25-26 * * 1-5", "* 9-18 * * 1-5"],
      message: "invalid schedule: invalid hour range: invalid range 25-26: values must be between 0 and 23",
    },
    {
      name: "month 13",
      schedules: ["* 9-18 * 13 1-5", "* 9-18 * * 1-5"],
      message: "invalid schedule: invalid month range: invalid value 13: must be between 0 and 12",
    },
    {
      name: "a weekday name (robfig accepts it, the helper does not)",
      schedules: ["* 9-12 * * MON-FRI", "* 13-18 * * MON-FRI"],
      message:
        'invalid schedule: invalid day range: invalid start value in range: strconv.Atoi: parsing "MON": invalid syntax',
    },
    {
      name: "a step",
      schedules: ["* */2 * * *", "* 9 * * 6"],
      message:
        'invalid schedule: invalid hour range: invalid value: strconv.Atoi: parsing "*/2": invalid syntax',
    },
    {
      name: "a question mark for a day",
      schedules: ["* 9 ? * 1", "* 10 ? * 1"],
      message:
        'invalid schedule: invalid day range: invalid value: strconv.Atoi: parsing "?": invalid syntax',
    },
    {
      name: "a range missing its end",
      schedules: ["* 9- * * 1", "* 10 * * 1"],
      message:
        'invalid schedule: invalid hour range: invalid end value in range: strconv.Atoi: parsing "": invalid syntax',
    },
    {
      name: "a wrong field count",
      schedules: ["every morning", "* 9 * * 1"],
      message:
        'invalid schedule: schedule "every morning" has 2 fields, expected 5 fields (minute hour day-of-month month day-of-week)',
    },
  ];
  it.each(cases)("$name", (tc) => {
    expect(() => validateSchedules(tc.schedules)).toThrow(new ScheduleValidationError(tc.message));
  });

  it("the minute field is never looked at, and a single schedule is never parsed", () => {
    expect(() => validateSchedules(["30 9 * * 1", "*/5 10 * * 1"])).not.toThrow();
    expect(() => validateSchedules(["every morning"])).not.toThrow();
  });

  it("only the exact text * is a wildcard; months and days of month start at 0", () => {
    expect(daysOverlap("0", "*", "0", "1")).toBe(true);
    expect(() => validateSchedules(["* 9 0 0 *", "* 10 0 0 *"])).not.toThrow();
    expect(() => validateSchedules(["* 9 * * *-5", "* 10 * * 1"])).toThrow("invalid start value in range");
  });
});

describe("upstream's approximation against the calendar", () => {
  it("the issue's pair overlaps in the calendar (Thursday 1 May 2025 09:00) but not by the helper", () => {
    const a = TimeRangeCron.parse("* 9-18 1 * 1-3");
    const b = TimeRangeCron.parse("* 9-18 2 * 4-5");
    const thursdayThe1st = Date.UTC(2025, 4, 1, 9);
    expect(a.isWithinRange(thursdayThe1st) && b.isWithinRange(thursdayThe1st)).toBe(true);
    expect(schedulesOverlap("* 9-18 1 * 1-3", "* 9-18 2 * 4-5")).toBe(false);
  });

  // For schedules that restrict weekdays and hours only (what templates use), the helper is exact:
  // no overlap reported means no minute matches both.
  const hourField = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 23 }))
    .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`);
  const dowField = fc.oneof(
    fc.constant("*"),
    fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(",")),
  );
  const weekly = fc.tuple(hourField, dowField).map(([h, dow]) => `* ${h} * * ${dow}`);
  const instant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2032, 0, 1) });

  test.prop([weekly, weekly, fc.array(instant, { minLength: 50, maxLength: 50 })])(
    "weekly schedules the helper separates never both match an instant",
    (a, b, instants) => {
      if (schedulesOverlap(a, b)) return;
      const ca = TimeRangeCron.parse(a);
      const cb = TimeRangeCron.parse(b);
      for (const t of instants) expect(ca.isWithinRange(t) && cb.isWithinRange(t)).toBe(false);
    },
  );

  const dayField = (min: number, max: number) =>
    fc.oneof(
      fc.constant("*"),
      fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(",")),
    );
  const spec = fc
    .tuple(hourField, dayField(1, 31), dayField(1, 12), dayField(0, 6))
    .map(([h, dom, mon, dow]) => `* ${h} ${dom} ${mon} ${dow}`);

  test.prop([spec, spec])("overlap is symmetric", (a, b) => {
    expect(schedulesOverlap(a, b)).toBe(schedulesOverlap(b, a));
  });

  test.prop([spec])("a schedule overlaps itself", (a) => {
    expect(schedulesOverlap(a, a)).toBe(true);
  });

  it("a reported weekly overlap is witnessed by a real minute within four weeks", () => {
    const a = TimeRangeCron.parse("* 9-12 * * 1,3");
    const b = TimeRangeCron.parse("* 12-14 * * 3-5");
    expect(schedulesOverlap("* 9-12 * * 1,3", "* 12-14 * * 3-5")).toBe(true);
    const start = Date.UTC(2025, 5, 2);
    const witness = Array.from({ length: 28 * 24 }, (_, i) => start + i * HOUR).find(
      (t) => a.isWithinRange(t) && b.isWithinRange(t),
    );
    expect(witness).toBe(Date.UTC(2025, 5, 4, 12));
  });
});
