// The chart layout is plain arithmetic: sizes, the x scale and the label rows are checked here
// without drawing anything (the module does not import d3); one property pins the x scale to d3's.
import * as d3 from "d3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CHART_WIDTH,
  chartLayout,
  HEADER,
  LEGEND_WIDTH,
  linearScale,
  placeLabels,
  VALUE_PLOT_WIDTH,
} from "../../src/report/charts/chartLayout.ts";
import type { FrameSpec, LegendItem } from "../../src/report/charts/chartSpec.ts";
import { COLORS } from "../../src/report/charts/palette.ts";
import { HOUR } from "../../src/report/timeUnits.ts";

const legend = (n: number): LegendItem[] =>
  Array.from({ length: n }, (_, i) => ({ label: `series ${i}`, color: "#000000", swatch: "line" }));

function valueSpec(over: Partial<FrameSpec> = {}): FrameSpec {
  return {
    id: "c",
    title: "t",
    subtitle: "s",
    x: { kind: "time", start: 0, end: 2 * HOUR },
    y: { kind: "value", max: 10, label: "count", format: String },
    legend: legend(3),
    ...over,
  };
}

describe("chart sizes", () => {
  it("a value chart: the fixed left margin, the default plot height, no label rows", () => {
    const l = chartLayout(valueSpec());
    expect(l.left).toBe(76);
    expect(l.plotWidth).toBe(VALUE_PLOT_WIDTH);
    expect(l.plotWidth).toBe(CHART_WIDTH - 76 - LEGEND_WIDTH - 24);
    expect(l.plotHeight).toBe(240);
    expect(l.top).toBe(HEADER + 4);
    expect(l.height).toBe(HEADER + 4 + 240 + 50);
    expect(l.labels).toEqual([]);
  });

  it("a legend taller than the plot makes the chart taller", () => {
    const l = chartLayout(valueSpec({ plotHeight: 100, legend: legend(8) }));
    expect(l.height).toBe(l.top + (8 * 20 + 10) + 50);
  });

  it("lanes: the margin fits the longest name within 70–170 px; few lanes grow to the legend", () => {
    const lanes = (names: string[], items = 3): FrameSpec =>
      valueSpec({ y: { kind: "lanes", names, label: "replica" }, legend: legend(items) });
    expect(chartLayout(lanes(["a"])).left).toBe(70);
    expect(chartLayout(lanes(["x".repeat(100)])).left).toBe(170);
    const one = chartLayout(lanes(["replica-0"], 4));
    expect(one.laneHeight).toBe(56); // (4 × 20 + 10) / 1 lane, capped
    expect(one.plotHeight).toBe(56);
    const many = chartLayout(lanes(["a", "b", "c", "d", "e", "f"]));
    expect(many.laneHeight).toBe(34);
    expect(many.plotHeight).toBe(6 * 34);
    expect(many.laneTop(2)).toBe(68);
    expect(many.laneSpan("c")).toEqual([70, 100]);
    expect(many.laneSpan(undefined)).toEqual([0, 6 * 34]);
    expect(many.laneSpan("not a lane")).toEqual([0, 6 * 34]);
  });
});

describe("the x scale", () => {
  it("maps the time span onto the plot; an empty span still has width", () => {
    const l = chartLayout(valueSpec());
    expect(l.xDomain).toEqual([0, 2 * HOUR]);
    expect(l.x(0)).toBe(0);
    expect(l.x(HOUR)).toBe(l.plotWidth / 2);
    expect(l.x(2 * HOUR)).toBe(l.plotWidth);
    expect(chartLayout(valueSpec({ x: { kind: "time", start: 5, end: 5 } })).xDomain).toEqual([5, 6]);
    const values = chartLayout(valueSpec({ x: { kind: "value", max: 0, label: "v", format: String } }));
    expect(values.xDomain).toEqual([0, 1]);
  });

  it("gives d3's linear scale to the last bit (the SVG keeps its bytes)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 42 }),
        fc.integer({ min: 1, max: 2 ** 36 }),
        fc.double({ min: -0.5, max: 1.5, noNaN: true }),
        fc.integer({ min: 100, max: 1000 }),
        (start, span, at, width) => {
          const d3x = d3
            .scaleLinear()
            .domain([start, start + span])
            .range([0, width]);
          const v = start + at * span;
          expect(linearScale(start, start + span, 0, width)(v)).toBe(d3x(v));
        },
      ),
    );
  });
});

describe("labels above the plot", () => {
  it("stack into the first row with room, and end-anchor near the right edge", () => {
    const placed = placeLabels(
      [
        { x: 0, text: "promote v2", color: "a" },
        { x: 10, text: "pause", color: "b" },
        { x: 200, text: "resume", color: "c" },
        { x: 640, text: "near the edge", color: "d" },
      ],
      650,
    );
    expect(placed.map((p) => [p.text, p.row, p.anchor])).toEqual([
      ["promote v2", 0, "start"],
      ["pause", 1, "start"],
      ["resume", 0, "start"],
      ["near the edge", 0, "end"],
    ]);
  });

  it("drop what does not fit in four rows", () => {
    const crowded = Array.from({ length: 6 }, (_, i) => ({ x: i, text: "same place", color: "c" }));
    const placed = placeLabels(crowded, 650);
    expect(placed.map((p) => p.row)).toEqual([0, 1, 2, 3]);
  });

  it("make the header taller by one row each, and markers find their labels", () => {
    const l = chartLayout(
      valueSpec({
        events: [
          { t: 0, label: "promote v2", color: "#111111", dash: false },
          { t: 60_000, label: "pause", color: "#222222", dash: true },
          { t: HOUR, label: "", color: "#333333", dash: false },
        ],
        windows: [
          { from: HOUR, to: 2 * HOUR, kind: "fault", label: "db down", noop: true },
          { from: 0, to: HOUR, kind: "inactive", label: "" },
        ],
      }),
    );
    expect(l.labels.map((p) => [p.text, p.row, p.color])).toEqual([
      ["promote v2", 0, "#111111"],
      ["pause", 1, "#222222"],
      ["db down", 0, COLORS.muted],
    ]);
    expect(l.top).toBe(HEADER + 2 * 14 + 8);
    expect(l.labelY(0)).toBe(-(2 * 14 + 8) + 10);
    expect(l.eventLabels.map((p) => p?.text)).toEqual(["promote v2", "pause", undefined]);
    expect(l.windowLabels.map((p) => p?.text)).toEqual(["db down", undefined]);
  });
});
