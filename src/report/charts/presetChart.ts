// One preset over virtual time: desired, running, eligible, starting, deleting and failed, with
// the operator actions and faults that concern it, its backoff periods, the moment it hit the
// failure hard limit and the instant it converged. Stretches in which its version was not the
// active one are hatched and drawn dotted, so a draining pool reads as such.

import * as d3 from "d3";
import { provisioningOf } from "../../check/provisioning.ts";
import { claimKey } from "../../trace/presetKey.ts";
import type { PresetSample } from "../../trace/timeseries.ts";
import type { Interval } from "../intervals.ts";
import type { PlacedViolation, PresetView } from "../runModel.ts";
import { formatDuration, formatOffset, formatUtc } from "../timeFormat.ts";
import type { Instant } from "../timeUnits.ts";
import type { FaultWindow, OperatorMark } from "../traceDigest.ts";
import { chartFrame, type Frame } from "./chartFrame.ts";
import { VALUE_PLOT_WIDTH } from "./chartLayout.ts";
import type { EventMarker, LegendItem, WindowMarker } from "./chartSpec.ts";
import { COLORS } from "./palette.ts";
import {
  type HrefFor,
  operatorEvents,
  operatorMarksFor,
  presetFaults,
  violationMarkers,
} from "./runMarkers.ts";
import { bucketize, bucketWidth, stepChanges } from "./sampleBuckets.ts";

type Measure = "desired" | "running" | "eligible" | "starting" | "deleting" | "failed";

interface SeriesStyle {
  measure: Measure;
  label: string;
  color: string;
  width: number;
  opacity: number;
  dash: string | null;
}

// Running is wide and pale underneath, so eligible (usually equal) stays visible on top of it.
const SERIES: readonly SeriesStyle[] = [
  { measure: "desired", label: "desired", color: COLORS.desired, width: 1.5, opacity: 1, dash: "6 3" },
  { measure: "running", label: "running", color: COLORS.running, width: 5, opacity: 0.45, dash: null },
  { measure: "eligible", label: "eligible", color: COLORS.eligible, width: 1.8, opacity: 1, dash: null },
  { measure: "starting", label: "starting", color: COLORS.starting, width: 1.8, opacity: 1, dash: null },
  { measure: "deleting", label: "deleting", color: COLORS.deleting, width: 1.8, opacity: 1, dash: null },
  { measure: "failed", label: "failed", color: COLORS.failed, width: 2, opacity: 1, dash: null },
];

const INACTIVE_DASH = "2 4";
const RUNNING_BAND_OPACITY = 0.3;
const PROVISIONING_OPACITY = 0.28;

export interface PresetChartInput {
  preset: PresetView;
  start: Instant;
  end: Instant;
  operator: readonly OperatorMark[];
  faults: readonly FaultWindow[];
  violations: readonly PlacedViolation[];
  href: HrefFor;
}

function inPeriods(t: Instant, periods: readonly Interval[]): boolean {
  return periods.some((p) => t >= p.from && t < p.to);
}

/**
 * Consecutive samples grouped by whether their version was inactive. Each run ends with the first
 * sample of the next, so the step into the next run is drawn in the style of the run it leaves.
 */
export function splitByActivity(
  samples: readonly PresetSample[],
  inactive: readonly Interval[],
): Array<{ inactive: boolean; samples: PresetSample[] }> {
  const runs: Array<{ inactive: boolean; samples: PresetSample[] }> = [];
  for (const s of samples) {
    const state = inPeriods(s.t, inactive);
    const last = runs[runs.length - 1];
    if (last !== undefined && last.inactive === state) {
      last.samples.push(s);
      continue;
    }
    last?.samples.push(s);
    runs.push({ inactive: state, samples: [s] });
  }
  return runs;
}

interface Band {
  t: Instant;
  min: number;
  max: number;
}

/**
 * Per bucket: one sample holding each measure's mean (what the lines draw) and the running
 * min–max (the band), plus a closing point so the last bucket is drawn to its end.
 */
