import { describe, expect, it } from "vitest";
import { claimBins, claimBinWidth } from "../../src/report/charts/claimsChart.ts";
import { durationTicks } from "../../src/report/charts/cycleChart.ts";
import { bucketMeans, splitByActivity } from "../../src/report/charts/presetChart.ts";
import { bucketPeaks } from "../../src/report/charts/queueChart.ts";
import { buildFaults, presetFaults } from "../../src/report/charts/runMarkers.ts";
import { bucketize, bucketWidth, stepChanges } from "../../src/report/charts/sampleBuckets.ts";
import { circlesPath, intervalRectsPath, ticksPath } from "../../src/report/charts/shapes.ts";
import { fitText, textWidth } from "../../src/report/charts/textMetrics.ts";
import { binPosition, waitEdges } from "../../src/report/charts/waitHistogram.ts";
import { niceStep } from "../../src/report/timeTicks.ts";
import { DAY, HOUR, MINUTE, SECOND } from "../../src/report/timeUnits.ts";
import type { FaultWindow } from "../../src/report/traceDigest.ts";
import type { PresetSample } from "../../src/trace/timeseries.ts";

describe("claim bins", () => {
  it.each([
    ["ten minutes", 10 * MINUTE, MINUTE],
    ["three hours", 3 * HOUR, 5 * MINUTE],
    ["eight hours", 8 * HOUR, 10 * MINUTE],
    ["a week", 7 * DAY, 3 * HOUR],
    ["ninety days", 90 * DAY, 2 * DAY],
  ])("%s get the narrowest width with at most 60 bins", (_, span, width) => {
    expect(claimBinWidth(0, span)).toBe(width);
  });
  it("counts hits and misses per bin, the last bin taking the end instant", () => {
    const bins = claimBins(
      [
        { t: 0, preset: "p", hit: true },
        { t: 59_999, preset: "p", hit: false },
        { t: 60_000, preset: "p", hit: true },
        { t: 120_000, preset: "p", hit: true },
      ],
      0,
      120_000,
      MINUTE,
    );
    expect(bins).toEqual([
      { from: 0, hits: 1, misses: 1 },
      { from: 60_000, hits: 2, misses: 0 },
    ]);
  });
});

describe("wait histogram bins", () => {
  it("ends at the first round duration above the longest wait, and at least at a minute", () => {
    expect(waitEdges(12 * SECOND)).toEqual([0, 1, 2, 5, 10, 20, 30, 60].map((s) => s * SECOND));
    expect(waitEdges(4 * MINUTE).slice(-3)).toEqual([2 * MINUTE, 3 * MINUTE, 5 * MINUTE]);
    expect(waitEdges(3 * DAY).slice(-2)).toEqual([2 * DAY, 4 * DAY]);
  });
  it("places a duration by bin index and fraction into its bin", () => {
    const edges = waitEdges(MINUTE);
    expect(binPosition(0, edges)).toBe(0);
    expect(binPosition(15 * SECOND, edges)).toBe(4.5);
    expect(binPosition(MINUTE, edges)).toBe(edges.length - 1);
  });
});

describe("cycle duration ticks", () => {
  it("are 0 and powers of ten up to the longest cycle", () => {
    expect(durationTicks(2600)).toEqual([0, 1, 10, 100, 1000, 10_000]);
    expect(durationTicks(0.5)).toEqual([0, 1]);
  });
});

describe("splitByActivity", () => {
  const s = (t: number): PresetSample => ({
    t,
    desired: 1,
    running: 1,
    eligible: 1,
    starting: 0,
    stopping: 0,
    deleting: 0,
    failed: 0,
  });
  it("groups samples by activity, each group ending on the next group's first sample", () => {
    const runs = splitByActivity([s(0), s(10), s(20), s(30), s(40)], [{ from: 20, to: 40 }]);
    expect(runs.map((r) => [r.inactive, r.samples.map((x) => x.t)])).toEqual([
      [false, [0, 10, 20]],
      [true, [20, 30, 40]],
      [false, [40]],
    ]);
  });
});

