import { describe, expect, it } from "vitest";
import { checkOf, Lines, scenario } from "../fixtures.ts";

// Its histories leave out the creations a full cycle would make (provisioning-sufficient).
const check = checkOf("desired-follows-schedule");

const scheduled = () =>
  scenario({
    templates: [
      {
        name: "dev",
        versions: [
          {
            name: "v1",
            presets: [
              {
                name: "small",
                desiredInstances: 1,
                scheduling: {
                  timezone: "Europe/Berlin",
                  schedules: [{ cron: "* 8-18 * * 1-5", instances: 4 }],
                },
              },
            ],
          },
        ],
      },
    ],
  });

describe("desired-follows-schedule", () => {
  it("flags a cycle that acts on the static count inside a schedule (Berlin 08:00 is 07:00Z)", () => {
    const l = new Lines();
    // START is 06:00Z = 07:00 Berlin: outside; +60 min = 08:00 Berlin: inside.
    l.cycle(59, "replica-0", () => l.evaluate(59, "replica-0", 1));
    let wrong = 0;
    l.cycle(60, "replica-0", () => {
      wrong = l.evaluate(60, "replica-0", 1);
    });
    l.cycle(61, "replica-0", () => l.evaluate(61, "replica-0", 1));
    const found = check(scheduled(), l).violations;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      invariant: "desired-follows-schedule",
      subject: "dev/v1/small",
      message:
        "replica-0 acted on desired 1 for dev/v1/small at 2026-03-02T07:00:00.000Z (its clock), but the preset's configuration gives 4",
    });
    expect(found[0]?.traceLines).toContain(wrong);
  });

  it("holds for the schedule's count, the static count outside it, and a replica's skewed clock", () => {
    const l = new Lines();
    l.cycle(59, "replica-0", () => l.evaluate(59, "replica-0", 1));
    l.cycle(60, "replica-0", () => l.evaluate(60, "replica-0", 4));
    const s = scheduled();
    expect(check(s, l).violations).toEqual([]);
    const skewed = new Lines();
    skewed.at(0, "fault", "fault.start", { fault: "clock-skew", replica: "replica-1", offset: 60_000 });
    skewed.cycle(59, "replica-1", () => skewed.evaluate(59, "replica-1", 4));
    expect(check(s, skewed).violations).toEqual([]);
  });

  it("follows setDesired and reports 0 for an inactive preset", () => {
    const l = new Lines();
    l.at(1, "operator", "operator.setDesired", { preset: "dev/v1/small", instances: 2 });
    l.cycle(2, "replica-0", () => {
      l.evaluate(2, "replica-0", 2);
      l.evaluate(2, "replica-0", 3, [], "dev/v2/small");
    });
    expect(check(scenario(), l).violations.map((v) => v.message)).toEqual([
      "replica-0 acted on desired 3 for dev/v2/small at 2026-03-02T06:02:00.000Z (its clock), but the preset's configuration gives 0",
    ]);
  });
});
