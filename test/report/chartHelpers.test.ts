import { describe, expect, it } from "vitest";
import { claimBins, claimBinWidth } from "../../src/report/charts/claimsChart.ts";
import { durationTicks } from "../../src/report/charts/cycleChart.ts";
import { splitByActivity } from "../../src/report/charts/presetChart.ts";
import { circlesPath, intervalRectsPath, ticksPath } from "../../src/report/charts/shapes.ts";
import { fitText, textWidth } from "../../src/report/charts/svgDocument.ts";
import { binPosition, waitEdges } from "../../src/report/charts/waitHistogram.ts";
import { DAY, HOUR, MINUTE, SECOND } from "../../src/report/timeUnits.ts";
import type { PresetSample } from "../../src/trace/timeseries.ts";

describe("claim bins", () => {
  it.each([
    ["ten minutes", 10 * MINUTE, MINUTE],
    ["three hours", 3 * HOUR, 5 * MINUTE],
    ["eight hours", 8 * HOUR, 10 * MINUTE],
    ["a week", 7 * DAY, 3 * HOUR],
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