export function bucketMeans(
  samples: readonly PresetSample[],
  start: Instant,
  end: Instant,
  width: number,
): { means: PresetSample[]; running: Band[] } {
  const buckets = bucketize(samples, start, width);
  const mean = (items: readonly PresetSample[], m: Exclude<keyof PresetSample, "t">) =>
    Math.round((100 * items.reduce((n, s) => n + s[m], 0)) / items.length) / 100;
  const means = buckets.map((b) => ({
    t: b.t,
    desired: mean(b.items, "desired"),
    running: mean(b.items, "running"),
    eligible: mean(b.items, "eligible"),
    starting: mean(b.items, "starting"),
    stopping: mean(b.items, "stopping"),
    deleting: mean(b.items, "deleting"),
    failed: mean(b.items, "failed"),
  }));
  const running = buckets.map((b) => ({
    t: b.t,
    min: Math.min(...b.items.map((s) => s.running)),
    max: Math.max(...b.items.map((s) => s.running)),
  }));
  const last = means[means.length - 1];
  const lastBand = running[running.length - 1];
  if (last !== undefined && lastBand !== undefined) {
    const close = Math.min(end, last.t + width);
    means.push({ ...last, t: close });
    running.push({ ...lastBand, t: close });
  }
  return { means, running };
}

/** Only an active, healthy preset is expected to converge (SCENARIOS.md §2, `converges`). */
function convergence(p: PresetView, start: Instant): string {
  if (p.convergedAt !== null) return `converged at ${formatOffset(p.convergedAt, start)}`;
  if (!p.active || (p.summary !== null && p.summary.status !== "healthy")) return "no convergence expected";
  return "did not converge";
}

function subtitle(p: PresetView, start: Instant): string {
  const parts = [`organization ${p.organization}`];
  const s = p.summary;
  if (s !== null)
    parts.push(`at the end: desired ${s.desired}, running ${s.running}, eligible ${s.eligible}`, s.status);
  parts.push(convergence(p, start));
  return parts.join(" · ");
}

/**
 * Shades the gap between running and desired: above desired (surplus) and below it (shortfall),
 * as steps between the points the lines are drawn through.
 */
function provisioningAreas(
  data: Frame["data"],
  frame: Pick<Frame, "x" | "y">,
  points: readonly PresetSample[],
): void {
  const shade = (
    cls: string,
    color: string,
    lo: (s: PresetSample) => number,
    hi: (s: PresetSample) => number,
  ) => {
    const area = d3
      .area<PresetSample>()
      .x((s) => frame.x(s.t))
      .y0((s) => frame.y(lo(s)))
      .y1((s) => frame.y(hi(s)))
      .curve(d3.curveStepAfter)
      .digits(2);
    data
      .append("path")
      .attr("class", `provisioning ${cls}`)
      .attr("d", area(points))
      .attr("fill", color)
      .attr("fill-opacity", PROVISIONING_OPACITY);
  };
  if (points.some((s) => s.running > s.desired))
    shade(
      "over-provisioned",
      COLORS.overProvisioned,
      (s) => s.desired,
      (s) => Math.max(s.running, s.desired),
    );
  if (points.some((s) => s.running < s.desired))
    shade(
      "under-provisioned",
      COLORS.underProvisioned,
      (s) => Math.min(s.running, s.desired),
      (s) => s.desired,
    );
}

