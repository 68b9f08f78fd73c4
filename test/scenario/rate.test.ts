import { expect, it } from "vitest";
import { parseRate, RATE_EXPECTED } from "../../src/scenario/rate.ts";

it.each([
  { text: "12/h", perHour: 12 },
  { text: "3/m", perHour: 180 },
  { text: "48/d", perHour: 2 },
  { text: "0.5/h", perHour: 0.5 },
  { text: "0/h", perHour: 0 },
  { text: " 12 / h ", perHour: 12 },
])("$text is $perHour per hour", ({ text, perHour }) => {
  expect(parseRate(text)).toEqual({ ok: true, value: perHour });
});

it.each(["12", "12/s", "12/hour", "-1/h", "/h", "twelve/h"])("%j is refused", (text) => {
  expect(parseRate(text)).toEqual({ ok: false, expected: RATE_EXPECTED });
});