describe("shapes and text", () => {
  it("draw many shapes as one path", () => {
    const x = (t: number) => t / 2;
    expect(intervalRectsPath([{ from: 0, to: 10 }], x, 5, 4, 1)).toBe("M0,5h5v4h-5Z");
    expect(intervalRectsPath([{ from: 4, to: 4 }], x, 0, 1, 1.5)).toBe("M2,0h1.5v1h-1.5Z");
    expect(ticksPath([1, 2.345], 3, 5)).toBe("M1,3v5M2.35,3v5");
    expect(circlesPath([[10, 20]], 2)).toBe("M8,20a2,2 0 1,0 4,0a2,2 0 1,0 -4,0Z");
  });
  it("cut a label that would not fit, with an ellipsis", () => {
    expect(fitText("short", 100, 12)).toBe("short");
    const cut = fitText("a very long replica name indeed", 80, 12);
    expect(cut.endsWith("…")).toBe(true);
    expect(textWidth(cut, 12)).toBeLessThanOrEqual(80);
  });
});

describe("sample buckets for long runs", () => {
  const s = (t: number, running: number): PresetSample => ({
    t,
    desired: 2,
    running,
    eligible: running,
    starting: 0,
    stopping: 0,
    deleting: 0,
    failed: 0,
  });
  it("are used only when there are more samples than plot pixels, at a round width of about three pixels", () => {
    expect(bucketWidth(600, 0, 10 * HOUR, 600)).toBeNull();
    expect(bucketWidth(2880, 0, 2 * DAY, 600)).toBe(15 * MINUTE);
  });
  it("group items by bucket start, leaving out empty buckets", () => {
    const buckets = bucketize([{ t: 0 }, { t: 59 }, { t: 130 }], 0, 60);
    expect(buckets.map((b) => [b.t, b.items.length])).toEqual([
      [0, 2],
      [120, 1],
    ]);
  });
  it("keep only the points where a step line changes, and the last", () => {
    const points = [1, 1, 2, 2, 2, 3, 3].map((v, t) => ({ t, v }));
    expect(stepChanges(points, (p) => p.v).map((p) => p.t)).toEqual([0, 2, 5, 6]);
  });
  it("draw preset means per bucket and the running min–max band, closed at the bucket's end", () => {
    const { means, running } = bucketMeans([s(0, 1), s(30, 3), s(60, 2)], 0, 90, 60);
    expect(means.map((m) => [m.t, m.running])).toEqual([
      [0, 2],
      [60, 2],
      [90, 2],
    ]);
    expect(running).toEqual([
      { t: 0, min: 1, max: 3 },
      { t: 60, min: 2, max: 2 },
      { t: 90, min: 2, max: 2 },
    ]);
  });
  it("keep the deepest queue of each bucket", () => {
    const q = (t: number, prebuild: number, human: number, runningJobs: number) => ({
      t,
      prebuild,
      human,
      running: runningJobs,
    });
    expect(bucketPeaks([q(0, 1, 0, 2), q(30, 4, 1, 1), q(60, 0, 0, 0)], 0, 120, 60)).toEqual([
      { t: 0, prebuild: 4, human: 1, running: 2 },
      { t: 60, prebuild: 0, human: 0, running: 0 },
      { t: 120, prebuild: 0, human: 0, running: 0 },
    ]);
  });
  it("round bucket widths up to nice durations", () => {
    expect(niceStep(7 * MINUTE)).toBe(10 * MINUTE);
    expect(niceStep(9 * DAY)).toBe(14 * DAY);
  });
});

describe("fault markers of a preset chart", () => {
  const T = 1_000_000;
  const faults: FaultWindow[] = [
    { fault: "build-failures", from: T, to: T + 10, line: 1, preset: "dev/small" },
    { fault: "build-failures", from: T, to: T + 10, line: 2, preset: "dev/large" },
    { fault: "provisioner-outage", from: T, to: T + 10, line: 3 },
    { fault: "lock-connection-lost", from: T + 5, to: null, line: 4, replica: 0 },
    { fault: "replica-crash", from: T + 6, to: T + 9, line: 5, replica: "b", noop: true },
  ];
  const small = { key: "dev/v1/small", short: "dev/small" };

  it("marks replica faults on every preset, besides the faults aimed at it or at all", () => {
    expect(presetFaults(faults, small).map((w) => w.label)).toEqual([
      "build-failures",
      "provisioner-outage",
      "lock-connection-lost (replica 0)",
      "replica-crash (replica b), no effect",
    ]);
    // The claims and queue charts keep to the faults not aimed at a replica.
    expect(buildFaults(faults).map((w) => w.label)).toEqual([
      "build-failures",
      "build-failures",
      "provisioner-outage",
    ]);
  });

  it("flags a fault without effect so the frame draws it grey", () => {
    expect(presetFaults(faults, small).map((w) => w.noop === true)).toEqual([false, false, false, true]);
  });
});
