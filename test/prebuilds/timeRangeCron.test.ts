// The time-range cron parser: robfig/cron v3 field grammar, minute must be `*`, robfig's day rule.
import { describe, expect, it } from "vitest";
import { CronSpecError, TimeRangeCron } from "../../src/prebuilds/timeRangeCron.ts";

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const sorted = (s: ReadonlySet<number>) => [...s].sort((x, y) => x - y);

describe("TimeRangeCron.parse: accepted specs", () => {
  const cases = [
    {
      name: "weekday working hours",
      spec: "* 9-18 * * 1-5",
      tz: "UTC",
      hours: range(9, 18),
      dow: range(1, 5),
      months: range(1, 12),
    },
    {
      name: "zone prefix",
      spec: "CRON_TZ=America/Los_Angeles * 9 * * *",
      tz: "America/Los_Angeles",
      hours: [9],
      dow: range(0, 6),
      months: range(1, 12),
    },
    {
      name: "empty zone in the prefix means UTC, as in Go",
      spec: "CRON_TZ= * 9 * * *",
      tz: "UTC",
      hours: [9],
      dow: range(0, 6),
      months: range(1, 12),
    },
    {
      name: "lists and ranges",
      spec: "* 1-3,5,7-9 * * 6,0",
      tz: "UTC",
      hours: [1, 2, 3, 5, 7, 8, 9],
      dow: [0, 6],
      months: range(1, 12),
    },
    {
      name: "month and weekday names, any case",
      spec: "* 9 * JAN-mar Mon-FRI",
      tz: "UTC",
      hours: [9],
      dow: range(1, 5),
      months: [1, 2, 3],
    },
    {
      name: "step over *",
      spec: "* */6 * * *",
      tz: "UTC",
      hours: [0, 6, 12, 18],
      dow: range(0, 6),
      months: range(1, 12),
    },
    {
      name: "step over a range",
      spec: "* 8-18/5 * * *",
      tz: "UTC",
      hours: [8, 13, 18],
      dow: range(0, 6),
      months: range(1, 12),
    },
    {
      name: "N/step runs from N to the maximum",
      spec: "* 20/2 * * *",
      tz: "UTC",
      hours: [20, 22],
      dow: range(0, 6),
      months: range(1, 12),
    },
    {
      name: "? is a wildcard",
      spec: "* ? * * ?",
      tz: "UTC",
      hours: range(0, 23),
      dow: range(0, 6),
      months: range(1, 12),
    },
    {
      name: "robfig reads *-N as *",
      spec: "* *-5 * * *",
      tz: "UTC",
      hours: range(0, 23),
      dow: range(0, 6),
      months: range(1, 12),
    },
    {
      name: "extra whitespace between fields",
      spec: "  *\t9-10   * *  1 ",
      tz: "UTC",
      hours: [9, 10],
      dow: [1],
      months: range(1, 12),
    },
  ];

  it.each(cases)("$name: $spec", (tc) => {
    const cron = TimeRangeCron.parse(tc.spec);
    expect(cron.spec).toBe(tc.spec);
    expect(cron.timeZone).toBe(tc.tz);
    expect(sorted(cron.hours)).toEqual(tc.hours);
    expect(sorted(cron.daysOfWeek.values)).toEqual(tc.dow);
    expect(sorted(cron.months)).toEqual(tc.months);
  });
});

