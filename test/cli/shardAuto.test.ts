// `--shard auto`: which environment variables give which shard, and the one-line errors when they
// are missing or out of range.
import { describe, expect, it } from "vitest";
import { resolveShard, shardFromEnvironment } from "../../src/cli/shardAuto.ts";
import { InputError } from "../../src/run/inputError.ts";

describe("shardFromEnvironment", () => {
  it.each([
    [
      "generic pair, 1-based",
      { PREBUILDSIM_SHARD_INDEX: "2", PREBUILDSIM_SHARD_COUNT: "4" },
      undefined,
      { index: 2, count: 4 },
    ],
    [
      "Kubernetes: 0-based index, count from --shard-count",
      { JOB_COMPLETION_INDEX: "0" },
      "3",
      { index: 1, count: 3 },
    ],
    [
      "Kubernetes: count from PREBUILDSIM_SHARD_COUNT",
      { JOB_COMPLETION_INDEX: "2", PREBUILDSIM_SHARD_COUNT: "3" },
      undefined,
      { index: 3, count: 3 },
    ],
    [
      "GitLab parallel, 1-based",
      { CI_NODE_INDEX: "5", CI_NODE_TOTAL: "5" },
      undefined,
      { index: 5, count: 5 },
    ],
    [
      "the generic pair wins over the engines'",
      { PREBUILDSIM_SHARD_INDEX: "1", PREBUILDSIM_SHARD_COUNT: "2", CI_NODE_INDEX: "2", CI_NODE_TOTAL: "2" },
      undefined,
      { index: 1, count: 2 },
    ],
  ])("%s", (_name, env, count, shard) => {
    expect(shardFromEnvironment(env, count)).toEqual(shard);
  });

  it.each([
    [
      "nothing set",
      {},
      undefined,
      "--shard auto: no shard in the environment: set PREBUILDSIM_SHARD_INDEX and PREBUILDSIM_SHARD_COUNT",
    ],
    [
      "Kubernetes without a count",
      { JOB_COMPLETION_INDEX: "1" },
      undefined,
      "JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but not the shard count: pass --shard-count N",
    ],
    [
      "Kubernetes index past the count",
      { JOB_COMPLETION_INDEX: "3" },
      "3",
      "JOB_COMPLETION_INDEX: shard 4 of 3 is out of range (1 to 3)",
    ],
    [
      "generic index without count",
      { PREBUILDSIM_SHARD_INDEX: "1" },
      undefined,
      "PREBUILDSIM_SHARD_INDEX is set but not PREBUILDSIM_SHARD_COUNT",
    ],
    [
      "generic index 0 (it is 1-based)",
      { PREBUILDSIM_SHARD_INDEX: "0", PREBUILDSIM_SHARD_COUNT: "2" },
      undefined,
      "shard 0 of 2 is out of range",
    ],
    [
      "GitLab half set",
      { CI_NODE_INDEX: "1" },
      undefined,
      "CI_NODE_INDEX and CI_NODE_TOTAL must both be set",
    ],
    [
      "not a number",
      { CI_NODE_INDEX: "one", CI_NODE_TOTAL: "2" },
      undefined,
      'CI_NODE_INDEX="one" is not a whole number',
    ],
    [
      "a zero count",
      { PREBUILDSIM_SHARD_INDEX: "1", PREBUILDSIM_SHARD_COUNT: "0" },
      undefined,
      "the shard count must be at least 1",
    ],
  ])("%s is bad input", (_name, env, count, message) => {
    expect(() => shardFromEnvironment(env, count)).toThrow(InputError);
    expect(() => shardFromEnvironment(env, count)).toThrow(message);
  });
});

describe("resolveShard", () => {
  it("takes i/n as before, auto from the environment, and --shard-count only with auto", () => {
    expect(resolveShard(undefined, undefined, {})).toBeUndefined();
    expect(resolveShard("2/3", undefined, {})).toEqual({ index: 2, count: 3 });
    expect(resolveShard("auto", "2", { JOB_COMPLETION_INDEX: "1" })).toEqual({ index: 2, count: 2 });
    expect(() => resolveShard("1/2", "2", {})).toThrow("--shard-count: only with --shard auto");
  });
});
