// The legend right of the plot: one row per series, its swatch drawn from the table below (one
// shape per kind of mark a chart draws) and its label cut to the legend's width.
import type { Group } from "./chartAxes.ts";
import { type ChartLayout, LEGEND_WIDTH } from "./chartLayout.ts";
import type { LegendItem, Swatch } from "./chartSpec.ts";
import { COLORS } from "./palette.ts";
import type { SvgRoot } from "./svgDocument.ts";
import { fitText } from "./textMetrics.ts";

interface Ink {
  color: string;
  opacity: number;
  /** the id of the frame's hatch pattern (inactive periods) */
  hatch: string;
}

type Attrs = Record<string, string | number | null>;

/** A swatch: an SVG element and its attributes, in the order they are written, in a 22×12 box. */
interface SwatchShape {
  tag: "line" | "rect" | "path" | "circle";
  attrs: (ink: Ink) => Attrs;
}

const lineSwatch = (dash: string | null, width: number): SwatchShape => ({
  tag: "line",
  attrs: ({ color, opacity }) => ({
    x1: 0,
    x2: 22,
    y1: 0,
    y2: 0,
    stroke: color,
    "stroke-width": width,
    "stroke-opacity": opacity,
    "stroke-dasharray": dash,
  }),
});

export const SWATCHES: Record<Swatch, SwatchShape> = {
  line: lineSwatch(null, 2),
  "thick-line": lineSwatch(null, 5),
  dashed: lineSwatch("6 3", 1.5),
  dotted: lineSwatch("2 3", 2),
  area: {
    tag: "rect",
    attrs: ({ color, opacity }) => ({
      x: 0,
      y: -6,
      width: 22,
      height: 12,
      fill: color,
      "fill-opacity": opacity,
    }),
  },
  hatch: {
    tag: "rect",
    attrs: ({ hatch }) => ({
      x: 0,
      y: -6,
      width: 22,
      height: 12,
      fill: `url(#${hatch})`,
      stroke: COLORS.inactive,
    }),
  },
  strip: {
    tag: "rect",
    attrs: ({ color }) => ({ x: 0, y: -5, width: 22, height: 10, fill: color, "fill-opacity": 0.85 }),
  },
  vline: {
    tag: "line",
    attrs: ({ color }) => ({ x1: 11, x2: 11, y1: -7, y2: 7, stroke: color, "stroke-width": 2 }),
  },
  tick: {
    tag: "line",
    attrs: ({ color }) => ({ x1: 11, x2: 11, y1: -6, y2: 2, stroke: color, "stroke-width": 1.5 }),
  },
  triangle: { tag: "path", attrs: ({ color }) => ({ d: "M5,-6L17,-6L11,5Z", fill: color }) },
  dot: { tag: "circle", attrs: ({ color }) => ({ cx: 11, cy: 0, r: 3.5, fill: color }) },
  ring: {
    tag: "circle",
    attrs: ({ color }) => ({ cx: 11, cy: 0, r: 3.5, fill: "#ffffff", stroke: color, "stroke-width": 1.5 }),
  },
  outline: {
    tag: "rect",
    attrs: ({ color }) => ({
      x: 0,
      y: -5,
      width: 22,
      height: 10,
      fill: "none",
      stroke: color,
      "stroke-width": 1.5,
    }),
  },
};

function drawSwatch(g: Group, item: LegendItem, hatch: string): void {
  const shape = SWATCHES[item.swatch];
  const el = g.append(shape.tag);
  for (const [name, value] of Object.entries(
    shape.attrs({ color: item.color, opacity: item.opacity ?? 1, hatch }),
  ))
    el.attr(name, value);
}

export function drawLegend(
  svg: SvgRoot,
  legend: readonly LegendItem[],
  layout: ChartLayout,
  hatchId: string,
): void {
  const g = svg
    .append("g")
    .attr("class", "legend")
    .attr("transform", `translate(${layout.left + layout.plotWidth + 24},${layout.top + 6})`)
    .attr("font-size", 12);
  legend.forEach((item, i) => {
    const row = g.append("g").attr("transform", `translate(0,${i * 20})`);
    drawSwatch(row, item, hatchId);
    row
      .append("text")
      .attr("x", 30)
      .attr("y", 4)
      .attr("fill", COLORS.ink)
      .text(fitText(item.label, LEGEND_WIDTH - 34, 12));
  });
}