describe("TimeRangeCron.parse: rejected specs, with the error upstream's cron.TimeRange returns", () => {
  const FIELD_COUNT =
    "validate time range schedule: expected schedule to consist of 5 fields with an optional CRON_TZ=<timezone> prefix";
  const MINUTES = "validate time range schedule: expected minutes to be *";
  const cases = [
    { name: "a minute other than *", spec: "0 9-18 * * 1-5", message: MINUTES },
    { name: "a stepped minute", spec: "*/5 9-18 * * 1-5", message: MINUTES },
    { name: "too few fields", spec: "* 9-18 * *", message: FIELD_COUNT },
    { name: "an empty spec", spec: "", message: FIELD_COUNT },
    // Six fields are read as a zone prefix and five fields: the "minute" is then the second field,
    // and when that is `*` robfig counts the real fields.
    { name: "six fields", spec: "* 9-18 * * 1-5 *", message: MINUTES },
    {
      name: "six fields whose second is *",
      spec: "* * 9 * * 1",
      message: "parse schedule: expected exactly 5 fields, found 6: [* * 9 * * 1]",
    },
    // With a prefix, upstream's own check reads the prefix as the minute field.
    { name: "a prefix and four fields", spec: "CRON_TZ=UTC * 9-18 * *", message: MINUTES },
    { name: "a prefix and six fields", spec: "CRON_TZ=UTC * 9-18 * * 1-5 *", message: MINUTES },
    {
      name: "a second zone prefix",
      spec: "CRON_TZ=UTC CRON_TZ=UTC * 9 * * *",
      message: MINUTES,
    },
    {
      name: "hour 24",
      spec: "* 24 * * *",
      message: "parse schedule: end of range (24) above maximum (23): 24",
    },
    {
      name: "day of month 0",
      spec: "* 9 0 * *",
      message: "parse schedule: beginning of range (0) below minimum (1): 0",
    },
    {
      name: "month 13",
      spec: "* 9 * 13 *",
      message: "parse schedule: end of range (13) above maximum (12): 13",
    },
    {
      name: "day of week 7 (robfig allows 0-6 only)",
      spec: "* 9 * * 1-7",
      message: "parse schedule: end of range (7) above maximum (6): 1-7",
    },
    {
      name: "a reversed range",
      spec: "* 5-3 * * *",
      message: "parse schedule: beginning of range (5) beyond end of range (3): 5-3",
    },
    {
      name: "a zero step",
      spec: "* */0 * * *",
      message: "parse schedule: step of range should be a positive number: */0",
    },
    { name: "too many hyphens", spec: "* 1-2-3 * * *", message: "parse schedule: too many hyphens: 1-2-3" },
    { name: "too many slashes", spec: "* 1/2/3 * * *", message: "parse schedule: too many slashes: 1/2/3" },
    {
      name: "a word",
      spec: "* nine * * *",
      message: 'parse schedule: failed to parse int from nine: strconv.Atoi: parsing "nine": invalid syntax',
    },
    {
      name: "a negative number",
      spec: "* 9 * * -1",
      message: 'parse schedule: failed to parse int from : strconv.Atoi: parsing "": invalid syntax',
    },
    {
      name: "a number beyond int64",
      spec: "* 99999999999999999999 * * *",
      message:
        'parse schedule: failed to parse int from 99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range',
    },
    {
      name: "a name where the field has none",
      spec: "* 9 mon * *",
      message: 'parse schedule: failed to parse int from mon: strconv.Atoi: parsing "mon": invalid syntax',
    },
    {
      name: "an unknown zone",
      spec: "CRON_TZ=Fictional/Country * 9 * * *",
      message: "parse schedule: provided bad location Fictional/Country: unknown time zone Fictional/Country",
    },
  ];

  it.each(cases)("$name: $spec", (tc) => {
    expect(() => TimeRangeCron.parse(tc.spec)).toThrow(new CronSpecError(tc.spec, tc.message));
  });

  it("robfig skips empty list elements", () => {
    expect(sorted(TimeRangeCron.parse("* 9,,10 * * *").hours)).toEqual([9, 10]);
  });

  it("a leading + is a number, as Go's Atoi reads it", () => {
    expect(sorted(TimeRangeCron.parse("* +9 * * *").hours)).toEqual([9]);
  });
});

describe("TimeRangeCron.matchesDay: robfig's day-of-month / day-of-week rule", () => {
  // June 2025: Sun 1, Mon 2, Sun 8, Mon 9.
  const cases = [
    {
      name: "both restricted: the 1st (a Sunday) matches via day of month",
      spec: "* 9 1 * 1",
      month: 6,
      day: 1,
      weekday: 0,
      expected: true,
    },
    {
      name: "both restricted: a Monday matches via day of week",
      spec: "* 9 1 * 1",
      month: 6,
      day: 9,
      weekday: 1,
      expected: true,
    },
    { name: "both restricted: neither", spec: "* 9 1 * 1", month: 6, day: 8, weekday: 0, expected: false },
    {
      name: "day of week *: only the day of month",
      spec: "* 9 1 * *",
      month: 6,
      day: 9,
      weekday: 1,
      expected: false,
    },
    {
      name: "day of month *: only the day of week",
      spec: "* 9 * * 1",
      month: 6,
      day: 1,
      weekday: 0,
      expected: false,
    },
    { name: "? counts as *", spec: "* 9 ? * 1", month: 6, day: 1, weekday: 0, expected: false },
    {
      name: "a stepped * is a restriction, so either may match",
      spec: "* 9 1 * */2",
      month: 6,
      day: 1,
      weekday: 0,
      expected: true,
    },
    {
      name: "a stepped * matched through day of week",
      spec: "* 9 15 * */2",
      month: 6,
      day: 8,
      weekday: 0,
      expected: true,
    },
    {
      name: "month outside the month field",
      spec: "* 9 * 1-5 *",
      month: 6,
      day: 2,
      weekday: 1,
      expected: false,
    },
  ];

  it.each(cases)("$name", (tc) => {
    expect(TimeRangeCron.parse(tc.spec).matchesDay(tc.month, tc.day, tc.weekday)).toBe(tc.expected);
  });
});

describe("TimeRangeCron.isWithinRange", () => {
  it("is evaluated in the spec's zone", () => {
    const cron = TimeRangeCron.parse("CRON_TZ=Asia/Tokyo * 9 * * 1");
    // Mon 2 Jun 2025 09:30 JST = 00:30 UTC.
    expect(cron.isWithinRange(Date.parse("2025-06-02T00:30:00Z"))).toBe(true);
    expect(cron.isWithinRange(Date.parse("2025-06-02T09:30:00Z"))).toBe(false);
  });

  it("covers the whole last hour, to its last millisecond", () => {
    const cron = TimeRangeCron.parse("* 9-18 * * *");
    expect(cron.isWithinRange(Date.parse("2025-06-02T18:59:59.999Z"))).toBe(true);
    expect(cron.isWithinRange(Date.parse("2025-06-02T19:00:00.000Z"))).toBe(false);
  });
});
