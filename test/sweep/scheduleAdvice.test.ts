import { describe, expect, it } from "vitest";
import type { DurationDistribution } from "../../src/kernel/rng.ts";
import { terraformSchedulingProblems } from "../../src/prebuilds/presetSchedulingValidation.ts";
import type { HitRateEstimate } from "../../src/sweep/confidence.ts";
import { hitRateEstimate } from "../../src/sweep/confidence.ts";
import { leadTime, p90 } from "../../src/sweep/leadTime.ts";
import { planSweep } from "../../src/sweep/plan.ts";
import { scheduleText } from "../../src/sweep/recommendationText.ts";
import {
  chooseHour,
  type HourBasis,
  hourlySchedule,
  mostCommon,
  scheduleBlocks,
  scheduleYaml,
  shapeHours,
} from "../../src/sweep/scheduleAdvice.ts";
import { scheduleCsv } from "../../src/sweep/scheduleTable.ts";
import { weekendPicks } from "../../src/sweep/weekendHours.ts";
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

/** The schedule advice for `text` swept over 1–4 with `diurnalRun`'s measures. */
function adviseDiurnal(text: string) {
  const plan = fakePlan([`${SMALL_DESIRED}=1..4`], { text });
  const advice = fakeResult(plan, (p) => {
    const run = diurnalRun(p + 1);
    return [run, run];
  }).schedule;
  if (advice?.kind !== "schedule") throw new Error("expected a schedule");
  return advice;
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
        // Each raise one lead time (p90 build 5m + agent + half an interval: 1 whole hour) early.
        '    - {cron: "* 7 * * *", instances: 2}',
        '    - {cron: "* 8-10 * * *", instances: 3}',
        "",
      ].join("\n"),
    );
    expect(advice.leadTime.hours).toBe(1);
    expect(advice.hours.filter((h) => h.raisedBy === "lead-time").map((h) => [h.hour, h.required])).toEqual([
      [7, 1],
      [8, 2],
    ]);
    expect(advice.hours.filter((h) => h.basis === "no-claims").map((h) => h.hour)).toEqual([
      0, 1, 2, 3, 4, 5, 21, 22, 23,
    ]);
    // Hours 6–20 leave (count − need/2) idle: 1 − 0.5 for 11 hours, 2 − 0.5 at 7, 3 − 1 at 8,
    // 3 − 1.5 at 9 and 10; the 9 uncovered hours count as a full pool of 1.
    expect(advice.idlePrebuildHoursPerDay).toBeCloseTo(11 * 0.5 + 1.5 + 2 + 2 * 1.5 + 9, 12);
    // The constant recommendation (1 suffices over the day as a whole): 1 − need/2, at least 0, in
    // covered hours.
    expect(advice.constant?.instances).toBe(1);
    expect(advice.constant?.idlePrebuildHoursPerDay).toBeCloseTo(12 * 0.5 + 0 + 0 + 9, 12);
    const text = scheduleText(result);
    expect(text.yaml).toBe(advice.yaml);
    expect(text.notes[0]).toBe(
      "This schedule leaves about 21.0 prebuild-hours idle per day, against 15.0 for a constant desiredInstances 1 counted the same way; hours 0-5, 21-23, which no run covered, count as a full idle pool.",
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

/** 24 hours of (count asked, basis): `fill` everywhere, `at` for the hours given. */
function day(
  fill: [number, HourBasis],
  at: Record<number, [number, HourBasis]>,
): { required: number; basis: HourBasis }[] {
  return Array.from({ length: 24 }, (_, h) => {
    const [required, basis] = at[h] ?? fill;
    return { required, basis };
  });
}

const P = "point-estimate";
const M = "met";
const N = "no-claims";

describe("shapeHours: lead time and thin hours, hourly requirements → schedule", () => {
  it.each([
    [
      // Issue 17, part 6: quiet thin hours before a rush of 5 from 09:00; the raw picks dropped the
      // pool to 1 at 08:00. Hour 8 is thin next to a firm 9 (→ 5), so the pool must be full at
      // 08:00, and the lead time asks for that at 07:00.
      "the 08:00 undercut: never drop the pool right before the rush",
      day([1, N], {
        6: [1, P],
        7: [1, P],
        8: [1, P],
        9: [5, M],
        10: [5, M],
        11: [5, M],
        12: [3, M],
        13: [3, P],
      }),
      1,
      ["* 7-11 * * *:5", "* 12-13 * * *:3"],
    ],
    [
      "no lead time, no thin hours: the counts as asked",
      day([1, N], { 9: [4, M], 10: [4, M], 11: [2, M] }),
      0,
      ["* 9-10 * * *:4", "* 11 * * *:2"],
    ],
    [
      "the lead time shifts each raise earlier, a drop stays where the demand drops",
      day([1, N], { 9: [4, M], 10: [4, M], 11: [2, M] }),
      1,
      ["* 8-10 * * *:4", "* 11 * * *:2"],
    ],
    [
      "a lead time over an hour (say 61 minutes) reaches two hours ahead",
      day([1, N], { 9: [4, M], 10: [4, M], 11: [2, M] }),
      2,
      ["* 7-10 * * *:4", "* 11 * * *:2"],
    ],
    [
      "around midnight: a rush at 00:00 is asked for at 23:00",
      day([1, N], { 0: [3, M], 1: [3, M] }),
      1,
      ["* 0-1 * * *:3", "* 23 * * *:3"],
    ],
    [
      "a thin hour after the rush keeps the rush's count; a firm quiet hour does not",
      day([1, N], { 9: [4, M], 10: [1, P], 14: [4, M], 15: [1, M] }),
      0,
      ["* 9-10 * * *:4", "* 14 * * *:4"],
    ],
    [
      "a thin hour between thin hours has no firm neighbour and keeps its own count",
      day([1, N], { 8: [1, P], 9: [1, P], 10: [1, P], 11: [4, M] }),
      0,
      ["* 10-11 * * *:4"],
    ],
    [
      "a thin hour asking for more than its neighbours keeps it",
      day([1, N], { 9: [2, M], 10: [5, P], 11: [2, M] }),
      0,
      ["* 9 * * *:2", "* 10 * * *:5", "* 11 * * *:2"],
    ],
  ] as const)("%s", (_, asked, leadHours, blocks) => {
    const shaped = shapeHours(asked, leadHours);
    const { desiredInstances, schedules } = hourlySchedule(shaped.map((h) => h.instances));
    expect(desiredInstances).toBe(1);
    expect(schedules.map((b) => `${b.cron}:${b.instances}`)).toEqual(blocks);
    // Never below what the hour asked for, and never below the next `leadHours` hours' asks.
    shaped.forEach((h, hour) => {
      for (let k = 0; k <= leadHours; k++)
        expect(h.instances).toBeGreaterThanOrEqual((asked[(hour + k) % 24] as { required: number }).required);
    });
    expect(
      terraformSchedulingProblems(
        "Europe/Berlin",
        schedules.map((b) => b.cron),
      ),
    ).toEqual([]);
  });

  it("says why an hour was raised", () => {
    const shaped = shapeHours(day([1, N], { 7: [1, P], 8: [1, P], 9: [5, M], 10: [2, P] }), 1);
    expect(shaped.slice(6, 12)).toEqual([
      { instances: 1, raisedBy: null },
      { instances: 5, raisedBy: "lead-time" },
      { instances: 5, raisedBy: "thin-hour" },
      { instances: 5, raisedBy: null },
      { instances: 5, raisedBy: "thin-hour" },
      { instances: 1, raisedBy: null },
    ]);
  });

  it("the 08:00 case end to end through adviseSchedule: a thin hour 8 before a firm rush at 9", () => {
    // Runs where hour 8 has 3 claims (always hit at any count: thin, picks 1) and hours 9–10 need 3.
    const run = (desired: number): FakeRun => {
      const hours: Record<number, [number, number]> = { 8: [3, 3] };
      const idleHours: Record<number, number> = { 8: desired };
      for (const h of [9, 10]) {
        hours[h] = [100, desired >= 3 ? 99 : 50];
        idleHours[h] = desired;
      }
      return { claims: 203, hits: 3 + 2 * (desired >= 3 ? 99 : 50), hours, idleHours };
    };
    const plan = fakePlan([`${SMALL_DESIRED}=1..4`]);
    const advice = fakeResult(plan, (p) => [run(p + 1), run(p + 1)]).schedule;
    if (advice?.kind !== "schedule") throw new Error("expected a schedule");
    expect(advice.thinHours).toEqual([8]);
    expect(advice.hours[8]).toMatchObject({ required: 1, instances: 3, basis: "point-estimate" });
    expect(advice.schedules).toEqual([{ cron: "* 7-10 * * *", instances: 3 }]);
  });
});

describe("leadTime", () => {
  it.each([
    ["fixed", { fixed: 60_000 }, 60_000],
    ["uniform: 90% of the way", { uniform: [60_000, 160_000] }, 150_000],
    ["log-normal: its p90", { median: 120_000, p90: 240_000 }, 240_000],
  ] as const)("p90 of a %s distribution", (_, d, expected) => {
    expect(p90(d as DurationDistribution)).toBe(expected);
  });

  it("p90 build + p90 agent ready + half an interval, rounded up to whole hours", () => {
    const plan = fakePlan([`${SMALL_DESIRED}=1,2`]);
    const lead = leadTime(plan.scenario);
    expect(lead.build).toBe(5 * 60_000);
    expect(lead.total).toBe(lead.build + lead.agentReady + plan.scenario.settings.reconciliationInterval / 2);
    expect(lead.hours).toBe(1);
    expect(lead.text).toMatch(
      /^p90 build 5m0?s? \+ p90 agent ready .+ \+ half the reconciliation interval .+ = /,
    );
    const slow = planSweep({
      scenarioPath: "slow.yaml",
      text: SWEPT.replace("  daemons: 4", "  daemons: 4\n  buildTime: {median: PT40M, p90: PT70M}"),
      vary: [`${SMALL_DESIRED}=1,2`],
      seedsPerPoint: 2,
      target: 0.9,
    });
    expect(leadTime(slow.scenario).hours).toBe(2);
  });

  it("takes the swept preset's own buildTime and agentReadyAfter over the provisioners'", () => {
    const own = planSweep({
      scenarioPath: "own.yaml",
      text: SWEPT.replace(
        "{name: small, desiredInstances: 2}",
        "{name: small, desiredInstances: 2, buildTime: {median: PT40M, p90: PT70M}, agentReadyAfter: {fixed: PT10M}}",
      ),
      vary: [`${SMALL_DESIRED}=1,2`],
      seedsPerPoint: 2,
      target: 0.9,
    });
    const [small, large] = own.scenario.templates[0]?.versions[0]?.presets ?? [];
    const lead = leadTime(own.scenario, small);
    expect(lead.build).toBe(70 * 60_000);
    expect(lead.agentReady).toBe(10 * 60_000);
    expect(lead.hours).toBe(2);
    // a preset without its own times keeps the provisioners'
    expect(leadTime(own.scenario, large)).toEqual(leadTime(own.scenario));
    expect(leadTime(own.scenario).hours).toBe(1);
  });

  it("the schedule advice reaches as far ahead as the swept preset's own lead time", () => {
    const text = SWEPT.replace(
      "{name: small, desiredInstances: 2}",
      "{name: small, desiredInstances: 2, buildTime: {median: PT40M, p90: PT70M}}",
    );
    const advice = adviseDiurnal(text);
    expect(advice.leadTime.build).toBe(70 * 60_000);
    expect(advice.leadTime.hours).toBe(2);
    // two hours ahead now (one with the provisioners' build time): 3 from 07:00, 2 from 06:00
    expect(advice.schedules).toEqual([
      { cron: "* 6 * * *", instances: 2 },
      { cron: "* 7-10 * * *", instances: 3 },
    ]);
  });
});

describe("weekend shape", () => {
  const withWeekend = (weekend: string) =>
    SWEPT.replace(
      `hours: {"8-11": 2.0, "*": 0.5}`,
      `hours: {"8-11": 2.0, "*": 0.5}\n      weekend: ${weekend}`,
    );
  it("without one: no weekend, blocks on every day", () => {
    const advice = adviseDiurnal(SWEPT);
    expect(advice.weekend).toBeNull();
    expect(advice.schedules.map((s) => s.cron)).toEqual(["* 7 * * *", "* 8-10 * * *"]);
  });

  it("a quiet weekend: the weekday peaks on weekdays only, the weekend at the base count", () => {
    // weekday rates 24/h at 8–11 and 6/h otherwise; the weekend a quarter of that
    const advice = adviseDiurnal(withWeekend("0.25"));
    expect(advice.yaml).toBe(
      [
        "desiredInstances: 1",
        "scheduling:",
        "  timezone: Europe/Berlin",
        "  schedules:",
        '    - {cron: "* 7 * * 1-5", instances: 2}',
        '    - {cron: "* 8-10 * * 1-5", instances: 3}',
        "",
      ].join("\n"),
    );
    expect(advice.weekend?.hours.map((h) => h.instances)).toEqual(new Array(24).fill(1));
    // 6/h at 8–11 on the weekend is like a quiet weekday hour (6/h)
    expect(advice.weekend?.hours[9]?.like).not.toBeNull();
    expect(advice.weekend?.hours[9]?.required).toBe(1);
  });

  it("each weekend hour takes the count of the weekday hour with the nearest rate at or above its own", () => {
    // weekend 18/h at 8–11 (like the weekday 24/h peak, whose busiest hours need 3), 60/h at 13
    // (above every weekday hour: the largest swept, 4), 6/h otherwise
    const advice = adviseDiurnal(withWeekend(`{"8-11": 1.5, "13": 5, "*": 0.5}`));
    const weekend = advice.weekend;
    if (weekend === null) throw new Error("expected a weekend");
    expect(weekend.hours[8]).toMatchObject({ required: 3, instances: 3 });
    expect(weekend.hours[13]).toMatchObject({ required: 4, basis: "not-met", like: null });
    expect(weekend.hours[12]).toMatchObject({ required: 1, instances: 4, raisedBy: "lead-time" });
    expect(weekend.hours[7]).toMatchObject({ required: 1, instances: 3, raisedBy: "lead-time" });
    expect(advice.schedules).toEqual([
      { cron: "* 7 * * 1-5", instances: 2 },
      { cron: "* 8-10 * * 1-5", instances: 3 },
      { cron: "* 7-11 * * 0,6", instances: 3 },
      { cron: "* 12-13 * * 0,6", instances: 4 },
    ]);
    // the pasteable block passes the provider's and the reconciler's checks
    expect(
      terraformSchedulingProblems(
        "Europe/Berlin",
        advice.schedules.map((s) => s.cron),
      ),
    ).toEqual([]);
  });
});

describe("weekendPicks", () => {
  const weekday = Array.from({ length: 24 }, (_, h) =>
    h === 6
      ? { required: 2, basis: "point-estimate" as const }
      : h === 7
        ? { required: 3, basis: "met" as const }
        : { required: 1, basis: "no-claims" as const },
  );
  const rates = {
    weekday: Array.from({ length: 24 }, (_, h) => (h === 6 ? 3 : h === 7 ? 9 : 2)),
    weekend: Array.from({ length: 24 }, (_, h) =>
      h === 0 ? 0 : h === 1 ? 2 : h === 2 ? 4 : h === 3 ? 10 : 0,
    ),
  };
  const picks = weekendPicks(rates, weekday, { smallest: 1, largest: 5 });
  it.each([
    ["no claims: the smallest swept", 0, { required: 1, basis: "no-claims", like: null }],
    ["2/h: weekday 6 (3/h, measured) over hours of 2/h no run covered", 1, { required: 2, like: 6 }],
    ["4/h: the nearest rate at or above, 9/h at 7", 2, { required: 3, basis: "met", like: 7 }],
    ["10/h: above every weekday hour, the largest swept", 3, { required: 5, basis: "not-met", like: null }],
  ] as const)("%s", (_, hour, expected) => {
    expect(picks[hour]).toMatchObject(expected);
  });
  it("an unmeasured weekday hour only when no measured one fits", () => {
    const only = weekendPicks(
      { weekday: rates.weekday, weekend: rates.weekend.map((r, h) => (h === 1 ? 2 : r)) },
      weekday.map((w) => (w.basis === "no-claims" ? w : { ...w, basis: "no-claims" as const })),
      { smallest: 1, largest: 5 },
    );
    expect(only[1]?.like).toBe(0);
  });
});

describe("sweep-schedule.csv with a weekend", () => {
  it("24 weekday rows, then 24 weekend rows with the weekday hour each was judged by", () => {
    const plan = fakePlan([`${SMALL_DESIRED}=1..4`], {
      text: SWEPT.replace(
        `hours: {"8-11": 2.0, "*": 0.5}`,
        `hours: {"8-11": 2.0, "*": 0.5}\n      weekend: 0.5`,
      ),
    });
    const result = fakeResult(plan, (p) => {
      const run = diurnalRun(p + 1);
      return [run, run];
    });
    if (result.schedule?.kind !== "schedule") throw new Error("expected a schedule");
    const [head, ...rows] = scheduleCsv(result, result.schedule).trimEnd().split("\n");
    const columns = head?.split(",") ?? [];
    expect(rows).toHaveLength(48);
    const cell = (row: number, column: string) => rows[row]?.split(",")[columns.indexOf(column)];
    expect(cell(9, "days")).toBe("weekdays");
    expect(cell(24 + 9, "days")).toBe("weekend");
    expect(cell(24 + 9, "hour")).toBe("9");
    // 12/h at 9 on the weekend is above the weekdays' 6/h: judged by the 24/h peak (hours 8–11)
    expect(Number(cell(24 + 9, "like_weekday_hour"))).toBeGreaterThanOrEqual(8);
    expect(Number(cell(24 + 9, "like_weekday_hour"))).toBeLessThanOrEqual(11);
    expect(cell(9, "like_weekday_hour")).toBe("");
    expect(cell(24 + 9, "schedule_hit_rate")).toBe("");
    const columnsBefore = columns.slice(0, columns.indexOf("days"));
    expect(columnsBefore.at(-1)).toBe("idle_prebuilds");
  });
});
