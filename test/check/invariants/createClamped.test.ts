import { describe, expect, it } from "vitest";
import { scenarioDesiredCeiling } from "../../../src/check/invariants/createClamped.ts";
import { checkOf, Lines, scenario } from "../fixtures.ts";

// Only this invariant: the hand-written histories below leave out what the other oracles need.
const check = checkOf("create-clamped");

function evaluated(l: Lines, minutes: number, actor: string, desired: number, create: number): number {
  return l.at(minutes, actor, "reconcile.preset", {
    preset: "dev/v1/small",
    presetId: "p-v1-small",
    state: {
      actual: 0,
      expired: 0,
      desired,
      eligible: 0,
      extraneous: 0,
      starting: 0,
      stopping: 0,
      deleting: 0,
    },
    actions: [{ type: "create", create }],
  });
}

describe("create-clamped", () => {
  it("flags a cycle that creates more prebuilds than the desired count it worked with", () => {
    const l = new Lines();
    let lines: number[] = [];
    l.cycle(1, "replica-0", () => {
      const r = evaluated(l, 1, "replica-0", 2, 3);
      lines = [
        r,
        l.create(1, "replica-0", "ws-a"),
        l.create(1, "replica-0", "ws-b"),
        l.create(1, "replica-0", "ws-c"),
      ];
    });
    const { violations } = check(scenario(), l);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      invariant: "create-clamped",
      subject: "dev/v1/small",
      message:
        "replica-0 created 3 prebuild(s) for dev/v1/small in one cycle, but the cycle's desired count is 2",
    });
    expect(violations[0]?.traceLines).toEqual([1, ...lines]);
  });

  it("flags creations beyond anything the scenario asks for, even when the cycle reported a larger desired", () => {
    const l = new Lines();
    l.cycle(1, "replica-0", () => {
      evaluated(l, 1, "replica-0", 9, 4);
      for (const ws of ["a", "b", "c", "d"]) l.create(1, "replica-0", ws);
    });
    expect(check(scenario(), l).violations.map((v) => v.message)).toEqual([
      "replica-0 created 4 prebuild(s) for dev/v1/small in one cycle, but the scenario never asks for more than 3",
    ]);
  });

  it("flags any creation for a preset of an inactive version", () => {
    const l = new Lines();
    l.cycle(1, "replica-0", () => l.create(1, "replica-0", "ws-a", "dev/v2/small"));
    expect(check(scenario(), l).violations.map((v) => v.message)).toEqual([
      "replica-0 created 1 prebuild(s) for dev/v2/small in one cycle, but dev/v2/small is not active",
    ]);
  });

  it("holds when two cycles each create up to desired (replacing claimed prebuilds)", () => {
    const l = new Lines();
    l.cycle(1, "replica-0", () => {
      evaluated(l, 1, "replica-0", 3, 3);
      for (const ws of ["a", "b", "c"]) l.create(1, "replica-0", ws);
    });
    l.cycle(2, "replica-1", () => {
      evaluated(l, 2, "replica-1", 3, 2);
      for (const ws of ["d", "e"]) l.create(2, "replica-1", ws);
    });
    expect(check(scenario(), l).violations).toEqual([]);
  });

  it("holds for a preset promoted during the run", () => {
    const l = new Lines();
    l.at(0, "operator", "operator.promote", { template: "dev", version: "v2" });
    l.cycle(1, "replica-0", () => l.create(1, "replica-0", "ws-a", "dev/v2/small"));
    expect(check(scenario(), l).violations).toEqual([]);
  });

  it("takes the ceiling from static counts, schedules and setDesired events", () => {
    const s = scenario({
      events: [{ at: "PT1H", setDesired: { template: "dev", version: "v1", preset: "small", instances: 7 } }],
    });
    expect(Object.fromEntries(scenarioDesiredCeiling(s))).toEqual({ "dev/v1/small": 7, "dev/v2/small": 3 });
  });
});
