// The axes of a chart frame: the y axis (a value scale with its grid lines, or one band per lane),
// the x axis (time ticks, or a value scale) and both axis titles, at the places the layout gave.
import * as d3 from "d3";
import { timeAxis } from "../timeTicks.ts";
import type { ChartLayout } from "./chartLayout.ts";
import { LABEL_SIZE } from "./chartLayout.ts";
import type { FrameSpec, LaneAxisSpec, ValueAxisSpec } from "./chartSpec.ts";
import { COLORS } from "./palette.ts";
import type { SvgRoot } from "./svgDocument.ts";
import { fitText } from "./textMetrics.ts";

export type Group = d3.Selection<d3.BaseType, unknown, null, undefined>;

function styleAxis(g: Group): void {
  g.attr("font-family", null).attr("font-size", LABEL_SIZE).attr("fill", null);
  g.selectAll(".domain").attr("stroke", COLORS.axis);
  g.selectAll(".tick line").attr("stroke", COLORS.axis);
  g.selectAll(".tick text").attr("fill", COLORS.ink);
}

/** A value y axis with grid lines across the plot; returns the pixel of a value. */
function drawValueAxis(plot: Group, spec: ValueAxisSpec, layout: ChartLayout): (v: number) => number {
  const { plotWidth, plotHeight } = layout;
  const top = Math.max(spec.max, spec.integer ? 1 : Number.MIN_VALUE);
  const scale =
    spec.scale === "symlog"
      ? d3.scaleSymlog().domain([0, top]).range([plotHeight, 0])
      : d3.scaleLinear().domain([0, top]).nice(6).range([plotHeight, 0]);
  let ticks = spec.ticks ?? scale.ticks(6);
  if (spec.integer) ticks = ticks.filter(Number.isInteger);
  plot
    .append("g")
    .attr("class", "grid")
    .selectAll("line")
    .data(ticks)
    .join("line")
    .attr("x1", 0)
    .attr("x2", plotWidth)
    .attr("y1", (d) => scale(d))
    .attr("y2", (d) => scale(d))
    .attr("stroke", COLORS.grid);
  const axis = plot.append("g").attr("class", "axis y-axis");
  axis.call(
    d3
      .axisLeft(scale)
      .tickValues(ticks)
      .tickFormat((d) => spec.format(Number(d)))
      .tickSizeOuter(0),
  );
  styleAxis(axis);
  return scale;
}

/** One shaded band per lane, named on the left; returns the top of a lane by index. */
function drawLaneAxis(plot: Group, spec: LaneAxisSpec, layout: ChartLayout): (i: number) => number {
  const { plotWidth, plotHeight, laneHeight, laneTop, left } = layout;
  const names = spec.names;
  plot
    .append("g")
    .attr("class", "grid")
    .selectAll("rect")
    .data(names)
    .join("rect")
    .attr("x", 0)
    .attr("y", (_, i) => laneTop(i) + 2)
    .attr("width", plotWidth)
    .attr("height", laneHeight - 4)
    .attr("fill", "#f4f4f4");
  const scale = d3.scaleBand<string>().domain(names).range([0, plotHeight]);
  const axis = plot.append("g").attr("class", "axis y-axis");
  axis.call(d3.axisLeft(scale).tickSize(0).tickPadding(8));
  styleAxis(axis);
  axis.selectAll(".tick text").text((d) => fitText(String(d), left - 14, LABEL_SIZE));
  return laneTop;
}

/** Draws both axes and their titles; returns the frame's y (value pixel, or lane top by index). */
export function drawAxes(
  svg: SvgRoot,
  plot: Group,
  spec: FrameSpec,
  layout: ChartLayout,
): (v: number) => number {
  const { left, top, plotWidth, plotHeight } = layout;
  const y =
    spec.y.kind === "value" ? drawValueAxis(plot, spec.y, layout) : drawLaneAxis(plot, spec.y, layout);
  svg
    .append("text")
    .attr("class", "axis-title")
    .attr("transform", `translate(14,${top + plotHeight / 2}) rotate(-90)`)
    .attr("text-anchor", "middle")
    .attr("font-size", 12)
    .attr("fill", COLORS.ink)
    .text(spec.y.label);

  const xAxis = plot.append("g").attr("class", "axis x-axis").attr("transform", `translate(0,${plotHeight})`);
  const x = d3.scaleLinear().domain(layout.xDomain).range([0, plotWidth]);
  let xTitle: string;
  if (spec.x.kind === "time") {
    const axisTicks = timeAxis(spec.x.start, spec.x.end, Math.floor(plotWidth / 95));
    xAxis.call(
      d3
        .axisBottom(x)
        .tickValues(axisTicks.ticks)
        .tickFormat((d) => axisTicks.label(Number(d)))
        .tickSizeOuter(0),
    );
    xTitle = axisTicks.title;
  } else {
    const valueSpec = spec.x;
    const axis = d3.axisBottom(x).tickSizeOuter(0);
    if (valueSpec.ticks !== undefined) axis.tickValues(valueSpec.ticks);
    else axis.ticks(10);
    xAxis.call(axis.tickFormat((d) => valueSpec.format(Number(d))));
    xTitle = valueSpec.label;
  }
  styleAxis(xAxis);
  svg
    .append("text")
    .attr("class", "axis-title")
    .attr("x", left + plotWidth / 2)
    .attr("y", top + plotHeight + 40)
    .attr("text-anchor", "middle")
    .attr("font-size", 12)
    .attr("fill", COLORS.ink)
    .text(xTitle);
  return y;
}
