import { describe, expect, it } from "vitest";
import { parseJobs, parseSeed, parseSeedRange, parseShard, shardSeeds } from "../../src/cli/seeds.ts";

describe("seed options", () => {
  it("parses a seed, a range and a single-seed range", () => {
    expect(parseSeed("42")).toBe(42);
    expect(parseSeedRange("1..500")).toEqual({ from: 1, to: 500 });
    expect(parseSeedRange("7")).toEqual({ from: 7, to: 7 });
  });

  it.each([
    ["--seed", () => parseSeed("-1"), '--seed: expected a whole number ≥ 0, got "-1"'],
    ["--seed", () => parseSeed("1e3"), '--seed: expected a whole number ≥ 0, got "1e3"'],
    [
      "--seeds",
      () => parseSeedRange("1-500"),
      '--seeds: expected a range like 1..500 or one seed, got "1-500"',
    ],
    ["--seeds", () => parseSeedRange("9..3"), "--seeds: the range 9..3 is empty (3 < 9)"],
    [
      "--seeds",
      () => parseSeedRange("1..2000000"),
      "--seeds: 2000000 seeds is more than the 1000000 one exploration runs",
    ],
    ["--shard", () => parseShard("3/2"), '--shard: expected i/n with 1 ≤ i ≤ n, like 2/4, got "3/2"'],
    ["--shard", () => parseShard("0/2"), '--shard: expected i/n with 1 ≤ i ≤ n, like 2/4, got "0/2"'],
    ["--jobs", () => parseJobs("0"), "--jobs: expected 1 to 64 worker processes, got 0"],
  ])("refuses a bad %s value with one line saying what was expected", (_option, parse, message) => {
    expect(parse).toThrow(message);
  });

  it("splits a range into shards that together cover every seed once", () => {
    const range = { from: 1, to: 10 };
    const shards = [1, 2, 3].map((index) => shardSeeds(range, { index, count: 3 }));
    expect(shards).toEqual([
      [1, 4, 7, 10],
      [2, 5, 8],
      [3, 6, 9],
    ]);
    expect(shardSeeds(range)).toHaveLength(10);
  });
});
