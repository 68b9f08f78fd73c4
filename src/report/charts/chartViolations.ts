// Violation markers, drawn on top of everything: a line across the lane (or plot) and a triangle
// above it, each a link to the violation's place in the report.
import type { Group } from "./chartAxes.ts";
import type { ChartLayout } from "./chartLayout.ts";
import type { ViolationMarker } from "./chartSpec.ts";

export function drawViolations(
  plot: Group,
  violations: readonly ViolationMarker[],
  layout: ChartLayout,
): void {
  const g = plot.append("g").attr("class", "violations");
  for (const v of violations) {
    const [y0, y1] = layout.laneSpan(v.lane);
    const px = layout.x(v.t);
    const link = g.append("a").attr("href", v.href);
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
}
