import { describe, expect, it } from "vitest";
import { HOUR, MINUTE, SECOND } from "../../src/clock/types.ts";
import {
  DURATION_EXPECTED,
  formatIsoDuration,
  formatIsoInstant,
  INSTANT_EXPECTED,
  parseIsoDuration,
  parseIsoInstant,
  parseTimeZone,
  TIME_ZONE_EXPECTED,
} from "../../src/scenario/isoTime.ts";

const DAY = 24 * HOUR;
const CALENDAR =
  "expected a duration in weeks, days, hours, minutes or seconds (months and years have no fixed length)";

describe("parseIsoDuration", () => {
  it.each([
    { text: "PT15S", ms: 15 * SECOND },
    { text: "PT1H30M", ms: HOUR + 30 * MINUTE },
    { text: "P1D", ms: DAY },
    { text: "P1W", ms: 7 * DAY },
    { text: "P1DT2H", ms: DAY + 2 * HOUR },
    { text: "PT90M", ms: 90 * MINUTE },
    { text: "PT1.5H", ms: 90 * MINUTE },
    { text: "PT0.002S", ms: 2 },
    { text: "PT0S", ms: 0 },
    { text: "-PT2S", ms: -2 * SECOND },
    { text: "pt1m", ms: MINUTE },
  ])("$text is $ms ms", ({ text, ms }) => {
    expect(parseIsoDuration(text)).toEqual({ ok: true, value: ms });
  });

  it.each([
    { text: "1h", expected: DURATION_EXPECTED },
    { text: "", expected: DURATION_EXPECTED },
    { text: "P1M", expected: CALENDAR },
    { text: "P1Y", expected: CALENDAR },
    { text: "P1Y2D", expected: CALENDAR },
    {
      text: "PT0.0015S",
      expected: "expected a duration in whole milliseconds (at most 3 decimals of a second)",
    },
  ])("$text is refused", ({ text, expected }) => {
    expect(parseIsoDuration(text)).toEqual({ ok: false, expected });
  });

  it("formatIsoDuration writes what parseIsoDuration reads", () => {
    for (const ms of [0, 2, 15 * SECOND, HOUR + 30 * MINUTE, DAY, -2 * SECOND]) {
      expect(parseIsoDuration(formatIsoDuration(ms))).toEqual({ ok: true, value: ms });
    }
    expect(formatIsoDuration(HOUR + 30 * MINUTE)).toBe("PT1H30M");
    expect(formatIsoDuration(DAY)).toBe("PT24H");
  });
});

describe("parseIsoInstant", () => {
  it.each([
    { text: "2026-03-02T06:00:00Z", ms: Date.UTC(2026, 2, 2, 6) },
    { text: "2026-03-02T08:00:00+02:00", ms: Date.UTC(2026, 2, 2, 6) },
    { text: "2026-03-02T06:00:00.250Z", ms: Date.UTC(2026, 2, 2, 6, 0, 0, 250) },
  ])("$text", ({ text, ms }) => {
    expect(parseIsoInstant(text)).toEqual({ ok: true, value: ms });
  });

  it.each([
    { text: "2026-03-02T06:00:00", expected: INSTANT_EXPECTED },
    { text: "2026-03-02", expected: INSTANT_EXPECTED },
    { text: "yesterday", expected: INSTANT_EXPECTED },
    {
      text: "2026-03-02T06:00:00.0005Z",
      expected: "expected an instant in whole milliseconds (at most 3 decimals of a second)",
    },
  ])("$text is refused", ({ text, expected }) => {
    expect(parseIsoInstant(text)).toEqual({ ok: false, expected });
  });

  it("formatIsoInstant writes UTC with Z", () => {
    expect(formatIsoInstant(Date.UTC(2024, 0, 1))).toBe("2024-01-01T00:00:00Z");
  });
});

describe("parseTimeZone", () => {
  it.each([
    { name: "Europe/Berlin", canonical: "Europe/Berlin" },
    { name: "europe/berlin", canonical: "Europe/Berlin" },
    { name: "UTC", canonical: "UTC" },
  ])("$name is $canonical", ({ name, canonical }) => {
    expect(parseTimeZone(name)).toEqual({ ok: true, value: canonical });
  });

  it.each(["Mars/Base", "+01:00", "-05:00", ""])("%j is refused", (name) => {
    expect(parseTimeZone(name)).toEqual({ ok: false, expected: TIME_ZONE_EXPECTED });
  });
});
