import { describe, expect, it } from "vitest";
import { check, Lines, scenario } from "../fixtures.ts";

function readyPrebuild(l: Lines, ws: string, preset = "dev/v1/small"): void {
  l.cycle(1, "replica-0", () => l.create(1, "replica-0", ws, preset));
  l.complete(3, ws, 1, "succeeded");
}

describe("claim-takes-ready", () => {
  it("holds for a running prebuild whose agents are all ready", () => {
    const l = new Lines();
    readyPrebuild(l, "a");
    l.agent(3.5, "a");
    l.claim(4, "user-1", "a");
    expect(check(scenario(), l).violations).toEqual([]);
  });

  it.each([
    [
      "its agent is still starting",
      (l: Lines) => l.agent(3.5, "a", "starting"),
      "its agents were not all ready",
    ],
    ["its build is still running", null, "its build's job is pending"],
    [
      "it is being deleted",
      (l: Lines) => l.build(3.6, "replica-0", "a", 2, "delete", "prebuilds"),
      "its latest prebuild build is a delete build",
    ],
  ] as const)("flags a claim of a prebuild when %s", (name, setup, why) => {
    const l = new Lines();
    l.cycle(1, "replica-0", () => l.create(1, "replica-0", "a"));
    if (setup !== null) {
      l.complete(3, "a", 1, "succeeded");
      setup(l);
    }
    const result = l.claim(4, "user-1", "a", setup === null || name !== "it is being deleted" ? 2 : 3);
    const violations = check(scenario(), l).violations.filter((v) => v.invariant === "claim-takes-ready");
    expect(violations.map((v) => v.message)).toEqual([
      `user-1 claimed workspace a for dev/v1/small, but ${why}`,
    ]);
    expect(violations[0]).toMatchObject({ invariant: "claim-takes-ready", subject: "a" });
    expect(violations[0]?.traceLines).toContain(result);
  });

  it("flags a claim that takes a prebuild of another preset", () => {
    const l = new Lines();
    readyPrebuild(l, "a", "dev/v2/small");
    l.agent(3.5, "a");
    l.claim(4, "user-1", "a");
    expect(check(scenario(), l).violations.map((v) => v.message)).toContain(
      "user-1 claimed workspace a for dev/v1/small, but it is a prebuild of dev/v2/small",
    );
  });
});
