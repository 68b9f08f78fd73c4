import { describe, expect, it } from "vitest";
import { countHours, measureRun, spreadOverLocalHours } from "../../src/sweep/measure.ts";
import { HOUR, MINUTE, runFiles, series, summary, TraceText } from "./runFiles.ts";

const T0 = Date.parse("2026-03-02T07:00:00Z");
const END = T0 + 2 * HOUR;

function build(
  t: TraceText,
  at: number,
  preset: string,
  initiator: string,
  job: string,
  transition: "start" | "delete",
) {
  t.add(at, initiator === "prebuilds" ? "replica-0" : "user-1", "build.create", {
    workspace: `ws-${job}`,
    build: `b-${job}`,
    buildNumber: 1,
    transition,
    initiator,
    preset,
    version: "v",
    job,
    purpose: initiator === "prebuilds" ? "prebuild" : "regular",
    orphan: false,
  });
}

function files(violations = false) {
  const t = new TraceText();
  const state = {};
  t.add(T0, "replica-0", "reconcile.preset", { preset: "dev/v1/small", presetId: "P1", state, actions: [] });
  t.add(T0, "replica-0", "reconcile.preset", {
    preset: "data/v1/notebook",
    presetId: "P2",
    state,
    actions: [],
  });
  build(t, T0 + MINUTE, "P1", "prebuilds", "j1", "start");
  build(t, T0 + MINUTE, "P1", "prebuilds", "j2", "start");
  build(t, T0 + MINUTE, "P2", "prebuilds", "j3", "start");
  build(t, T0 + 50 * MINUTE, "P1", "prebuilds", "j4", "start");
  build(t, T0 + 55 * MINUTE, "P1", "prebuilds", "j5", "delete");
  t.add(T0 + 2 * MINUTE, "provisioner-0", "job.acquire", {
    job: "j1",
    daemon: "provisioner-0",
    queuedMs: 9_999,
  });
  // 07:30Z and 07:40Z are 08:30 and 08:40 in Berlin; 08:10Z is 09:10.
  t.add(T0 + 30 * MINUTE, "user-1", "claim.result", {
    user: "user-1",
    preset: "dev/small",
    hit: true,
    workspace: "A",
  });
  t.add(T0 + 40 * MINUTE, "user-2", "claim.result", {
    user: "user-2",
    preset: "dev/small",
    hit: false,
    workspace: "B",
  });
  build(t, T0 + 40 * MINUTE, "P1", "user-uuid", "j6", "start");
  t.add(T0 + 40 * MINUTE + 4_000, "provisioner-1", "job.acquire", {
    job: "j6",
    daemon: "provisioner-1",
    queuedMs: 4_000,
  });
  t.add(T0 + 45 * MINUTE, "user-3", "claim.result", {
    user: "user-3",
    preset: "data/notebook",
    hit: true,
    workspace: "D",
  });
  t.add(T0 + 70 * MINUTE, "user-4", "claim.result", {
    user: "user-4",
    preset: "dev/small",
    hit: true,
    workspace: "C",
  });
  t.add(T0 + 71 * MINUTE, "user-4", "claim.result", {
    user: "user-4",
    preset: "dev/small",
    hit: false,
    workspace: "",
    error: "template deleted",
  });
  t.add(T0 + 31 * MINUTE, "user-1", "claim.ready", {
    user: "user-1",
    workspace: "A",
    hit: true,
    waitMs: 2_000,
  });
  t.add(T0 + 41 * MINUTE, "user-2", "claim.ready", {
    user: "user-2",
    workspace: "B",
    hit: false,
    waitMs: 60_000,
  });
  t.add(T0 + 46 * MINUTE, "user-3", "claim.ready", {
    user: "user-3",
    workspace: "D",
    hit: true,
    waitMs: 5_000,
  });
  t.add(T0 + 71 * MINUTE, "user-4", "claim.ready", {
    user: "user-4",
    workspace: "C",
    hit: true,
    waitMs: 1_000,
  });
  const s = summary(T0, END, {
    ok: !violations,
    violations: violations
      ? [
          { invariant: "converges", at: "", subject: "", message: "", traceLines: [] },
          { invariant: "converges", at: "", subject: "", message: "", traceLines: [] },
          { invariant: "no-crash", at: "", subject: "", message: "", traceLines: [] },
        ]
      : [],
  });
  return runFiles(s, t, [
    series("dev/v1/small", [
      [T0, 2],
      [T0 + 30 * MINUTE, 1],
      [T0 + HOUR, 3],
    ]),
    series("dev/v2/small", [[T0, 1]]),
    series("data/v1/notebook", [[T0, 5]]),
  ]);
}

