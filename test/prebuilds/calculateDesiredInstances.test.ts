// Scheduled desired counts at the snapshot level: upstream's TestPrebuildScheduling, TestMatchesCron
// and TestCalculateDesiredInstances (spec §9.1), then daylight-saving transitions and the logged
// fallbacks of spec §3.5.1.
import { describe, expect, it } from "vitest";
import { HOUR, MINUTE, SECOND } from "../../src/clock/types.ts";
import type { PresetPrebuildScheduleRow } from "../../src/db/rows.ts";
import { MemoryLogger } from "../../src/prebuilds/logger.ts";
import { PresetSnapshot } from "../../src/prebuilds/presetSnapshot.ts";
import { createAction } from "../../src/prebuilds/reconciliationActions.ts";
import { matchesCron } from "../../src/prebuilds/schedule.ts";
import { globalSnapshot, type Options, optionSet0, preset, schedule, state, TestClock } from "./fixtures.ts";

const backoffInterval = 5 * SECOND;

/** An instant from an RFC 3339 string (any offset). */
const at = (iso: string) => Date.parse(iso);

function mkSnapshot(
  desired: number,
  timezone: string,
  schedules: readonly [string, number][],
  logger = new MemoryLogger(),
): PresetSnapshot {
  const p = preset(true, desired, optionSet0, { schedulingTimezone: timezone });
  return new PresetSnapshot({
    preset: p,
    prebuildSchedules: schedules.map(([cron, n]) => schedule(p.id, cron, n)),
    running: [],
    expired: [],
    inProgress: [],
    pendingCount: 0,
    backoff: null,
    isHardLimited: false,
    clock: new TestClock(),
    logger,
  });
}

describe("TestPrebuildScheduling", () => {
  const cases = [
    { name: "Before the 1st schedule", now: "2025-06-02T01:00:00Z", expectedInstances: [1, 1] },
    { name: "1st schedule", now: "2025-06-02T03:00:00Z", expectedInstances: [2, 1] },
    { name: "2nd schedule", now: "2025-06-02T07:00:00Z", expectedInstances: [3, 1] },
    { name: "3rd schedule", now: "2025-06-02T11:00:00Z", expectedInstances: [1, 4] },
    { name: "4th schedule", now: "2025-06-02T15:00:00Z", expectedInstances: [1, 5] },
  ];
  const shared = { templateId: "template-s", templateVersionId: "version-s", ttl: 0 };
  const preset1: Options = {
    ...shared,
    presetId: "preset-1",
    presetName: "my-preset-1",
    prebuiltWorkspaceId: "ws-1",
    workspaceName: "prebuilds1",
  };
  const preset2: Options = {
    ...shared,
    presetId: "preset-2",
    presetName: "my-preset-2",
    prebuiltWorkspaceId: "ws-2",
    workspaceName: "prebuilds2",
  };
  const schedules: PresetPrebuildScheduleRow[] = [
    schedule(preset1.presetId, "* 2-4 * * 1-5", 2),
    schedule(preset1.presetId, "* 6-8 * * 1-5", 3),
    schedule(preset2.presetId, "* 10-12 * * 1-5", 4),
    schedule(preset2.presetId, "* 14-16 * * 1-5", 5),
  ];

  it.each(cases)("$name", (tc) => {
    const clock = new TestClock(at(tc.now));
    const snapshot = globalSnapshot(
      {
        presets: [
          preset(true, 1, preset1, { schedulingTimezone: "UTC" }),
          preset(true, 1, preset2, { schedulingTimezone: "UTC" }),
        ],
        prebuildSchedules: schedules,
      },
      clock,
    );
    for (const [i, opts] of [preset1, preset2].entries()) {
      const expected = tc.expectedInstances[i] as number;
      const ps = snapshot.filterByPreset(opts.presetId);
      expect(ps.calculateState()).toEqual(state({ desired: expected }));
      expect(ps.calculateActions(backoffInterval)).toEqual([createAction(expected)]);
    }
  });
});

describe("TestMatchesCron", () => {
  it.each([
    {
      name: "Right before the start of the time range",
      spec: "* 9-18 * * 1-5",
      at: "2025-06-02T08:59:59Z",
      expectedMatches: false,
    },
    {
      name: "Start of the time range",
      spec: "* 9-18 * * 1-5",
      at: "2025-06-02T09:00:00Z",
      expectedMatches: true,
    },
  ])("$name", (tc) => {
    expect(matchesCron(tc.spec, at(tc.at))).toBe(tc.expectedMatches);
  });
});

