import { describe, expect, it } from "vitest";
import { terraformSchedulingProblems } from "../../src/prebuilds/presetSchedulingValidation.ts";
import type { HitRateEstimate } from "../../src/sweep/confidence.ts";
import { hitRateEstimate } from "../../src/sweep/confidence.ts";
import { scheduleText } from "../../src/sweep/recommendationText.ts";
import { chooseHour, mostCommon, scheduleBlocks, scheduleYaml } from "../../src/sweep/scheduleAdvice.ts";
import { type FakeRun, fakePlan, fakeResult } from "./fakeResult.ts";
import { SMALL_DESIRED, SWEPT } from "./fixtures.ts";

describe("scheduleBlocks and mostCommon", () => {
  const perHour = [1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 3, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 4];

  it("merges adjacent equal hours, skipping the base count", () => {
    expect(scheduleBlocks(perHour, 1)).toEqual([
      { cron: "* 8 * * *", instances: 2 },
      { cron: "* 9-11 * * *", instances: 3 },
      { cron: "* 12-16 * * *", instances: 2 },
      { cron: "* 23 * * *", instances: 4 },
    ]);
  });

  it("the most common count is the base, the smaller on a tie", () => {
    expect(mostCommon(perHour)).toBe(1);
    expect(mostCommon([3, 3, 2, 2])).toBe(2);
    expect(mostCommon(new Array(24).fill(5))).toBe(5);
  });

  it("renders a block the reconciler accepts", () => {
    const blocks = scheduleBlocks(perHour, 1);
    expect(scheduleYaml("Europe/Berlin", 1, blocks)).toBe(
      [
        "desiredInstances: 1",
        "scheduling:",
        "  timezone: Europe/Berlin",
        "  schedules:",
        '    - {cron: "* 8 * * *", instances: 2}',
        '    - {cron: "* 9-11 * * *", instances: 3}',
        '    - {cron: "* 12-16 * * *", instances: 2}',
        '    - {cron: "* 23 * * *", instances: 4}',
        "",
      ].join("\n"),
    );
    expect(
      terraformSchedulingProblems(
        "Europe/Berlin",
        blocks.map((b) => b.cron),
      ),
    ).toEqual([]);
    expect(scheduleYaml("UTC", 2, [])).toBe("desiredInstances: 2\n");
  });
});

function estimate(hits: number, claims: number): HitRateEstimate {
  const e = hitRateEstimate([
    { hits, claims },
    { hits, claims },
  ]);
  if (e === null) throw new Error("no claims");
  return e;
}

describe("chooseHour", () => {
  it.each([
    ["met", [estimate(30, 60), estimate(59, 60), estimate(60, 60)], 2, "met"],
    ["point-estimate", [estimate(2, 4), estimate(4, 4), estimate(4, 4)], 2, "point-estimate"],
    ["not-met", [estimate(10, 40), estimate(20, 40), estimate(30, 40)], 3, "not-met"],
    ["no-claims", [null, null, null], 1, "no-claims"],
  ] as const)("%s", (_, estimates, instances, basis) => {
    const choice = chooseHour(
      9,
      estimates.map((e, i) => ({ instances: i + 1, estimate: e })),
      0.9,
    );
    expect([choice.instances, choice.basis]).toEqual([instances, basis]);
  });
});

/**
 * Runs of `desired` prebuilds: hours 9–10 local need 3, hour 8 needs 2, other hours do with 1; the
 * idle pool in an hour is what the count exceeds half the need by.
 */
function diurnalRun(desired: number): FakeRun {
  const hours: Record<number, [number, number]> = {};
  const idleHours: Record<number, number> = {};
  for (let h = 6; h <= 20; h++) {
    const needs = h === 9 || h === 10 ? 3 : h === 8 ? 2 : 1;
    hours[h] = [100, desired >= needs ? 99 : 60];
    idleHours[h] = Math.max(0, desired - needs * 0.5);
  }
  const claims = Object.values(hours).reduce((s, [c]) => s + c, 0);
  const hits = Object.values(hours).reduce((s, [, h]) => s + h, 0);
  return { claims, hits, hours, idleHours };
}

