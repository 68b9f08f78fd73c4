// Where everything of a chart goes, decided before anything is drawn and without d3: the left
// margin, plot and lane sizes, the time (or value) x scale, the rows of labels above the plot —
// which decide how tall the header is — and the chart's height. The renderers only draw at these
// places (chartFrame.ts puts them together).
import type { FrameSpec } from "./chartSpec.ts";
import { COLORS } from "./palette.ts";
import { textWidth } from "./textMetrics.ts";

export const CHART_WIDTH = 960;
export const LEGEND_WIDTH = 210;
const VALUE_AXIS_LEFT = 76;
/** The plot width of a chart with a value (not lane) y axis: what decides sample bucketing. */
export const VALUE_PLOT_WIDTH = CHART_WIDTH - VALUE_AXIS_LEFT - LEGEND_WIDTH - 24;
export const TITLE_SIZE = 15;
export const LABEL_SIZE = 11;
const LABEL_ROW = 14;
const MAX_LABEL_ROWS = 4;
/** title and subtitle */
export const HEADER = 50;
const BOTTOM = 50;
const MIN_LANE_HEIGHT = 34;
const MAX_LANE_HEIGHT = 56;
const DEFAULT_PLOT_HEIGHT = 240;

/** A label above the plot, in plot coordinates, on its row. */
export interface PlacedLabel {
  x: number;
  text: string;
  color: string;
  row: number;
  anchor: "start" | "end";
}

export interface ChartLayout {
  /** the plot's left edge: the y axis and its labels are left of it */
  left: number;
  /** the plot's top edge: title, subtitle and the label rows are above it */
  top: number;
  plotWidth: number;
  plotHeight: number;
  /** the whole chart's height */
  height: number;
  /** lane charts: the height of one lane (value charts compute it too, unused) */
  laneHeight: number;
  /** the x axis's domain, mapped onto [0, plotWidth] */
  xDomain: [number, number];
  /** pixel of an x value (a time or a value), as d3's linear scale over `xDomain` gives it */
  x: (v: number) => number;
  /** top of the lane with this index */
  laneTop: (i: number) => number;
  /** the vertical extent a marker on `lane` covers: that lane, or the whole plot */
  laneSpan: (lane: string | undefined) => [number, number];
  labels: PlacedLabel[];
  /** baseline of a label row, in plot coordinates (above the plot: negative) */
  labelY: (row: number) => number;
  /** per `spec.events` entry: its placed label, or undefined when it has none or no room */
  eventLabels: Array<PlacedLabel | undefined>;
  /** per `spec.windows` entry: its placed label, or undefined */
  windowLabels: Array<PlacedLabel | undefined>;
}

/** Puts each label in the first row where it does not overlap; a label with no room is dropped. */
export function placeLabels(
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

/**
 * d3's linear scale from [d0, d1] onto [r0, r1], computed the way d3 computes it (normalise, then
 * interpolate), so every position is the same number to the last bit and the SVG the same bytes.
 */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  return (v) => {
    const t = (v - d0) / span;
    return r0 * (1 - t) + r1 * t;
  };
}

export function chartLayout(spec: FrameSpec): ChartLayout {
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
    spec.y.kind === "lanes"
      ? Math.max(1, laneNames.length) * laneHeight
      : (spec.plotHeight ?? DEFAULT_PLOT_HEIGHT);

  const xDomain: [number, number] =
    spec.x.kind === "time"
      ? [spec.x.start, Math.max(spec.x.end, spec.x.start + 1)]
      : [0, Math.max(spec.x.max, 1)];
  const x = linearScale(xDomain[0], xDomain[1], 0, plotWidth);

  // Labels above the plot decide how tall the header is, so they are laid out first.
  const labels = placeLabels(
    [
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
    ],
    plotWidth,
  );
  const rows = labels.reduce((n, p) => Math.max(n, p.row + 1), 0);
  const top = HEADER + rows * LABEL_ROW + (rows > 0 ? 8 : 4);
  const height = top + Math.max(plotHeight, legendHeight) + BOTTOM;

  // A marker finds its label by position and text: markers with both alike share one label.
  const byPlace = new Map(labels.map((p) => [`${p.x}\u0000${p.text}`, p]));
  const laneTop = (i: number) => i * laneHeight;
  return {
    left,
    top,
    plotWidth,
    plotHeight,
    height,
    laneHeight,
    xDomain,
    x,
    laneTop,
    laneSpan: (lane) => {
      const i = lane === undefined ? -1 : laneNames.indexOf(lane);
      return i === -1 ? [0, plotHeight] : [laneTop(i) + 2, laneTop(i) + laneHeight - 2];
    },
    labels,
    labelY: (row) => -(top - HEADER) + row * LABEL_ROW + 10,
    eventLabels: (spec.events ?? []).map((e) => byPlace.get(`${x(e.t)}\u0000${e.label}`)),
    windowLabels: (spec.windows ?? []).map((w) => byPlace.get(`${x(w.from)}\u0000${w.label}`)),
  };
}