describe("TestCalculateDesiredInstances", () => {
  const workday: [string, number][] = [["* 9-18 * * 1-5", 3]];
  const threeShifts: [string, number][] = [
    ["* 6-10 * * 1-5", 2],
    ["* 12-16 * * 1-5", 3],
    ["* 18-22 * * 1-5", 4],
  ];
  const week: [string, number][] = [
    ["* 9-18 * * 1-5", 2],
    ["* 9-13 * * 6,0", 3],
  ];
  const losAngeles: [string, number][] = [["* 9-13 * * 1-5", 3]];
  const cases = [
    {
      name: "Right before the start of the time range",
      tz: "UTC",
      schedules: workday,
      at: "2025-06-02T08:59:59Z",
      expected: 1,
    },
    {
      name: "Start of the time range",
      tz: "UTC",
      schedules: workday,
      at: "2025-06-02T09:00:00Z",
      expected: 3,
    },
    {
      name: "9:01AM - One minute after the start of the time range",
      tz: "UTC",
      schedules: workday,
      at: "2025-06-02T09:01:00Z",
      expected: 3,
    },
    {
      name: "2PM - The middle of the time range",
      tz: "UTC",
      schedules: workday,
      at: "2025-06-02T14:00:00Z",
      expected: 3,
    },
    {
      name: "6PM - One hour before the end of the time range",
      tz: "UTC",
      schedules: workday,
      at: "2025-06-02T18:00:00Z",
      expected: 3,
    },
    { name: "End of the time range", tz: "UTC", schedules: workday, at: "2025-06-02T18:59:59Z", expected: 3 },
    {
      name: "Right after the end of the time range",
      tz: "UTC",
      schedules: workday,
      at: "2025-06-02T19:00:00Z",
      expected: 1,
    },
    {
      name: "7:01PM - Around one minute after the end of the time range",
      tz: "UTC",
      schedules: workday,
      at: "2025-06-02T19:01:00Z",
      expected: 1,
    },
    {
      name: "2AM - Significantly outside the time range",
      tz: "UTC",
      schedules: workday,
      at: "2025-06-02T02:00:00Z",
      expected: 1,
    },
    {
      name: "Outside the day range #1",
      tz: "UTC",
      schedules: workday,
      at: "2025-06-07T14:00:00Z",
      expected: 1,
    },
    {
      name: "Outside the day range #2",
      tz: "UTC",
      schedules: workday,
      at: "2025-06-08T14:00:00Z",
      expected: 1,
    },
    {
      name: "Before the first schedule",
      tz: "UTC",
      schedules: threeShifts,
      at: "2025-06-02T05:00:00Z",
      expected: 1,
    },
    {
      name: "The middle of the first schedule",
      tz: "UTC",
      schedules: threeShifts,
      at: "2025-06-02T08:00:00Z",
      expected: 2,
    },
    {
      name: "Between the first and second schedule",
      tz: "UTC",
      schedules: threeShifts,
      at: "2025-06-02T11:00:00Z",
      expected: 1,
    },
    {
      name: "The middle of the second schedule",
      tz: "UTC",
      schedules: threeShifts,
      at: "2025-06-02T14:00:00Z",
      expected: 3,
    },
    {
      name: "The middle of the third schedule",
      tz: "UTC",
      schedules: threeShifts,
      at: "2025-06-02T20:00:00Z",
      expected: 4,
    },
    {
      name: "After the last schedule",
      tz: "UTC",
      schedules: threeShifts,
      at: "2025-06-02T23:00:00Z",
      expected: 1,
    },
    { name: "First schedule", tz: "UTC", schedules: week, at: "2025-06-02T14:00:00Z", expected: 2 },
    { name: "Second schedule", tz: "UTC", schedules: week, at: "2025-06-07T10:00:00Z", expected: 3 },
    { name: "Outside schedule", tz: "UTC", schedules: week, at: "2025-06-07T14:00:00Z", expected: 1 },
    {
      name: "3PM UTC - 8AM America/Los_Angeles; An hour before the start of the time range",
      tz: "America/Los_Angeles",
      schedules: losAngeles,
      at: "2025-06-02T15:00:00Z",
      expected: 1,
    },
    {
      name: "4PM UTC - 9AM America/Los_Angeles; Start of the time range",
      tz: "America/Los_Angeles",
      schedules: losAngeles,
      at: "2025-06-02T16:00:00Z",
      expected: 3,
    },
    {
      name: "8:59PM UTC - 1:58PM America/Los_Angeles; Right before the end of the time range",
      tz: "America/Los_Angeles",
      schedules: losAngeles,
      at: "2025-06-02T20:59:00Z",
      expected: 3,
    },
    {
      name: "9PM UTC - 2PM America/Los_Angeles; Right after the end of the time range",
      tz: "America/Los_Angeles",
      schedules: losAngeles,
      at: "2025-06-02T21:00:00Z",
      expected: 1,
    },
    {
      name: "11PM UTC - 4PM America/Los_Angeles; Outside the time range",
      tz: "America/Los_Angeles",
      schedules: losAngeles,
      at: "2025-06-02T23:00:00Z",
      expected: 1,
    },
    {
      name: "8AM - before the start of the time range",
      tz: "UTC",
      schedules: workday,
      at: "2025-06-02T04:00:00-04:00",
      expected: 1,
    },
    {
      name: "9AM - after the start of the time range",
      tz: "UTC",
      schedules: workday,
      at: "2025-06-02T05:00:00-04:00",
      expected: 3,
    },
  ];

  it.each(cases)("$name", (tc) => {
    expect(mkSnapshot(1, tc.tz, tc.schedules).calculateDesiredInstances(at(tc.at))).toBe(tc.expected);
  });
});

