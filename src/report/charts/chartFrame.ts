// The frame every chart shares: title and subtitle, a row area above the plot for the labels of
// operator events and fault windows (stacked so they never overlap), the plot with its axes and
// grid, shaded windows, markers, a legend on the right, and violation markers that link to the
// report's excerpt of the trace. A chart fills only its `data` group.
import * as d3 from "d3";
import { timeAxis } from "../timeTicks.ts";
import type { Instant } from "../timeUnits.ts";
import { COLORS } from "./palette.ts";
import { fitText, type SvgRoot, svgDocument, textWidth } from "./svgDocument.ts";

export const CHART_WIDTH = 960;
const LEGEND_WIDTH = 210;
const VALUE_AXIS_LEFT = 76;
/** The plot width of a chart with a value (not lane) y axis: what decides sample bucketing. */
export const VALUE_PLOT_WIDTH = CHART_WIDTH - VALUE_AXIS_LEFT - LEGEND_WIDTH - 24;
const TITLE_SIZE = 15;
const LABEL_SIZE = 11;
const LABEL_ROW = 14;
const MAX_LABEL_ROWS = 4;
const HEADER = 50;
const BOTTOM = 50;

export interface TimeAxisSpec {
  kind: "time";
  start: Instant;
  end: Instant;
}

export interface ValueAxisSpec {
  kind: "value";
  max: number;
  label: string;
  format: (v: number) => string;
  /** only whole-number ticks (counts) */
  integer?: boolean;
  /** symlog: linear near zero, logarithmic above 1 — for durations spanning orders of magnitude */
  scale?: "linear" | "symlog";
  /** explicit tick values instead of the scale's own */
  ticks?: number[];
}

export interface LaneAxisSpec {
  kind: "lanes";
  names: string[];
  label: string;
}

export type Swatch =
  | "line"
  | "thick-line"
  | "dashed"
  | "dotted"
  | "area"
  | "hatch"
  | "vline"
  | "triangle"
  | "dot"
  | "ring"
  | "tick"
  | "outline"
  | "strip";

export interface LegendItem {
  label: string;
  color: string;
  swatch: Swatch;
  /** as the series is drawn (a pale wide line must look pale in the legend too) */
  opacity?: number;
}

/** A stretch of time shaded behind the data: a fault window, or a version's inactive period. */
export interface WindowMarker {
  from: Instant;
  /** null: an instantaneous fault, drawn as a line */
  to: Instant | null;
  kind: "fault" | "inactive";
  /** shown above the plot; empty for none */
  label: string;
  /** limits the shading to one lane of a lane chart */
  lane?: string;
  /** a fault that changed nothing (a `fault.noop` line): drawn grey */
  noop?: boolean;
}

/** A moment drawn as a vertical line, labelled above the plot: operator action, hard limit, convergence. */
export interface EventMarker {
  t: Instant;
  label: string;
  color: string;
  dash: boolean;
}

/** A stretch drawn as a strip along the bottom of the plot (backoff periods). */
export interface StripMarker {
  from: Instant;
  to: Instant;
  color: string;
  title: string;
}

export interface ViolationMarker {
  t: Instant;
  href: string;
  /** tooltip: invariant and message */
  title: string;
  color: string;
  lane?: string;
}

export interface FrameSpec {
  /** unique on the report page: prefixes ids of patterns */
  id: string;
  title: string;
  subtitle: string;
  x: TimeAxisSpec | ValueAxisSpec;
  y: ValueAxisSpec | LaneAxisSpec;
  /** height of the plot area for a value axis; lanes size themselves */
  plotHeight?: number;
  legend: LegendItem[];
  windows?: WindowMarker[];
  events?: EventMarker[];
  strips?: StripMarker[];
  violations?: ViolationMarker[];
}

type Group = d3.Selection<d3.BaseType, unknown, null, undefined>;

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

const MIN_LANE_HEIGHT = 34;
const MAX_LANE_HEIGHT = 56;

interface PlacedLabel {
  x: number;
  text: string;
  color: string;
  row: number;
  anchor: "start" | "end";
}

