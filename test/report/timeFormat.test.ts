import { describe, expect, it } from "vitest";
import {
  formatDuration,
  formatOffset,
  formatUtc,
  isoInstant,
  parseInstant,
  parseTraceInstant,
} from "../../src/report/timeFormat.ts";
import { tickStep, timeAxis } from "../../src/report/timeTicks.ts";
import { DAY, HOUR, MINUTE, SECOND } from "../../src/report/timeUnits.ts";

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);

describe("formatDuration", () => {
  it.each([
    ["below a second", 350, "350 ms"],
    ["whole seconds", 12 * SECOND, "12 s"],
    ["fractional seconds", 2.5 * SECOND, "2.50 s"],
    ["minutes and seconds", 4 * MINUTE + 5 * SECOND, "4m 05s"],
    ["rounding into the next minute", 4 * MINUTE + 59.6 * SECOND, "5m"],
    ["hours and minutes", 2 * HOUR + 14 * MINUTE, "2h 14m"],
    ["whole hours", 3 * HOUR, "3h"],
    ["days and hours", 3 * DAY + 2 * HOUR, "3d 2h"],
    ["negative", -90 * SECOND, "-1m 30s"],
  ])("%s", (_, d, expected) => {
    expect(formatDuration(d)).toBe(expected);
  });
});

describe("instants", () => {
  it("formats UTC with only the precision the instant has", () => {
    expect(formatUtc(T0)).toBe("2026-03-02 06:00 UTC");
    expect(formatUtc(T0 + 13 * SECOND)).toBe("2026-03-02 06:00:13 UTC");
    expect(formatUtc(T0 + 4)).toBe("2026-03-02 06:00:00.004 UTC");
    expect(formatOffset(T0 + 2 * HOUR + 14 * MINUTE, T0)).toBe("+2h 14m");
    expect(isoInstant(T0)).toBe("2026-03-02T06:00:00.000Z");
  });
  it("parses ISO instants with an offset and names the source of a bad one", () => {
    expect(parseInstant("2026-03-02T08:00:00+02:00", "x")).toBe(T0);
    expect(() => parseInstant("2026-03-02 06:00", "summary.json start")).toThrow(
      /summary\.json start is not an ISO-8601 instant/,
    );
  });
  it("reads the trace's canonical instants and refuses others", () => {
    expect(parseTraceInstant("2026-03-02T06:00:00.004Z", "t")).toBe(T0 + 4);
    expect(() => parseTraceInstant("2026-03-02T06:00:00Z", "trace.jsonl line 3 field t")).toThrow(
      /line 3 field t/,
    );
  });
});

describe("timeAxis", () => {
  it("picks the smallest nice step that fits the tick budget", () => {
    expect(tickStep(T0, T0 + 3 * HOUR, 8)).toBe(30 * MINUTE);
    expect(tickStep(T0, T0 + 10 * MINUTE, 8)).toBe(2 * MINUTE);
    expect(tickStep(T0, T0 + 30 * DAY, 8)).toBe(7 * DAY);
  });
  it("labels ticks HH:MM within one UTC day and names the date in the title", () => {
    const axis = timeAxis(T0, T0 + 3 * HOUR, 7);
    expect(axis.ticks.map(axis.label)).toEqual([
      "06:00",
      "06:30",
      "07:00",
      "07:30",
      "08:00",
      "08:30",
      "09:00",
    ]);
    expect(axis.title).toBe("virtual time, UTC, 2026-03-02");
  });
  it("shows seconds when the step is below a minute", () => {
    const axis = timeAxis(T0, T0 + 2 * MINUTE, 5);
    expect(axis.ticks.map(axis.label)).toEqual(["06:00:00", "06:00:30", "06:01:00", "06:01:30", "06:02:00"]);
  });
  it("labels day and time for runs that cross midnight", () => {
    const axis = timeAxis(T0 + 12 * HOUR, T0 + 36 * HOUR, 5);
    expect(axis.ticks.map(axis.label)).toEqual([
      "Mar 2 18:00",
      "Mar 3 00:00",
      "Mar 3 06:00",
      "Mar 3 12:00",
      "Mar 3 18:00",
    ]);
    expect(axis.title).toBe("virtual time, UTC");
  });
  it("labels only the day when ticks are whole days", () => {
    const axis = timeAxis(T0, T0 + 7 * DAY, 8);
    expect(axis.ticks.map(axis.label)).toEqual([
      "Mar 3",
      "Mar 4",
      "Mar 5",
      "Mar 6",
      "Mar 7",
      "Mar 8",
      "Mar 9",
    ]);
  });
});