describe("adviseSchedule", () => {
  it("per local hour of the diurnal workload, merged into a validated block", () => {
    const plan = fakePlan([`${SMALL_DESIRED}=1..4`]);
    const result = fakeResult(plan, (p) => {
      const run = diurnalRun(p + 1);
      return [run, run];
    });
    const advice = result.schedule;
    if (advice?.kind !== "schedule") throw new Error(`expected a schedule, got ${JSON.stringify(advice)}`);
    expect(advice.timezone).toBe("Europe/Berlin");
    expect(advice.yaml).toBe(
      [
        "desiredInstances: 1",
        "scheduling:",
        "  timezone: Europe/Berlin",
        "  schedules:",
        '    - {cron: "* 8 * * *", instances: 2}',
        '    - {cron: "* 9-10 * * *", instances: 3}',
        "",
      ].join("\n"),
    );
    expect(advice.hours.filter((h) => h.basis === "no-claims").map((h) => h.hour)).toEqual([
      0, 1, 2, 3, 4, 5, 21, 22, 23,
    ]);
    // Hours 6–20 leave (count − need/2) idle: 1 − 0.5 for 12 hours, 2 − 1 at 8, 3 − 1.5 at 9 and 10;
    // the 9 uncovered hours count as a full pool of 1.
    expect(advice.idlePrebuildHoursPerDay).toBeCloseTo(12 * 0.5 + 1 + 2 * 1.5 + 9, 12);
    // The constant recommendation (1 suffices over the day as a whole): 1 − need/2, at least 0, in
    // covered hours.
    expect(advice.constant?.instances).toBe(1);
    expect(advice.constant?.idlePrebuildHoursPerDay).toBeCloseTo(12 * 0.5 + 0 + 0 + 9, 12);
    const text = scheduleText(result);
    expect(text.yaml).toBe(advice.yaml);
    expect(text.notes[0]).toBe(
      "This schedule leaves about 19.0 prebuild-hours idle per day, against 15.0 for a constant desiredInstances 1 counted the same way; hours 0-5, 21-23, which no run covered, count as a full idle pool.",
    );
    expect(text.notes[1]).toBe("Hours 0-5, 21-23: no claims; the smallest swept value is used.");
  });

  it("not when the first --vary is something else", () => {
    const plan = fakePlan(["provisioners.daemons=2,4"]);
    expect(fakeResult(plan, () => [diurnalRun(1), diurnalRun(1)]).schedule).toBeNull();
  });

  it("not for a preset without a diurnal workload", () => {
    const plan = fakePlan(["templates.data.versions.v1.presets.notebook.desiredInstances=1,2"]);
    expect(fakeResult(plan, () => [diurnalRun(1), diurnalRun(1)]).schedule).toEqual({
      kind: "none",
      reason: "the claims of data/notebook have no diurnal shape (rate with hours)",
    });
  });

  it("not for a preset that already has a schedule", () => {
    const text = SWEPT.replace(
      "- {name: small, desiredInstances: 2}",
      '- {name: small, desiredInstances: 2, scheduling: {timezone: UTC, schedules: [{cron: "* 9-17 * * *", instances: 3}]}}',
    );
    const plan = fakePlan([`${SMALL_DESIRED}=1,2`], { text });
    expect(fakeResult(plan, () => [diurnalRun(1), diurnalRun(1)]).schedule).toEqual({
      kind: "none",
      reason: "dev/small already has a scheduling block; remove it to sweep a constant pool",
    });
  });

  it("not when the sweep measures another preset", () => {
    const plan = fakePlan([`${SMALL_DESIRED}=1,2`], { preset: "data/notebook" });
    expect(fakeResult(plan, () => [diurnalRun(1), diurnalRun(1)]).schedule).toEqual({
      kind: "none",
      reason: "the sweep measures data/notebook, not dev/small",
    });
  });
});