/** Puts each label in the first row where it does not overlap; a label with no room is dropped. */
function placeLabels(
  labels: Array<{ x: number; text: string; color: string }>,
  plotWidth: number,
): PlacedLabel[] {
  const rowEnds: number[] = [];
  const placed: PlacedLabel[] = [];
  for (const l of [...labels].sort((a, b) => a.x - b.x)) {
    const w = textWidth(l.text, LABEL_SIZE);
    const anchor = l.x + 3 + w > plotWidth ? "end" : "start";
    const left = anchor === "start" ? l.x + 3 : l.x - 3 - w;
    let row = rowEnds.findIndex((end) => end + 6 <= left);
    if (row === -1 && rowEnds.length < MAX_LABEL_ROWS) row = rowEnds.push(Number.NEGATIVE_INFINITY) - 1;
    if (row === -1) continue;
    rowEnds[row] = left + w;
    placed.push({ ...l, row, anchor });
  }
  return placed;
}

function styleAxis(g: Group): void {
  g.attr("font-family", null).attr("font-size", LABEL_SIZE).attr("fill", null);
  g.selectAll(".domain").attr("stroke", COLORS.axis);
  g.selectAll(".tick line").attr("stroke", COLORS.axis);
  g.selectAll(".tick text").attr("fill", COLORS.ink);
}

function drawSwatch(g: Group, s: Swatch, color: string, hatchId: string, opacity: number): void {
  const line = (dash: string | null, width: number) =>
    g
      .append("line")
      .attr("x1", 0)
      .attr("x2", 22)
      .attr("y1", 0)
      .attr("y2", 0)
      .attr("stroke", color)
      .attr("stroke-width", width)
      .attr("stroke-opacity", opacity)
      .attr("stroke-dasharray", dash);
  switch (s) {
    case "line":
      line(null, 2);
      return;
    case "thick-line":
      line(null, 5);
      return;
    case "dashed":
      line("6 3", 1.5);
      return;
    case "dotted":
      line("2 3", 2);
      return;
    case "area":
      g.append("rect")
        .attr("x", 0)
        .attr("y", -6)
        .attr("width", 22)
        .attr("height", 12)
        .attr("fill", color)
        .attr("fill-opacity", opacity);
      return;
    case "hatch":
      g.append("rect")
        .attr("x", 0)
        .attr("y", -6)
        .attr("width", 22)
        .attr("height", 12)
        .attr("fill", `url(#${hatchId})`)
        .attr("stroke", COLORS.inactive);
      return;
    case "strip":
      g.append("rect")
        .attr("x", 0)
        .attr("y", -5)
        .attr("width", 22)
        .attr("height", 10)
        .attr("fill", color)
        .attr("fill-opacity", 0.85);
      return;
    case "vline":
      g.append("line")
        .attr("x1", 11)
        .attr("x2", 11)
        .attr("y1", -7)
        .attr("y2", 7)
        .attr("stroke", color)
        .attr("stroke-width", 2);
      return;
    case "tick":
      g.append("line")
        .attr("x1", 11)
        .attr("x2", 11)
        .attr("y1", -6)
        .attr("y2", 2)
        .attr("stroke", color)
        .attr("stroke-width", 1.5);
      return;
    case "triangle":
      g.append("path").attr("d", "M5,-6L17,-6L11,5Z").attr("fill", color);
      return;
    case "dot":
      g.append("circle").attr("cx", 11).attr("cy", 0).attr("r", 3.5).attr("fill", color);
      return;
    case "ring":
      g.append("circle")
        .attr("cx", 11)
        .attr("cy", 0)
        .attr("r", 3.5)
        .attr("fill", "#ffffff")
        .attr("stroke", color)
        .attr("stroke-width", 1.5);
      return;
    case "outline":
      g.append("rect")
        .attr("x", 0)
        .attr("y", -5)
        .attr("width", 22)
        .attr("height", 10)
        .attr("fill", "none")
        .attr("stroke", color)
        .attr("stroke-width", 1.5);
      return;
  }
}

