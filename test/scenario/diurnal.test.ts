import { expect, it } from "vitest";
import { resolveHourMultipliers } from "../../src/scenario/diurnal.ts";

/** 24 multipliers from (hour ranges → value) over a default. */
function hours(rest: number, ...ranges: [from: number, to: number, value: number][]): number[] {
  const out = new Array<number>(24).fill(rest);
  for (const [from, to, value] of ranges) for (let h = from; h <= to; h++) out[h] = value;
  return out;
}

it.each<{ name: string; input: Record<string, number>; want: number[] }>([
  {
    name: "ranges, a single hour and the rest",
    input: { "9-11": 3, "12": 2, "*": 0.1 },
    want: hours(0.1, [9, 11, 3], [12, 12, 2]),
  },
  { name: "only the rest", input: { "*": 0.5 }, want: hours(0.5) },
  { name: "every hour named, no rest", input: { "0-11": 1, "12-23": 2 }, want: hours(1, [12, 23, 2]) },
  { name: "ranges are inclusive at both ends", input: { "0": 0, "1-23": 1 }, want: hours(1, [0, 0, 0]) },
])("$name", ({ input, want }) => {
  expect(resolveHourMultipliers(input)).toEqual({ ok: true, multipliers: want });
});

it.each<{
  name: string;
  input: Record<string, number>;
  problems: { key: string | undefined; message: string }[];
}>([
  {
    name: "an hour past 23",
    input: { "20-24": 1, "*": 0 },
    problems: [
      {
        key: "20-24",
        message: 'expected a local hour 0-23, an inclusive range like "9-11", or "*", got "20-24"',
      },
    ],
  },
  {
    name: "a reversed range",
    input: { "22-2": 1, "*": 0 },
    problems: [
      {
        key: "22-2",
        message: 'expected a local hour 0-23, an inclusive range like "9-11", or "*", got "22-2"',
      },
    ],
  },
  {
    name: "overlapping keys",
    input: { "9-11": 1, "10-12": 2, "*": 0 },
    problems: [
      {
        key: "10-12",
        message: 'expected hours not named by another key, got "10-12" (hour 10 is also in "9-11")',
      },
    ],
  },
  {
    name: "hours left out without a rest",
    input: { "9-17": 1, "20": 1 },
    problems: [
      {
        key: undefined,
        message:
          'expected every local hour 0-23 to have a multiplier (add "*" for the rest), got none for hours 0-8, 18-19, 21-23',
      },
    ],
  },
])("$name is refused", ({ input, problems }) => {
  expect(resolveHourMultipliers(input)).toEqual({ ok: false, problems });
});
