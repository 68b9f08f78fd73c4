// Zone names accepted as Go's time.LoadLocation accepts them, and wall clocks in a zone.
import { describe, expect, it } from "vitest";
import { loadTimeZone, wallClockAt } from "../../src/prebuilds/timeZone.ts";

describe("loadTimeZone", () => {
  it.each(["UTC", "Europe/Berlin", "America/Los_Angeles", "US/Central", "Etc/GMT+5"])(
    "accepts %s",
    (name) => {
      expect(loadTimeZone(name)).toBe(name);
    },
  );

  it.each([
    ["Fictional/Country", "unknown time zone Fictional/Country"],
    ["europe/berlin", "zone names are case-sensitive (did you mean Europe/Berlin?)"],
    ["+01:00", "offsets are not zone names"],
    ["-05:00", "offsets are not zone names"],
    ["Local", "unknown time zone Local"],
  ])("rejects %s", (name, message) => {
    expect(() => loadTimeZone(name)).toThrow(message);
    // The verdict is remembered; asking again gives the same answer.
    expect(() => loadTimeZone(name)).toThrow(message);
  });
});

describe("wallClockAt", () => {
  it("gives local fields, weekday 0 = Sunday", () => {
    // Sun 1 Jun 2025 23:30 UTC = Mon 2 Jun 08:30 JST.
    expect(wallClockAt(Date.parse("2025-06-01T23:30:00Z"), "Asia/Tokyo")).toEqual({
      month: 6,
      day: 2,
      weekday: 1,
      hour: 8,
      minute: 30,
    });
    expect(wallClockAt(Date.parse("2025-06-01T23:30:00Z"), "UTC").weekday).toBe(0);
  });

  it("is the wall clock of the minute containing the instant, seconds dropped", () => {
    expect(wallClockAt(Date.parse("2025-06-02T08:59:59.999Z"), "UTC")).toMatchObject({ hour: 8, minute: 59 });
    expect(wallClockAt(Date.parse("1969-12-31T23:59:30Z"), "UTC")).toEqual({
      month: 12,
      day: 31,
      weekday: 3,
      hour: 23,
      minute: 59,
    });
  });

  it("answers each minute afresh when asked about different minutes in turn", () => {
    const a = Date.parse("2025-06-02T09:00:00Z");
    const b = Date.parse("2025-06-02T10:00:00Z");
    expect([a, b, a, b].map((t) => wallClockAt(t, "Europe/Berlin").hour)).toEqual([11, 12, 11, 12]);
  });
});