export function chartFrame(spec: FrameSpec): Frame {
  const hatchId = `${spec.id}-hatch`;
  const laneNames = spec.y.kind === "lanes" ? spec.y.names : [];
  const left =
    spec.y.kind === "lanes"
      ? Math.min(170, Math.max(70, ...laneNames.map((n) => textWidth(n, LABEL_SIZE) + 18)))
      : VALUE_AXIS_LEFT;
  const plotWidth = CHART_WIDTH - left - LEGEND_WIDTH - 24;
  const legendHeight = spec.legend.length * 20 + 10;
  // Few lanes grow taller to match the legend beside them, instead of leaving a blank band below.
  const laneHeight = Math.max(
    MIN_LANE_HEIGHT,
    Math.min(MAX_LANE_HEIGHT, Math.ceil(legendHeight / Math.max(1, laneNames.length))),
  );
  const plotHeight =
    spec.y.kind === "lanes" ? Math.max(1, laneNames.length) * laneHeight : (spec.plotHeight ?? 240);

  const x =
    spec.x.kind === "time"
      ? d3
          .scaleLinear()
          .domain([spec.x.start, Math.max(spec.x.end, spec.x.start + 1)])
          .range([0, plotWidth])
      : d3
          .scaleLinear()
          .domain([0, Math.max(spec.x.max, 1)])
          .range([0, plotWidth]);

  // Labels above the plot decide how tall the header is, so they are laid out first.
  const labels = [
    ...(spec.windows ?? [])
      .filter((w) => w.label !== "")
      .map((w) => ({
        x: x(w.from),
        text: w.label,
        color: w.kind === "fault" ? (w.noop === true ? COLORS.muted : COLORS.faultLabel) : COLORS.inactive,
      })),
    ...(spec.events ?? [])
      .filter((e) => e.label !== "")
      .map((e) => ({ x: x(e.t), text: e.label, color: e.color })),
  ];
  const placed = placeLabels(labels, plotWidth);
  const rows = placed.reduce((n, p) => Math.max(n, p.row + 1), 0);
  const top = HEADER + rows * LABEL_ROW + (rows > 0 ? 8 : 4);
  const height = top + Math.max(plotHeight, legendHeight) + BOTTOM;

  const doc = svgDocument(CHART_WIDTH, height, spec.title);
  const svg: SvgRoot = doc.svg;
  const defs = svg.append("defs");
  defs
    .append("pattern")
    .attr("id", hatchId)
    .attr("patternUnits", "userSpaceOnUse")
    .attr("width", 8)
    .attr("height", 8)
    .attr("patternTransform", "rotate(45)")
    .append("rect")
    .attr("width", 3)
    .attr("height", 8)
    .attr("fill", COLORS.inactive)
    .attr("fill-opacity", 0.22);

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

  const plot: Group = svg.append("g").attr("class", "plot").attr("transform", `translate(${left},${top})`);

  // y: value scale, or lanes
  let y: (v: number) => number;
  if (spec.y.kind === "value") {
    const yAxisSpec = spec.y;
    const top = Math.max(yAxisSpec.max, yAxisSpec.integer ? 1 : Number.MIN_VALUE);
    const scale =
      yAxisSpec.scale === "symlog"
        ? d3.scaleSymlog().domain([0, top]).range([plotHeight, 0])
        : d3.scaleLinear().domain([0, top]).nice(6).range([plotHeight, 0]);
    let ticks = yAxisSpec.ticks ?? scale.ticks(6);
    if (yAxisSpec.integer) ticks = ticks.filter(Number.isInteger);
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
        .tickFormat((d) => yAxisSpec.format(Number(d)))
        .tickSizeOuter(0),
    );
    styleAxis(axis);
    y = scale;
  } else {
    const names = spec.y.names;
    const band = (i: number) => i * laneHeight;
    plot
      .append("g")
      .attr("class", "grid")
      .selectAll("rect")
      .data(names)
      .join("rect")
      .attr("x", 0)
      .attr("y", (_, i) => band(i) + 2)
      .attr("width", plotWidth)
      .attr("height", laneHeight - 4)
      .attr("fill", "#f4f4f4");
    const scale = d3.scaleBand<string>().domain(names).range([0, plotHeight]);
    const axis = plot.append("g").attr("class", "axis y-axis");
    axis.call(d3.axisLeft(scale).tickSize(0).tickPadding(8));
    styleAxis(axis);
    axis.selectAll(".tick text").text((d) => fitText(String(d), left - 14, LABEL_SIZE));
    y = band;
  }
  svg
    .append("text")
    .attr("class", "axis-title")
    .attr("transform", `translate(14,${top + plotHeight / 2}) rotate(-90)`)
    .attr("text-anchor", "middle")
    .attr("font-size", 12)
    .attr("fill", COLORS.ink)
    .text(spec.y.label);

  // x axis
  const xAxis = plot.append("g").attr("class", "axis x-axis").attr("transform", `translate(0,${plotHeight})`);
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

  // Shading and markers behind the data.
  const markers = plot.append("g").attr("class", "markers");
  const laneSpan = (lane: string | undefined): [number, number] => {
    const i = lane === undefined ? -1 : laneNames.indexOf(lane);
    return i === -1 ? [0, plotHeight] : [y(i) + 2, y(i) + laneHeight - 2];
  };
  for (const w of spec.windows ?? []) {
    const [y0, y1] = laneSpan(w.lane);
    if (w.to === null) {
      markers
        .append("line")
        .attr("x1", x(w.from))
        .attr("x2", x(w.from))
        .attr("y1", y0)
        .attr("y2", y1)
        .attr("stroke", w.noop === true ? COLORS.muted : COLORS.faultLabel)
        .attr("stroke-width", 1.5)
        .attr("stroke-dasharray", "2 2");
      continue;
    }
    markers
      .append("rect")
      .attr("x", x(w.from))
      .attr("y", y0)
      .attr("width", Math.max(1, x(w.to) - x(w.from)))
      .attr("height", y1 - y0)
      .attr("fill", w.kind === "fault" ? (w.noop === true ? COLORS.grid : COLORS.fault) : `url(#${hatchId})`);
  }
  for (const s of spec.strips ?? []) {
    markers
      .append("rect")
      .attr("x", x(s.from))
      .attr("y", plotHeight - 10)
      .attr("width", Math.max(2, x(s.to) - x(s.from)))
      .attr("height", 10)
      .attr("fill", s.color)
      .attr("fill-opacity", 0.85)
      .append("title")
      .text(s.title);
  }
  const labelY = (row: number) => -(top - HEADER) + row * LABEL_ROW + 10;
  const placedByX = new Map<string, PlacedLabel>(placed.map((p) => [`${p.x}\u0000${p.text}`, p]));
  for (const e of spec.events ?? []) {
    const p = placedByX.get(`${x(e.t)}\u0000${e.label}`);
    markers
      .append("line")
      .attr("x1", x(e.t))
      .attr("x2", x(e.t))
      .attr("y1", p === undefined ? 0 : labelY(p.row) + 3)
      .attr("y2", plotHeight)
      .attr("stroke", e.color)
      .attr("stroke-width", 1.5)
      .attr("stroke-dasharray", e.dash ? "5 3" : null)
      .append("title")
      .text(e.label);
  }
  for (const w of spec.windows ?? []) {
    const p = placedByX.get(`${x(w.from)}\u0000${w.label}`);
    if (p === undefined) continue;
    markers
      .append("line")
      .attr("x1", x(w.from))
      .attr("x2", x(w.from))
      .attr("y1", labelY(p.row) + 3)
      .attr("y2", 0)
      .attr("stroke", p.color)
      .attr("stroke-width", 1);
  }
  const labelGroup = markers.append("g").attr("class", "marker-labels").attr("font-size", LABEL_SIZE);
  for (const p of placed) {
    labelGroup
      .append("text")
      .attr("x", p.anchor === "start" ? p.x + 3 : p.x - 3)
      .attr("y", labelY(p.row))
      .attr("text-anchor", p.anchor)
      .attr("fill", p.color)
      .text(p.text);
  }

  const data: Group = plot.append("g").attr("class", "data");

  // Violations on top of everything, each a link to its place in the report.
  const violations = plot.append("g").attr("class", "violations");
  for (const v of spec.violations ?? []) {
    const [y0, y1] = laneSpan(v.lane);
    const px = x(v.t);
    const link = violations.append("a").attr("href", v.href);
    link.append("title").text(v.title);
    link
      .append("line")
      .attr("x1", px)
      .attr("x2", px)
      .attr("y1", y0)
      .attr("y2", y1)
      .attr("stroke", v.color)
      .attr("stroke-width", 1.5)
      .attr("stroke-opacity", 0.7);
    link
      .append("path")
      .attr("d", `M${px - 7},${y0 - 4}L${px + 7},${y0 - 4}L${px},${y0 + 8}Z`)
      .attr("fill", v.color)
      .attr("stroke", "#ffffff")
      .attr("stroke-width", 1);
  }

  // Legend, right of the plot.
  const legend = svg
    .append("g")
    .attr("class", "legend")
    .attr("transform", `translate(${left + plotWidth + 24},${top + 6})`)
    .attr("font-size", 12);
  spec.legend.forEach((item, i) => {
    const row = legend.append("g").attr("transform", `translate(0,${i * 20})`);
    drawSwatch(row, item.swatch, item.color, hatchId, item.opacity ?? 1);
    row
      .append("text")
      .attr("x", 30)
      .attr("y", 4)
      .attr("fill", COLORS.ink)
      .text(fitText(item.label, LEGEND_WIDTH - 34, 12));
  });

  return { data, x, y, laneHeight, plotWidth, plotHeight, serialize: doc.serialize };
}
