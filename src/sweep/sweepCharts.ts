// The sweep's charts, drawn in the report's chart frame: hit rate and idle cost against the swept
// setting (the first --vary), one line per combination of the other --vary values, whiskers for
// the confidence interval; and, with schedule advice, the recommended pool per local hour.

import { chartFrame } from "../report/charts/chartFrame.ts";
import type { RenderedChart } from "../report/charts/chartSet.ts";
import type { LegendItem } from "../report/charts/chartSpec.ts";
import { COLORS, replicaColor } from "../report/charts/palette.ts";
import { formatPresetRef } from "../scenario/presetRef.ts";
import type { Estimate } from "./confidence.ts";
import type { SweepResult } from "./result.ts";
import type { HourBasis } from "./scheduleAdvice.ts";
import { percent } from "./sweepTable.ts";

interface Whisker {
  mean: number;
  low: number;
  high: number;
}

interface Series {
  label: string;
  color: string;
  /** in x order; null where the point has nothing to show */
  points: { x: number; value: Whisker | null; recommended: boolean }[];
}

interface XAxis {
  /** a point's x position */
  position: (point: number) => number;
  max: number;
  ticks: number[];
  format: (v: number) => string;
  label: string;
}

/** Numbers on a numeric axis; other values as evenly spaced categories 1…n, labelled. */
function xAxis(result: SweepResult): XAxis {
  const dim = result.dimensions[0];
  if (dim === undefined) throw new Error("sweep charts: no dimension");
  if (dim.numeric) {
    const values = result.points.map((p) => p.numbers[0] as number);
    const max = Math.max(...values, 0);
    const min = Math.min(...values, 0);
    return {
      position: (point) => result.points[point]?.numbers[0] as number,
      max: max + Math.max(0.5, (max - min) * 0.05),
      ticks: [...new Set(values)].sort((a, b) => a - b),
      format: (v) => String(v),
      label: dim.name,
    };
  }
  const index = (point: number) => dim.values.indexOf(result.points[point]?.values[0] ?? "") + 1;
  return {
    position: index,
    max: dim.values.length + 1,
    ticks: dim.values.map((_, i) => i + 1),
    format: (v) => dim.values[v - 1] ?? "",
    label: dim.name,
  };
}

function series(result: SweepResult, value: (point: number) => Whisker | null): Series[] {
  const lines = result.recommendation.lines;
  return lines.map((line, i) => ({
    label: line.label === "" ? result.scenario : line.label,
    color: replicaColor(i),
    points: line.points.map((p) => ({ x: p, value: value(p), recommended: line.recommended === p })),
  }));
}

function estimateWhisker(e: Estimate | null): Whisker | null {
  if (e === null) return null;
  return { mean: e.mean, low: e.low ?? e.mean, high: e.high ?? e.mean };
}

function drawSeries(
  frame: ReturnType<typeof chartFrame>,
  axis: XAxis,
  all: readonly Series[],
  best: number | null,
): void {
  for (const s of all) {
    const g = frame.data.append("g").attr("class", "series");
    const shown = s.points.filter((p) => p.value !== null);
    const path = shown
      .map(
        (p, i) =>
          `${i === 0 ? "M" : "L"}${frame.x(axis.position(p.x))},${frame.y((p.value as Whisker).mean)}`,
      )
      .join("");
    if (shown.length > 1)
      g.append("path").attr("d", path).attr("fill", "none").attr("stroke", s.color).attr("stroke-width", 2);
    for (const p of shown) {
      const v = p.value as Whisker;
      const px = frame.x(axis.position(p.x));
      g.append("line")
        .attr("class", "whisker")
        .attr("x1", px)
        .attr("x2", px)
        .attr("y1", frame.y(v.low))
        .attr("y2", frame.y(v.high))
        .attr("stroke", s.color)
        .attr("stroke-width", 1.5);
      g.append("circle").attr("cx", px).attr("cy", frame.y(v.mean)).attr("r", 3.5).attr("fill", s.color);
      if (p.recommended)
        g.append("circle")
          .attr("class", p.x === best ? "recommended best" : "recommended")
          .attr("cx", px)
          .attr("cy", frame.y(v.mean))
          .attr("r", 8)
          .attr("fill", "none")
          .attr("stroke", COLORS.ink)
          .attr("stroke-width", p.x === best ? 2.5 : 1.2);
    }
  }
}

function legendOf(all: readonly Series[], extra: LegendItem[]): LegendItem[] {
  return [...all.map((s): LegendItem => ({ label: s.label, color: s.color, swatch: "line" })), ...extra];
}

