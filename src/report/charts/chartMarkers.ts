// What a chart frame draws behind the data: shaded windows (faults, inactive periods), strips along
// the bottom (backoff), event lines, and the labels above the plot with their connecting lines.
import type { Group } from "./chartAxes.ts";
import { type ChartLayout, LABEL_SIZE } from "./chartLayout.ts";
import type { FrameSpec } from "./chartSpec.ts";
import { COLORS } from "./palette.ts";

export function drawMarkers(plot: Group, spec: FrameSpec, layout: ChartLayout, hatchId: string): void {
  const { x, plotHeight, laneSpan, labelY } = layout;
  const windows = spec.windows ?? [];
  const events = spec.events ?? [];
  const markers = plot.append("g").attr("class", "markers");
  for (const w of windows) {
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
  events.forEach((e, i) => {
    const p = layout.eventLabels[i];
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
  });
  windows.forEach((w, i) => {
    const p = layout.windowLabels[i];
    if (p === undefined) return;
    markers
      .append("line")
      .attr("x1", x(w.from))
      .attr("x2", x(w.from))
      .attr("y1", labelY(p.row) + 3)
      .attr("y2", 0)
      .attr("stroke", p.color)
      .attr("stroke-width", 1);
  });
  const labelGroup = markers.append("g").attr("class", "marker-labels").attr("font-size", LABEL_SIZE);
  for (const p of layout.labels) {
    labelGroup
      .append("text")
      .attr("x", p.anchor === "start" ? p.x + 3 : p.x - 3)
      .attr("y", labelY(p.row))
      .attr("text-anchor", p.anchor)
      .attr("fill", p.color)
      .text(p.text);
  }
}
