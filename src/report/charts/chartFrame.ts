// The frame every chart shares: title and subtitle, a row area above the plot for the labels of
// operator events and fault windows (stacked so they never overlap), the plot with its axes and
// grid, shaded windows, markers, a legend on the right, and violation markers that link to the
// report's excerpt of the trace. A chart fills only its `data` group. Where things go is decided
// first (chartLayout.ts, pure); the renderers then draw them, back to front.
import { drawAxes, type Group } from "./chartAxes.ts";
import { CHART_WIDTH, chartLayout, TITLE_SIZE } from "./chartLayout.ts";
import { drawLegend } from "./chartLegend.ts";
import { drawMarkers } from "./chartMarkers.ts";
import type { FrameSpec } from "./chartSpec.ts";
import { drawViolations } from "./chartViolations.ts";
import { COLORS } from "./palette.ts";
import { type SvgRoot, svgDocument } from "./svgDocument.ts";
import { fitText } from "./textMetrics.ts";

export interface Frame {
  /** the group the chart draws its data into, in plot coordinates */
  data: Group;
  x: (v: number) => number;
  /** value axis: pixel of a value; lane axis: top of the lane by index */
  y: (v: number) => number;
  laneHeight: number;
  plotWidth: number;
  plotHeight: number;
  serialize(): string;
}

/** The pattern inactive periods are shaded with (and their legend swatch filled with). */
function defineHatch(svg: SvgRoot, id: string): void {
  svg
    .append("defs")
    .append("pattern")
    .attr("id", id)
    .attr("patternUnits", "userSpaceOnUse")
    .attr("width", 8)
    .attr("height", 8)
    .attr("patternTransform", "rotate(45)")
    .append("rect")
    .attr("width", 3)
    .attr("height", 8)
    .attr("fill", COLORS.inactive)
    .attr("fill-opacity", 0.22);
}

function drawTitles(svg: SvgRoot, spec: FrameSpec): void {
  svg
    .append("text")
    .attr("class", "chart-title")
    .attr("x", 16)
    .attr("y", 24)
    .attr("font-size", TITLE_SIZE)
    .attr("font-weight", "bold")
    .attr("fill", COLORS.ink)
    .text(fitText(spec.title, CHART_WIDTH - 32, TITLE_SIZE));
  svg
    .append("text")
    .attr("class", "chart-subtitle")
    .attr("x", 16)
    .attr("y", 42)
    .attr("font-size", 12)
    .attr("fill", COLORS.muted)
    .text(fitText(spec.subtitle, CHART_WIDTH - 32, 12));
}

export function chartFrame(spec: FrameSpec): Frame {
  const hatchId = `${spec.id}-hatch`;
  const layout = chartLayout(spec);
  const doc = svgDocument(CHART_WIDTH, layout.height, spec.title);
  const svg: SvgRoot = doc.svg;
  defineHatch(svg, hatchId);
  drawTitles(svg, spec);
  const plot: Group = svg
    .append("g")
    .attr("class", "plot")
    .attr("transform", `translate(${layout.left},${layout.top})`);
  const y = drawAxes(svg, plot, spec, layout);
  drawMarkers(plot, spec, layout, hatchId);
  const data: Group = plot.append("g").attr("class", "data");
  drawViolations(plot, spec.violations ?? [], layout);
  drawLegend(svg, spec.legend, layout, hatchId);
  const { x, laneHeight, plotWidth, plotHeight } = layout;
  return { data, x, y, laneHeight, plotWidth, plotHeight, serialize: doc.serialize };
}