function hitRateChart(result: SweepResult, axis: XAxis): RenderedChart {
  const all = series(result, (p) => {
    const hit = result.points[p]?.stats.hitRate;
    if (hit == null) return null;
    const high = hit.perSeed.high ?? hit.wilson.high;
    return { mean: hit.perSeed.mean, low: hit.lowerBound, high: Math.min(1, high) };
  });
  const title = "Claim hit rate against the swept setting";
  const frame = chartFrame({
    id: "sweep-hit-rate",
    title,
    subtitle: `${result.seeds.length} seeds per point; target ${percent(result.target)} dashed; whiskers: lower bound used to upper 95% end`,
    x: { kind: "value", max: axis.max, label: axis.label, format: axis.format, ticks: axis.ticks },
    y: {
      kind: "value",
      max: 1,
      label: "hit rate",
      format: (v) => percent(v, 0),
      ticks: [0, 0.2, 0.4, 0.6, 0.8, 1],
    },
    legend: legendOf(all, [
      { label: "target", color: COLORS.ink, swatch: "dashed" },
      { label: "recommended", color: COLORS.ink, swatch: "ring" },
    ]),
  });
  frame.data
    .append("line")
    .attr("class", "target")
    .attr("x1", 0)
    .attr("x2", frame.plotWidth)
    .attr("y1", frame.y(result.target))
    .attr("y2", frame.y(result.target))
    .attr("stroke", COLORS.ink)
    .attr("stroke-width", 1.5)
    .attr("stroke-dasharray", "6 3");
  drawSeries(frame, axis, all, result.recommendation.best);
  return {
    id: "hit-rate",
    title,
    caption:
      "Mean hit rate over seeds per point; a ring marks the smallest setting of each line that meets the target, the bold ring the overall recommendation.",
    svg: frame.serialize(),
  };
}

function idleCostChart(result: SweepResult, axis: XAxis): RenderedChart {
  const all = series(result, (p) => estimateWhisker(result.points[p]?.stats.idlePrebuildHoursPerDay ?? null));
  const top = Math.max(1, ...all.flatMap((s) => s.points.map((p) => p.value?.high ?? 0)));
  const title = "Idle prebuild-hours per day against the swept setting";
  const frame = chartFrame({
    id: "sweep-idle-cost",
    title,
    subtitle:
      "running prebuilds not yet claimed, integrated over the sampled series; whiskers: t-based 95% interval over seeds",
    x: { kind: "value", max: axis.max, label: axis.label, format: axis.format, ticks: axis.ticks },
    y: { kind: "value", max: top, label: "prebuild-hours per day", format: (v) => String(v) },
    legend: legendOf(all, [{ label: "recommended", color: COLORS.ink, swatch: "ring" }]),
  });
  drawSeries(frame, axis, all, result.recommendation.best);
  return {
    id: "idle-cost",
    title,
    caption:
      "What the idle pool costs at each setting: prebuild-hours per day of simulated time, mean over seeds.",
    svg: frame.serialize(),
  };
}

const HOUR_COLORS: Readonly<Record<HourBasis, string>> = {
  met: COLORS.running,
  "point-estimate": COLORS.starting,
  "not-met": COLORS.starting,
  "no-claims": COLORS.inactive,
};

function scheduleChart(result: SweepResult): RenderedChart | null {
  const advice = result.schedule;
  if (advice === null || advice.kind !== "schedule") return null;
  const title = `Recommended prebuilds per local hour (${advice.timezone})`;
  const top = Math.max(1, ...advice.hours.map((h) => h.instances));
  const frame = chartFrame({
    id: "sweep-schedule",
    title,
    subtitle: `${formatPresetRef(advice.preset)}: desiredInstances ${advice.desiredInstances}, ${advice.schedules.length} schedule block${advice.schedules.length === 1 ? "" : "s"}`,
    x: {
      kind: "value",
      max: 24,
      label: "local hour",
      format: String,
      ticks: [0, 3, 6, 9, 12, 15, 18, 21, 24],
    },
    y: { kind: "value", max: top, label: "prebuilds", format: String, integer: true },
    legend: [
      { label: "target met", color: COLORS.running, swatch: "area" },
      { label: "thin evidence", color: COLORS.starting, swatch: "area" },
      { label: "no claims", color: COLORS.inactive, swatch: "area" },
    ],
    plotHeight: 180,
  });
  const width = frame.x(1) - frame.x(0) - 1;
  for (const h of advice.hours) {
    frame.data
      .append("rect")
      .attr("class", `hour hour-${h.basis}`)
      .attr("x", frame.x(h.hour))
      .attr("y", frame.y(h.instances))
      .attr("width", width)
      .attr("height", frame.y(0) - frame.y(h.instances))
      .attr("fill", HOUR_COLORS[h.basis]);
  }
  return {
    id: "schedule",
    title,
    caption:
      "The scheduled pool per local hour: each hour's own need (the smallest swept pool whose hit rate in that hour meets the target), raised for thin hours next to firm ones and one lead time ahead of the demand; orange hours had too few claims, none, or no value meeting it.",
    svg: frame.serialize(),
  };
}

export function sweepCharts(result: SweepResult): RenderedChart[] {
  const axis = xAxis(result);
  const charts = [hitRateChart(result, axis), idleCostChart(result, axis)];
  const schedule = scheduleChart(result);
  if (schedule !== null) charts.push(schedule);
  return charts;
}