export function presetChart(input: PresetChartInput): { title: string; svg: string } {
  const { preset: p, start, end } = input;
  const samples = (p.series?.samples ?? []).filter((s) => s.t >= start && s.t <= end);
  const provisioning = provisioningOf(samples, end);
  const title = p.active ? `Preset ${p.key}` : `Preset ${p.key} — inactive version, draining`;

  const windows: WindowMarker[] = [
    ...p.inactive.map((iv) => ({ from: iv.from, to: iv.to, kind: "inactive" as const, label: "" })),
    ...presetFaults(input.faults, { key: p.key, short: claimKey(p.template, p.preset) }),
  ];
  const events: EventMarker[] = [
    ...operatorEvents(operatorMarksFor(input.operator, p.key, p.template, p.preset), false),
    ...p.hardLimitedAt.map((t) => ({ t, label: "hard limit", color: COLORS.hardLimit, dash: false })),
    ...(p.convergedAt === null
      ? []
      : [{ t: p.convergedAt, label: "converged", color: COLORS.converged, dash: false }]),
  ];
  const violations = violationMarkers(input.violations, p.chartId, input.href);
  const bucket = bucketWidth(samples.length, start, end, VALUE_PLOT_WIDTH);

  // A series that stays at zero is not drawn (it would hide the others along the axis); the legend says so.
  const drawn = SERIES.filter((style) => samples.some((s) => s[style.measure] !== 0));
  const legend: LegendItem[] = SERIES.map((s) => ({
    label: !drawn.includes(s)
      ? `${s.label} (always 0)`
      : bucket !== null && s.measure === "running"
        ? "running (min–max)"
        : s.label,
    opacity: bucket !== null && s.measure === "running" ? RUNNING_BAND_OPACITY : s.opacity,
    color: s.color,
    swatch:
      s.measure === "running"
        ? bucket === null
          ? ("thick-line" as const)
          : ("area" as const)
        : s.dash === null
          ? ("line" as const)
          : ("dashed" as const),
  }));
  if (p.inactive.length > 0)
    legend.push({ label: "inactive (dotted)", color: COLORS.inactive, swatch: "hatch" });
  // The legend carries the prebuild-minutes (the peaks are in the report's table).
  if (provisioning.overProvisioned.minutes > 0)
    legend.push({
      label: `> desired: ${provisioning.overProvisioned.minutes} min`,
      color: COLORS.overProvisioned,
      swatch: "area",
      opacity: PROVISIONING_OPACITY,
    });
  if (provisioning.underProvisioned.minutes > 0)
    legend.push({
      label: `< desired: ${provisioning.underProvisioned.minutes} min`,
      color: COLORS.underProvisioned,
      swatch: "area",
      opacity: PROVISIONING_OPACITY,
    });
  if (windows.some((w) => w.kind === "fault" && w.noop !== true))
    legend.push({ label: "fault window", color: COLORS.fault, swatch: "area" });
  if (windows.some((w) => w.noop === true))
    legend.push({ label: "fault, no effect", color: COLORS.muted, swatch: "vline" });
  if (p.backoffs.length > 0) legend.push({ label: "backoff", color: COLORS.backoff, swatch: "strip" });
  if (events.some((e) => e.color === COLORS.operator))
    legend.push({ label: "operator action", color: COLORS.operator, swatch: "vline" });
  if (p.hardLimitedAt.length > 0)
    legend.push({ label: "hard limit reached", color: COLORS.hardLimit, swatch: "vline" });
  if (p.convergedAt !== null) legend.push({ label: "converged", color: COLORS.converged, swatch: "vline" });
  if (violations.some((v) => v.color === COLORS.violation))
    legend.push({ label: "violation", color: COLORS.violation, swatch: "triangle" });
  if (violations.some((v) => v.color === COLORS.allowed))
    legend.push({ label: "allowed break", color: COLORS.allowed, swatch: "triangle" });

  const max = Math.max(1, ...samples.flatMap((s) => SERIES.map((style) => s[style.measure])));
  const frame = chartFrame({
    id: p.chartId,
    title,
    subtitle:
      bucket === null
        ? subtitle(p, start)
        : `${subtitle(p, start)} · lines: means per ${formatDuration(bucket)}`,
    x: { kind: "time", start, end },
    y: { kind: "value", max, label: "prebuilt workspaces", format: (v) => String(v), integer: true },
    legend,
    windows,
    events,
    strips: p.backoffs.map((b) => ({
      from: b.from,
      to: b.to,
      color: COLORS.backoff,
      title: `backoff until ${formatUtc(b.to)}`,
    })),
    violations,
  });

  if (samples.length === 0) {
    frame.data
      .append("text")
      .attr("x", frame.plotWidth / 2)
      .attr("y", frame.plotHeight / 2)
      .attr("text-anchor", "middle")
      .attr("fill", COLORS.muted)
      .text("no samples recorded for this preset");
  }
  let points: readonly PresetSample[] = samples;
  if (bucket !== null) {
    const { means, running } = bucketMeans(samples, start, end, bucket);
    points = means;
    if (drawn.some((s) => s.measure === "running")) {
      const band = d3
        .area<Band>()
        .x((b) => frame.x(b.t))
        .y0((b) => frame.y(b.min))
        .y1((b) => frame.y(b.max))
        .curve(d3.curveStepAfter)
        .digits(2);
      frame.data
        .append("path")
        .attr("class", "series series-running-band")
        .attr("d", band(running))
        .attr("fill", COLORS.running)
        .attr("fill-opacity", RUNNING_BAND_OPACITY);
    }
  }
  provisioningAreas(frame.data, frame, points);
  const runs = splitByActivity(points, p.inactive);
  for (const style of drawn) {
    // In buckets, running is the band drawn above.
    if (bucket !== null && style.measure === "running") continue;
    const line = d3
      .line<PresetSample>()
      .x((s) => frame.x(s.t))
      .y((s) => frame.y(s[style.measure]))
      .curve(d3.curveStepAfter)
      .digits(2);
    for (const run of runs) {
      frame.data
        .append("path")
        .attr("class", `series series-${style.measure}`)
        .attr("d", line(stepChanges(run.samples, (s) => s[style.measure])))
        .attr("fill", "none")
        .attr("stroke", style.color)
        .attr("stroke-width", style.width)
        .attr("stroke-opacity", style.opacity)
        .attr("stroke-dasharray", run.inactive ? INACTIVE_DASH : style.dash);
    }
  }
  return { title, svg: frame.serialize() };
}
