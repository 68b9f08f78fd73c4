import { describe, expect, it } from "vitest";
import { scheduledTarget, schedulesValid } from "../../../src/check/reference/scheduleTarget.ts";

const at = (iso: string) => Date.parse(iso);

describe("the checks' own schedule rules", () => {
  // Rules of terraform-provider-coder's ValidateSchedules / SchedulesOverlap, re-derived.
  it.each([
    ["one schedule is never checked", ["* 9-18 * * 1-5"], true],
    ["same hours, disjoint weekdays", ["* 9-18 * * 1-3", "* 9-18 * * 4-5"], true],
    ["same weekdays, disjoint hours", ["* 8-11 * * 1-5", "* 12-18 * * 1-5"], true],
    ["overlapping hours and weekdays", ["* 8-12 * * 1-5", "* 12-18 * * 1-5"], false],
    ["disjoint months", ["* 9 * 1-6 *", "* 9 * 7-12 *"], true],
    [
      "DOM and DOW both restricted: neither overlaps (the helper's rule, not the calendar's)",
      ["* 9-18 1 * 1-3", "* 9-18 2 * 4-5"],
      true,
    ],
    ["DOM and DOW both restricted: DOW overlaps", ["* 9-18 1 * 1-3", "* 9-18 2 * 3-5"], false],
    ["a star DOM compares weekdays only", ["* 9 * * 1", "* 9 15 * 2"], true],
    ["a star DOW compares days of month only", ["* 9 1-10 * *", "* 9 5 * 3"], false],
    ["a step is not something the helper parses", ["* */2 * * *", "* 9 * * 0"], false],
    ["an hour beyond 23 is invalid", ["* 9-24 * * *", "* 1 * * 0"], false],
    ["a field too few is invalid", ["* 9 * *", "* 1 * * 0"], false],
  ])("%s", (_name, crons, valid) => {
    expect(schedulesValid(crons)).toBe(valid);
  });

  it("matches the minute containing the instant, in the preset's zone, both ends of the hour range", () => {
    const s = [{ cron: "* 9-18 * * 1-5", instances: 6 }];
    // Monday 2 March 2026; Berlin is UTC+1.
    expect(scheduledTarget(2, "Europe/Berlin", s, at("2026-03-02T07:59:59Z"))).toBe(2);
    expect(scheduledTarget(2, "Europe/Berlin", s, at("2026-03-02T08:00:00Z"))).toBe(6);
    expect(scheduledTarget(2, "Europe/Berlin", s, at("2026-03-02T17:59:59Z"))).toBe(6);
    expect(scheduledTarget(2, "Europe/Berlin", s, at("2026-03-02T18:00:00Z"))).toBe(2);
    // Saturday
    expect(scheduledTarget(2, "Europe/Berlin", s, at("2026-03-07T10:00:00Z"))).toBe(2);
  });

  it("takes the first matching schedule, skips one that does not parse, and falls back on an invalid set", () => {
    const first = [
      { cron: "0 9 * * 0", instances: 9 },
      { cron: "* 9 * * 1", instances: 4 },
    ];
    expect(scheduledTarget(1, "UTC", first, at("2026-03-02T09:30:00Z"))).toBe(4);
    const overlapping = [
      { cron: "* 8-10 * * *", instances: 5 },
      { cron: "* 10-12 * * *", instances: 7 },
    ];
    expect(scheduledTarget(1, "UTC", overlapping, at("2026-03-02T09:30:00Z"))).toBe(1);
  });

  it("follows the wall clock across the Berlin spring-forward change", () => {
    // Sunday 29 March 2026: 02:00 local jumps to 03:00; 08:00 local is 06:00Z after the change.
    const s = [{ cron: "* 8-11 * * 0,6", instances: 3 }];
    expect(scheduledTarget(0, "Europe/Berlin", s, at("2026-03-29T05:59:00Z"))).toBe(0);
    expect(scheduledTarget(0, "Europe/Berlin", s, at("2026-03-29T06:00:00Z"))).toBe(3);
  });
});