describe("daylight-saving transitions: the skipped hour never matches, the repeated hour matches twice", () => {
  // Europe/Berlin: 2025-03-30 02:00 CET jumps to 03:00 CEST; 2025-10-26 03:00 CEST falls back to 02:00 CET.
  // America/New_York: 2025-03-09 02:00 EST jumps to 03:00 EDT; 2025-11-02 02:00 EDT falls back to 01:00 EST.
  const cases = [
    {
      name: "Berlin spring: 01:59:59 CET is before the range",
      tz: "Europe/Berlin",
      spec: "* 2 * * *",
      at: "2025-03-30T00:59:59Z",
      expected: 1,
    },
    {
      name: "Berlin spring: the next second is 03:00 CEST, past the skipped hour",
      tz: "Europe/Berlin",
      spec: "* 2 * * *",
      at: "2025-03-30T01:00:00Z",
      expected: 1,
    },
    {
      name: "Berlin spring: a 02:00-03:59 range starts at 03:00 CEST and lasts one real hour",
      tz: "Europe/Berlin",
      spec: "* 2-3 * * *",
      at: "2025-03-30T01:00:00Z",
      expected: 5,
    },
    {
      name: "Berlin spring: ... and ends at 04:00 CEST",
      tz: "Europe/Berlin",
      spec: "* 2-3 * * *",
      at: "2025-03-30T02:00:00Z",
      expected: 1,
    },
    {
      name: "Berlin autumn: 01:59:59 CEST is before the range",
      tz: "Europe/Berlin",
      spec: "* 2 * * *",
      at: "2025-10-25T23:59:59Z",
      expected: 1,
    },
    {
      name: "Berlin autumn: first 02:00 (CEST) is in",
      tz: "Europe/Berlin",
      spec: "* 2 * * *",
      at: "2025-10-26T00:00:00Z",
      expected: 5,
    },
    {
      name: "Berlin autumn: second 02:00 (CET) is still in",
      tz: "Europe/Berlin",
      spec: "* 2 * * *",
      at: "2025-10-26T01:00:00Z",
      expected: 5,
    },
    {
      name: "Berlin autumn: second 02:59:59 (CET) is in: two real hours",
      tz: "Europe/Berlin",
      spec: "* 2 * * *",
      at: "2025-10-26T01:59:59Z",
      expected: 5,
    },
    {
      name: "Berlin autumn: 03:00 CET is out",
      tz: "Europe/Berlin",
      spec: "* 2 * * *",
      at: "2025-10-26T02:00:00Z",
      expected: 1,
    },
    {
      name: "New York spring: 01:59:59 EST is out",
      tz: "America/New_York",
      spec: "* 2 * * *",
      at: "2025-03-09T06:59:59Z",
      expected: 1,
    },
    {
      name: "New York spring: the next second is 03:00 EDT, past the skipped hour",
      tz: "America/New_York",
      spec: "* 2 * * *",
      at: "2025-03-09T07:00:00Z",
      expected: 1,
    },
    {
      name: "New York spring: a 01:00-02:59 range ends at 03:00 EDT, one real hour",
      tz: "America/New_York",
      spec: "* 1-2 * * *",
      at: "2025-03-09T07:00:00Z",
      expected: 1,
    },
    {
      name: "New York spring: ... which started at 01:00 EST",
      tz: "America/New_York",
      spec: "* 1-2 * * *",
      at: "2025-03-09T06:00:00Z",
      expected: 5,
    },
    {
      name: "New York autumn: first 01:00 (EDT) is in",
      tz: "America/New_York",
      spec: "* 1 * * *",
      at: "2025-11-02T05:00:00Z",
      expected: 5,
    },
    {
      name: "New York autumn: second 01:30 (EST) is still in",
      tz: "America/New_York",
      spec: "* 1 * * *",
      at: "2025-11-02T06:30:00Z",
      expected: 5,
    },
    {
      name: "New York autumn: 02:00 EST is out",
      tz: "America/New_York",
      spec: "* 1 * * *",
      at: "2025-11-02T07:00:00Z",
      expected: 1,
    },
    {
      name: "New York autumn: the weekday is the local one (Saturday 23:30 EDT), not the UTC Sunday",
      tz: "America/New_York",
      spec: "* 0-23 * * 6",
      at: "2025-11-02T03:30:00Z",
      expected: 5,
    },
  ];

  it.each(cases)("$name", (tc) => {
    expect(mkSnapshot(1, tc.tz, [[tc.spec, 5]]).calculateDesiredInstances(at(tc.at))).toBe(tc.expected);
  });

  it("the repeated Berlin hour keeps the schedule on for exactly two real hours", () => {
    const ps = mkSnapshot(1, "Europe/Berlin", [["* 2 * * *", 5]]);
    const from = at("2025-10-25T22:00:00Z");
    let minutesIn = 0;
    for (let t = from; t < from + 6 * HOUR; t += MINUTE)
      if (ps.calculateDesiredInstances(t) === 5) minutesIn++;
    expect(minutesIn).toBe(120);
  });

  it("the skipped Berlin hour leaves a 02:00-02:59 schedule off all day", () => {
    const ps = mkSnapshot(1, "Europe/Berlin", [["* 2 * * *", 5]]);
    const from = at("2025-03-29T23:00:00Z");
    let minutesIn = 0;
    for (let t = from; t < from + 24 * HOUR; t += MINUTE)
      if (ps.calculateDesiredInstances(t) === 5) minutesIn++;
    expect(minutesIn).toBe(0);
  });
});

