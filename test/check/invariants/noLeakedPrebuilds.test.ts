import { describe, expect, it } from "vitest";
import { checkOf, endState, Lines, MIN, START, scenario } from "../fixtures.ts";

// Only this invariant: the hand-written histories below leave out what the other oracles need.
const check = checkOf("no-leaked-prebuilds");

describe("no-leaked-prebuilds", () => {
  it("flags a prebuild whose delete failed, pointing at the delete build and its failure", () => {
    const l = new Lines();
    l.create(1, "replica-0", "ws-a");
    l.complete(3, "ws-a", 1, "succeeded");
    const del = l.build(10, "replica-0", "ws-a", 2, "delete", "prebuilds");
    const failed = l.complete(11, "ws-a", 2, "failed");
    const end = endState({
      prebuilds: [
        {
          workspace: "ws-a",
          preset: "dev/v1/small",
          build: "ws-a-b2",
          buildNumber: 2,
          transition: "delete",
          jobStatus: "failed",
          createdAt: START + 10 * MIN,
        },
      ],
    });
    expect(check(scenario(), l, end).violations).toEqual([
      {
        invariant: "no-leaked-prebuilds",
        at: "2026-03-02T08:00:00.000Z",
        subject: "ws-a",
        message: "prebuilt workspace ws-a of dev/v1/small is left with a delete build #2 that failed",
        traceLines: [del, failed],
      },
    ]);
  });

  it("flags a delete stuck pending for longer than the convergence window", () => {
    const end = endState({
      prebuilds: [
        {
          workspace: "ws-a",
          preset: null,
          build: "ws-a-b2",
          buildNumber: 2,
          transition: "stop",
          jobStatus: "pending",
          createdAt: START + 60 * MIN,
        },
      ],
    });
    expect(check(scenario(), new Lines(), end).violations.map((v) => v.message)).toEqual([
      "prebuilt workspace ws-a is left with a stop build #2 that is still pending since 2026-03-02T07:00:00.000Z",
    ]);
  });

  it("holds for failed creations (kept as evidence), running prebuilds and a delete that just started", () => {
    const base = { preset: "dev/v1/small", buildNumber: 1, transition: "start" as const };
    const end = endState({
      prebuilds: [
        { ...base, workspace: "a", build: "a1", jobStatus: "failed", createdAt: START },
        { ...base, workspace: "b", build: "b1", jobStatus: "succeeded", createdAt: START },
        {
          ...base,
          workspace: "c",
          build: "c2",
          buildNumber: 2,
          transition: "delete",
          jobStatus: "running",
          createdAt: START + 115 * MIN,
        },
      ],
    });
    expect(check(scenario(), new Lines(), end).violations).toEqual([]);
  });
});
