// How long each reconcile cycle took (the observations of the reconciliation duration histogram),
// per replica, over virtual time. Filled points held the lock and reconciled; hollow points found
// the lock taken and did little. The duration axis is logarithmic above 1 ms: refused cycles,
// ordinary ones and a stalled one differ by orders of magnitude and must all stay readable.
import { CYCLES_CHART_ID, type PlacedViolation } from "../runModel.ts";
import type { Instant } from "../timeUnits.ts";
import type { CycleRecord } from "../traceDigest.ts";
import { chartFrame } from "./chartFrame.ts";
import type { LegendItem } from "./chartSpec.ts";
import { COLORS, replicaColor } from "./palette.ts";
import { type HrefFor, violationMarkers } from "./runMarkers.ts";
import { circlesPath } from "./shapes.ts";

export interface CycleChartInput {
  cycles: readonly CycleRecord[];
  replicas: readonly string[];
  start: Instant;
  end: Instant;
  p50Seconds: number;
  maxSeconds: number;
  violations: readonly PlacedViolation[];
  href: HrefFor;
}

/** 0, 1 ms, 10 ms, … up to the first power of ten at or above `maxMs`. */
export function durationTicks(maxMs: number): number[] {
  const ticks = [0, 1];
  while ((ticks[ticks.length - 1] as number) < maxMs) ticks.push((ticks[ticks.length - 1] as number) * 10);
  return ticks;
}

function msLabel(ms: number): string {
  if (ms === 0) return "0";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${ms / 1000} s`;
  return `${ms / 60_000} min`;
}

export function cycleChart(input: CycleChartInput): { title: string; svg: string } {
  const { start, end } = input;
  const done = input.cycles.filter(
    (c) => c.to !== null && c.elapsedMs !== null && c.to >= start && c.to <= end,
  );
  const ticks = durationTicks(Math.max(1, ...done.map((c) => c.elapsedMs ?? 0)));
  const violations = violationMarkers(input.violations, CYCLES_CHART_ID, input.href);
  const title = "Reconcile cycle duration";
  const legend: LegendItem[] = input.replicas.map((r, i) => ({
    label: r,
    color: replicaColor(i),
    swatch: "dot",
  }));
  legend.push({ label: "hollow: lock refused", color: COLORS.muted, swatch: "ring" });
  if (violations.some((v) => v.color === COLORS.violation))
    legend.push({ label: "violation", color: COLORS.violation, swatch: "triangle" });
  if (violations.some((v) => v.color === COLORS.allowed))
    legend.push({ label: "allowed break", color: COLORS.allowed, swatch: "triangle" });
  const frame = chartFrame({
    id: CYCLES_CHART_ID,
    title,
    subtitle: `${done.length} cycles; p50 ${(input.p50Seconds * 1000).toFixed(1)} ms, max ${(input.maxSeconds * 1000).toFixed(1)} ms (summary.json)`,
    x: { kind: "time", start, end },
    y: {
      kind: "value",
      max: ticks[ticks.length - 1] as number,
      label: "cycle duration (log scale)",
      format: msLabel,
      scale: "symlog",
      ticks,
    },
    legend,
    violations,
  });
  input.replicas.forEach((replica, i) => {
    const color = replicaColor(i);
    for (const acquired of [false, true]) {
      // Points that land on the same pixel are drawn once: a long run has thousands per column.
      const seen = new Set<string>();
      const points = done
        .filter((c) => c.replica === replica && c.lockAcquired === acquired)
        .map((c) => [frame.x(c.to ?? end), frame.y(c.elapsedMs ?? 0)] as const)
        .filter(([x, y]) => {
          const key = `${Math.round(x)},${Math.round(y)}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
      if (points.length === 0) continue;
      frame.data
        .append("path")
        .attr("class", `cycle-points ${acquired ? "acquired" : "refused"}`)
        .attr("d", circlesPath(points, 2.8))
        .attr("fill", acquired ? color : "#ffffff")
        .attr("stroke", color)
        .attr("stroke-width", 1.2);
    }
  });
  return { title, svg: frame.serialize() };
}