describe("fallback to desired_instances (spec §3.5.1)", () => {
  const monday10 = at("2025-06-02T10:00:00Z");

  it("no schedules: the base count, nothing logged", () => {
    const logger = new MemoryLogger();
    expect(mkSnapshot(2, "UTC", [], logger).calculateDesiredInstances(monday10)).toBe(2);
    expect(logger.entries).toEqual([]);
  });

  it("a NULL desired_instances counts as 0", () => {
    const p = preset(true, null, optionSet0, { schedulingTimezone: "UTC" });
    const ps = new PresetSnapshot({
      preset: p,
      prebuildSchedules: [schedule(p.id, "* 0-1 * * *", 4)],
      running: [],
      expired: [],
      inProgress: [],
      pendingCount: 0,
      backoff: null,
      isHardLimited: false,
      clock: new TestClock(monday10),
      logger: new MemoryLogger(),
    });
    expect(ps.calculateDesiredInstances(monday10)).toBe(0);
    expect(ps.calculateState()).toEqual(state());
  });

  const errorCases = [
    {
      name: "empty timezone",
      tz: "",
      schedules: [["* 9-18 * * 1-5", 3]] as [string, number][],
      message: "timezone is not set in prebuild scheduling configuration",
    },
    {
      name: "unknown timezone",
      tz: "Fictional/Country",
      schedules: [["* 9-18 * * 1-5", 3]] as [string, number][],
      message: "invalid timezone in prebuild scheduling configuration",
    },
    {
      name: "timezone in the wrong case (Go's LoadLocation is case-sensitive)",
      tz: "europe/berlin",
      schedules: [["* 9-18 * * 1-5", 3]] as [string, number][],
      message: "invalid timezone in prebuild scheduling configuration",
    },
    {
      name: "a fixed offset is not a zone name",
      tz: "+02:00",
      schedules: [["* 9-18 * * 1-5", 3]] as [string, number][],
      message: "invalid timezone in prebuild scheduling configuration",
    },
    {
      name: "overlapping schedules disable every schedule",
      tz: "UTC",
      schedules: [
        ["* 9-14 * * 1-5", 3],
        ["* 12-18 * * 1-5", 4],
      ] as [string, number][],
      message: "schedules are invalid or overlap with each other",
    },
    {
      name: "one invalid schedule disables the valid ones",
      tz: "UTC",
      schedules: [
        ["* 9-18 * * 1-5", 3],
        ["* 25 * * *", 4],
      ] as [string, number][],
      message: "schedules are invalid or overlap with each other",
    },
    // A single schedule is never parsed by the helper: the time-range parser refuses it, and
    // upstream logs that and skips it.
    {
      name: "a minute other than * is not a time range",
      tz: "UTC",
      schedules: [["0 9-18 * * 1-5", 3]] as [string, number][],
      message: "cron expression is invalid",
    },
    {
      name: "day of week 7 is rejected, as robfig rejects it",
      tz: "UTC",
      schedules: [["* 9-18 * * 1-7", 3]] as [string, number][],
      message: "cron expression is invalid",
    },
  ];

  it.each(errorCases)("$name: base count and a logged error", (tc) => {
    const logger = new MemoryLogger();
    expect(mkSnapshot(2, tc.tz, tc.schedules, logger).calculateDesiredInstances(monday10)).toBe(2);
    const errors = logger.entriesAt("error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toBe(tc.message);
    expect(errors[0]?.fields.preset_id).toBe(optionSet0.presetId);
  });

  it("a schedule only the time-range parser refuses is skipped; the others still apply", () => {
    const logger = new MemoryLogger();
    // The helper ignores the minute field, so the pair passes it; "30 9 …" is then refused alone.
    const snapshot = mkSnapshot(
      2,
      "UTC",
      [
        ["30 9 * * 1", 7],
        ["* 10 * * 1", 8],
      ],
      logger,
    );
    expect(snapshot.calculateDesiredInstances(monday10)).toBe(8);
    expect(logger.entriesAt("error")).toEqual([
      {
        level: "error",
        msg: "cron expression is invalid",
        fields: {
          preset_id: optionSet0.presetId,
          cron_expression: "CRON_TZ=UTC 30 9 * * 1",
          error: "failed to parse cron expression: validate time range schedule: expected minutes to be *",
        },
      },
    ]);
  });

  it("weekday names pass with one schedule but invalidate a pair (the helper reads digits only)", () => {
    const one = new MemoryLogger();
    expect(mkSnapshot(2, "UTC", [["* 9-18 * * MON-FRI", 3]], one).calculateDesiredInstances(monday10)).toBe(
      3,
    );
    expect(one.entriesAt("error")).toEqual([]);
    const two = new MemoryLogger();
    const pair: [string, number][] = [
      ["* 9-12 * * MON-FRI", 3],
      ["* 13-18 * * MON-FRI", 4],
    ];
    expect(mkSnapshot(2, "UTC", pair, two).calculateDesiredInstances(monday10)).toBe(2);
    expect(two.entriesAt("error").map((e) => e.fields.error)).toEqual([
      'invalid schedule: invalid day range: invalid start value in range: strconv.Atoi: parsing "MON": invalid syntax',
    ]);
  });

  it("the issue's worked example: Monday 2 June 2025 10:00, `* 9-18 1 * 1-3` ×3 and `* 9-18 2 * 4-5` ×4 ⇒ 3", () => {
    // The helper finds no overlap (day-of-month sets {1}, {2} and weekday sets {1-3}, {4-5} are
    // disjoint), although a Thursday the 1st matches both; the first spec matches a Monday.
    const logger = new MemoryLogger();
    const pair: [string, number][] = [
      ["* 9-18 1 * 1-3", 3],
      ["* 9-18 2 * 4-5", 4],
    ];
    expect(mkSnapshot(1, "UTC", pair, logger).calculateDesiredInstances(monday10)).toBe(3);
    expect(logger.entriesAt("error")).toEqual([]);
  });

  it("the first matching schedule wins, logged at debug", () => {
    const logger = new MemoryLogger();
    expect(
      mkSnapshot(
        2,
        "UTC",
        [
          ["* 9 * * 1", 7],
          ["* 10 * * 1", 8],
          ["* 10 * * 2", 9],
        ],
        logger,
      ).calculateDesiredInstances(monday10),
    ).toBe(8);
    expect(logger.entriesAt("debug").map((e) => e.fields.desired_instances)).toEqual([8]);
  });
});
