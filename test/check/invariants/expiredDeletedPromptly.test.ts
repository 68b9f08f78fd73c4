import { describe, expect, it } from "vitest";
import { checkOf, Lines, scenario } from "../fixtures.ts";

// Its histories leave out the creations a full cycle would make (provisioning-sufficient).
const check = checkOf("expired-deleted-promptly");

const withTtl = () =>
  scenario({
    templates: [
      {
        name: "dev",
        versions: [{ name: "v1", presets: [{ name: "small", desiredInstances: 1, ttl: "PT10M" }] }],
      },
    ],
  });

function running(l: Lines): void {
  l.cycle(1, "replica-0", () => l.create(1, "replica-0", "a"));
  l.complete(3, "a", 1, "succeeded");
}

describe("expired-deleted-promptly", () => {
  it("flags a cycle that saw a prebuild past its TTL and kept it", () => {
    const l = new Lines();
    running(l);
    let decision = 0;
    l.cycle(12, "replica-0", () => {
      decision = l.evaluate(12, "replica-0", 1);
    });
    const found = check(withTtl(), l).violations;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      invariant: "expired-deleted-promptly",
      subject: "dev/v1/small",
      message:
        "replica-0's cycle saw prebuild a of dev/v1/small expired at 2026-03-02T06:12:00.000Z but did not delete it",
    });
    expect(found[0]?.traceLines).toContain(decision);
  });

  it("holds when the cycle deletes it, and before the TTL (strictly greater) is up", () => {
    const l = new Lines();
    running(l);
    l.cycle(11, "replica-0", () => l.evaluate(11, "replica-0", 1));
    l.cycle(12, "replica-0", () => {
      l.evaluate(12, "replica-0", 1, [{ type: "delete", deleteIds: ["a"] }]);
      l.build(12, "replica-0", "a", 2, "delete", "prebuilds");
    });
    expect(check(withTtl(), l).violations).toEqual([]);
  });

  it("flags an invalidated prebuild left in place, and spares one of an inactive version (spec §10.2.1)", () => {
    const l = new Lines();
    running(l);
    l.at(4, "operator", "operator.invalidate", { template: "dev", presets: ["dev/v1/small"] });
    l.cycle(5, "replica-0", () => l.evaluate(5, "replica-0", 3));
    expect(check(scenario(), l).violations.map((v) => v.invariant)).toEqual(["expired-deleted-promptly"]);
    const inactive = new Lines();
    running(inactive);
    inactive.at(4, "operator", "operator.invalidate", { template: "dev", presets: ["dev/v1/small"] });
    inactive.at(4, "operator", "operator.promote", { template: "dev", version: "v2" });
    inactive.cycle(5, "replica-0", () => inactive.evaluate(5, "replica-0", 0));
    expect(check(scenario(), inactive).violations).toEqual([]);
  });
});
