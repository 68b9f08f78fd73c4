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
});
