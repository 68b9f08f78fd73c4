import { describe, expect, it } from "vitest";
import { formatDuration, formatInstant } from "../../src/clock/format.ts";
import { HOUR, MINUTE, SECOND } from "../../src/clock/types.ts";

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [250, "250ms"],
    [SECOND, "1s"],
    [1500, "1.5s"],
    [MINUTE, "1m"],
    [2 * MINUTE + 500, "2m0.5s"],
    [HOUR + 30 * MINUTE, "1h30m"],
    [-5 * SECOND, "-5s"],
  ])("%i ms is %s", (d, text) => {
    expect(formatDuration(d)).toBe(text);
  });
});

describe("formatInstant", () => {
  it("writes ISO 8601 in UTC", () => {
    expect(formatInstant(Date.UTC(2024, 0, 1, 8))).toBe("2024-01-01T08:00:00.000Z");
  });
});