describe("measureRun on one preset", () => {
  const m = measureRun(files(), { preset: { template: "dev", preset: "small" }, timezone: "Europe/Berlin" });

  it("counts the preset's claims, the failed request as a miss, by local hour of the answer", () => {
    expect([m.claims, m.hits]).toEqual([4, 2]);
    expect(m.claimsByHour[8]).toBe(2);
    expect(m.hitsByHour[8]).toBe(1);
    expect(m.claimsByHour[9]).toBe(2);
    expect(m.hitsByHour[9]).toBe(1);
    expect(m.claimsByHour.reduce((s, c) => s + c, 0)).toBe(4);
  });

  it("takes nearest-rank p50 and p95 of the preset's waits", () => {
    expect(m.waitP50Seconds).toBe(2);
    expect(m.waitP95Seconds).toBe(60);
  });

  it("integrates running prebuilds of every version of the preset until the end", () => {
    // v1: 2 for 30 min, 1 for 30 min, 3 for an hour; v2: 1 for two hours.
    expect(m.idlePrebuildHours).toBeCloseTo(1 + 0.5 + 3 + 2, 12);
  });

  it("splits idle prebuild-hours by local hour, with the hours the run covered", () => {
    // 07:00–08:00Z is 08:00–09:00 in Berlin: v1 2 then 1, v2 1; 08:00–09:00Z: v1 3, v2 1.
    expect(m.idleByHour[8]).toBeCloseTo(1 + 0.5 + 1, 12);
    expect(m.idleByHour[9]).toBeCloseTo(3 + 1, 12);
    expect(m.idleByHour.reduce((s, h) => s + h, 0)).toBeCloseTo(m.idlePrebuildHours, 12);
    expect(m.coveredByHour.map((h, hour) => [hour, h]).filter(([, h]) => h !== 0)).toEqual([
      [8, 1],
      [9, 1],
    ]);
  });

  it("counts the reconciler's start builds of the preset per simulated hour", () => {
    expect(m.simulatedHours).toBe(2);
    expect(m.prebuildBuildsPerHour).toBe(1.5);
  });

  it("waits of jobs people started, not prebuild jobs", () => {
    expect(m.humanQueueWaitSeconds).toBe(4);
    expect(m.busyFraction).toBe(0.25);
  });

  it("carries the verdict", () => {
    expect([m.seed, m.ok, m.broken, m.wallSeconds]).toEqual([3, true, [], 1.5]);
    const failed = measureRun(files(true), { preset: null, timezone: "UTC" });
    expect([failed.ok, failed.broken]).toEqual([false, ["converges", "no-crash"]]);
  });
});

describe("measureRun on everything", () => {
  const m = measureRun(files(), { preset: null, timezone: "UTC" });

  it("counts every claim, in UTC hours", () => {
    expect([m.claims, m.hits]).toEqual([5, 3]);
    expect(m.claimsByHour[7]).toBe(3);
    expect(m.claimsByHour[8]).toBe(2);
  });

  it("every preset's pool and builds", () => {
    expect(m.idlePrebuildHours).toBeCloseTo(6.5 + 10, 12);
    expect(m.prebuildBuildsPerHour).toBe(2);
    expect(m.waitP95Seconds).toBe(60);
  });
});

describe("spreadOverLocalHours", () => {
  it("splits at local hours of a zone whose offset is a half hour", () => {
    const into = new Array<number>(24).fill(0);
    // 00:00–01:00Z is 05:30–06:30 in Kolkata.
    spreadOverLocalHours(
      Date.parse("2026-03-02T00:00:00Z"),
      Date.parse("2026-03-02T01:00:00Z"),
      2,
      "Asia/Kolkata",
      into,
    );
    expect(into[5]).toBeCloseTo(1, 12);
    expect(into[6]).toBeCloseTo(1, 12);
    expect(into.reduce((s, h) => s + h, 0)).toBeCloseTo(2, 12);
  });
});

describe("countHours", () => {
  it("holds each sample until the next and clips at the end", () => {
    const samples = series("a/b/c", [
      [0, 4],
      [HOUR, 2],
      [3 * HOUR, 9],
    ]).samples;
    expect(countHours(samples, 2 * HOUR, (s) => s.running)).toBe(4 + 2);
  });

  it("no samples, no hours", () => {
    expect(countHours([], HOUR, (s) => s.running)).toBe(0);
  });
});
