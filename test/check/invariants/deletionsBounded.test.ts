import { describe, expect, it } from "vitest";
import { checkOf, Lines, scenario } from "../fixtures.ts";

const check = checkOf("deletions-bounded");

const withTtl = () =>
  scenario({
    templates: [
      {
        name: "dev",
        versions: [{ name: "v1", presets: [{ name: "small", desiredInstances: 1, ttl: "PT10M" }] }],
      },
    ],
  });

/** a (created at minute 1) and b (at 5) run; at minute 12 a is past its 10-minute TTL, b is not. */
function oneExpired(l: Lines): void {
  l.cycle(1, "replica-0", () => l.create(1, "replica-0", "a"));
  l.cycle(5, "replica-0", () => l.create(5, "replica-0", "b"));
  l.complete(3, "a", 1, "succeeded");
  l.complete(7, "b", 1, "succeeded");
}

describe("deletions-bounded", () => {
  it("flags a cycle that counts the expired prebuild into the surplus and deletes a valid one with it", () => {
    const l = new Lines();
    oneExpired(l);
    let decision = 0;
    l.cycle(12, "replica-0", () => {
      decision = l.evaluate(12, "replica-0", 1, [{ type: "delete", deleteIds: ["a", "b"] }]);
      l.build(12, "replica-0", "a", 2, "delete", "prebuilds");
      l.build(12, "replica-0", "b", 2, "delete", "prebuilds");
    });
    const found = check(withTtl(), l).violations;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      invariant: "deletions-bounded",
      subject: "dev/v1/small",
      at: "2026-03-02T06:12:00.000Z",
      message:
        "replica-0's cycle deleted 2 prebuild(s) of dev/v1/small, but upstream deletes at most 1 (desired 1, running 1, expired 1)",
    });
    expect(found[0]?.traceLines).toContain(decision);
  });

  it("holds for the expired prebuild alone, and for expired plus surplus", () => {
    const l = new Lines();
    oneExpired(l);
    l.cycle(12, "replica-0", () => {
      l.evaluate(12, "replica-0", 1, [{ type: "delete", deleteIds: ["a"] }]);
      l.build(12, "replica-0", "a", 2, "delete", "prebuilds");
    });
    expect(check(withTtl(), l).violations).toEqual([]);
    // With desired 0 (setDesired) both go: the expired one and the surplus of one.
    const shrunk = new Lines();
    oneExpired(shrunk);
    shrunk.at(11, "operator", "operator.setDesired", { preset: "dev/v1/small", instances: 0 });
    shrunk.cycle(12, "replica-0", () => {
      shrunk.evaluate(12, "replica-0", 0, [{ type: "delete", deleteIds: ["a", "b"] }]);
      shrunk.build(12, "replica-0", "a", 2, "delete", "prebuilds");
      shrunk.build(12, "replica-0", "b", 2, "delete", "prebuilds");
    });
    expect(check(withTtl(), shrunk).violations).toEqual([]);
  });
});
