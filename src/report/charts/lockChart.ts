// The reconciliation lock, one lane per replica: when each held it, when it was refused (another
// replica held it: contention), its reconcile cycles underneath, and — in red — what happens after a
// lost lock connection: the cycle that keeps running without the lock, filled where another
// replica already holds it (two replicas reconciling at once).

import { coalesceForDrawing } from "../intervals.ts";
import type { LockTimeline } from "../lockTimeline.ts";
import { plural } from "../plural.ts";
import type { PlacedViolation } from "../runModel.ts";
import { LOCK_CHART_ID } from "../runModel.ts";
import { formatDuration } from "../timeFormat.ts";
import type { Instant } from "../timeUnits.ts";
import type { CycleRecord, FaultWindow } from "../traceDigest.ts";
import { chartFrame } from "./chartFrame.ts";
import type { LegendItem } from "./chartSpec.ts";
import { COLORS } from "./palette.ts";
import { type HrefFor, replicaFaults, violationMarkers } from "./runMarkers.ts";
import { intervalRectsPath, ticksPath } from "./shapes.ts";

export interface LockChartInput {
  lock: LockTimeline;
  cycles: readonly CycleRecord[];
  start: Instant;
  end: Instant;
  faults: readonly FaultWindow[];
  violations: readonly PlacedViolation[];
  href: HrefFor;
}

export function lockChart(input: LockChartInput): { title: string; svg: string } {
  const { lock, start, end } = input;
  const replicas = lock.replicas.length > 0 ? lock.replicas : ["(no replica)"];
  const windows = replicaFaults(input.faults, replicas);
  const violations = violationMarkers(input.violations, LOCK_CHART_ID, input.href);
  const overlapMs = lock.lost.reduce((sum, l) => sum + l.overlaps.reduce((s, o) => s + o.to - o.from, 0), 0);
  const title = "Reconciliation lock by replica";
  const legend: LegendItem[] = [
    { label: "lock held", color: COLORS.lockHeld, swatch: "area" },
    { label: "reconcile cycle", color: COLORS.cycle, swatch: "line" },
    { label: "lock refused", color: COLORS.refused, swatch: "tick" },
    { label: "lock connection lost", color: COLORS.lost, swatch: "vline" },
    { label: "cycle without the lock", color: COLORS.lost, swatch: "outline" },
    { label: "…while another holds it", color: COLORS.lost, swatch: "area" },
  ];
  if (windows.length > 0) legend.push({ label: "fault on the replica", color: COLORS.fault, swatch: "area" });
  if (violations.length > 0) legend.push({ label: "violation", color: COLORS.violation, swatch: "triangle" });
  const frame = chartFrame({
    id: LOCK_CHART_ID,
    title,
    subtitle: `${plural(lock.holds.length, "hold")}, ${plural(lock.refusals.length, "refusal")}, ${plural(lock.lost.length, "lost lock connection")}; ${formatDuration(overlapMs)} reconciling without the lock while another replica held it`,
    x: { kind: "time", start, end },
    y: { kind: "lanes", names: replicas, label: "replica" },
    legend,
    windows,
    violations,
  });
  const x = frame.x;
  const laneTop = (replica: string) => frame.y(replicas.indexOf(replica));
  const h = frame.laneHeight;
  for (const replica of replicas) {
    const top = laneTop(replica);
    const cycles = input.cycles
      .filter((c) => c.replica === replica)
      .map((c) => ({ from: c.from, to: c.to ?? end }));
    frame.data
      .append("path")
      .attr("class", "cycles")
      .attr("d", intervalRectsPath(coalesceForDrawing(cycles, x, 0.5), x, top + h - 10, 4, 1))
      .attr("fill", COLORS.cycle);
    const holds = lock.holds.filter((l) => l.replica === replica);
    frame.data
      .append("path")
      .attr("class", "holds")
      .attr("d", intervalRectsPath(coalesceForDrawing(holds, x, 0.5), x, top + 9, h - 22, 1.5))
      .attr("fill", COLORS.lockHeld);
    const refusals = lock.refusals.filter((r) => r.replica === replica).map((r) => x(r.t));
    frame.data
      .append("path")
      .attr("class", "refusals")
      .attr("d", ticksPath(refusals, top + 3, 5))
      .attr("stroke", COLORS.refused)
      .attr("stroke-width", 1.5);
  }
  for (const l of lock.lost) {
    const top = laneTop(l.replica);
    frame.data
      .append("path")
      .attr("class", "lost")
      .attr("d", ticksPath([x(l.lostAt)], top + 2, h - 4))
      .attr("stroke", COLORS.lost)
      .attr("stroke-width", 2.5);
    if (l.orphaned.to > l.orphaned.from)
      frame.data
        .append("path")
        .attr("class", "orphaned")
        .attr("d", intervalRectsPath([l.orphaned], x, top + 5, h - 10, 3))
        .attr("fill", "none")
        .attr("stroke", COLORS.lost)
        .attr("stroke-width", 1.5);
    frame.data
      .append("path")
      .attr("class", "overlap")
      .attr("d", intervalRectsPath(l.overlaps, x, top + 5, h - 10, 3))
      .attr("fill", COLORS.lost)
      .attr("fill-opacity", 0.8);
  }
  return { title, svg: frame.serialize() };
}
