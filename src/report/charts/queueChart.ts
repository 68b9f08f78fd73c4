// The provisioner job queue over virtual time: pending jobs initiated by the prebuilds user and by
// people, stacked, and the jobs being executed. Human jobs waiting on top of a tall band of
// prebuild jobs is the flooded queue of INC-09.
import * as d3 from "d3";
import type { QueueSample } from "../../trace/timeseries.ts";
import { formatDuration } from "../timeFormat.ts";
import type { Instant } from "../timeUnits.ts";
import type { FaultWindow, OperatorMark } from "../traceDigest.ts";
import { chartFrame } from "./chartFrame.ts";
import { VALUE_PLOT_WIDTH } from "./chartLayout.ts";
import type { LegendItem } from "./chartSpec.ts";
import { COLORS } from "./palette.ts";
import { buildFaults, operatorEvents } from "./runMarkers.ts";
import { bucketize, bucketWidth, stepChanges } from "./sampleBuckets.ts";

export interface QueueChartInput {
  queue: readonly QueueSample[];
  start: Instant;
  end: Instant;
  maxQueueDepth: number;
  sampleEvery: number;
  operator: readonly OperatorMark[];
  faults: readonly FaultWindow[];
}

/**
 * Per bucket, the busiest moment: the sample with the deepest queue, and the most jobs executing.
 * A queue's peaks are what people wait behind, so they must survive the summary.
 */
export function bucketPeaks(
  samples: readonly QueueSample[],
  start: Instant,
  end: Instant,
  width: number,
): QueueSample[] {
  const peaks = bucketize(samples, start, width).map((b) => {
    const deepest = b.items.reduce((a, s) => (s.prebuild + s.human > a.prebuild + a.human ? s : a));
    return {
      t: b.t,
      prebuild: deepest.prebuild,
      human: deepest.human,
      running: Math.max(...b.items.map((s) => s.running)),
    };
  });
  const last = peaks[peaks.length - 1];
  if (last !== undefined) peaks.push({ ...last, t: Math.min(end, last.t + width) });
  return peaks;
}

export function queueChart(input: QueueChartInput): { title: string; svg: string } {
  const { start, end } = input;
  const sampled = input.queue.filter((s) => s.t >= start && s.t <= end);
  const bucket = bucketWidth(sampled.length, start, end, VALUE_PLOT_WIDTH);
  const samples = stepChanges(
    bucket === null ? sampled : bucketPeaks(sampled, start, end, bucket),
    (s) => `${s.prebuild}/${s.human}/${s.running}`,
  );
  const windows = buildFaults(input.faults);
  const events = operatorEvents(input.operator, true);
  const title = "Provisioner queue: pending jobs by initiator";
  const legend: LegendItem[] = [
    { label: "pending prebuild jobs", color: COLORS.prebuildJobs, swatch: "area" },
    { label: "pending human jobs", color: COLORS.humanJobs, swatch: "area" },
    { label: "jobs executing", color: COLORS.executing, swatch: "line" },
  ];
  if (windows.length > 0) legend.push({ label: "fault window", color: COLORS.fault, swatch: "area" });
  if (events.length > 0) legend.push({ label: "operator action", color: COLORS.operator, swatch: "vline" });
  const frame = chartFrame({
    id: "queue",
    title,
    subtitle: `max queue depth ${input.maxQueueDepth} (summary.json); sampled every ${formatDuration(input.sampleEvery)}${bucket === null ? "" : `; peak per ${formatDuration(bucket)} shown`}`,
    x: { kind: "time", start, end },
    y: {
      kind: "value",
      max: Math.max(1, ...samples.map((s) => Math.max(s.prebuild + s.human, s.running))),
      label: "jobs",
      format: String,
      integer: true,
    },
    legend,
    windows,
    events,
  });
  const area = (lower: (s: QueueSample) => number, upper: (s: QueueSample) => number) =>
    d3
      .area<QueueSample>()
      .x((s) => frame.x(s.t))
      .y0((s) => frame.y(lower(s)))
      .y1((s) => frame.y(upper(s)))
      .curve(d3.curveStepAfter)
      .digits(2)(samples);
  frame.data
    .append("path")
    .attr("class", "series series-prebuild")
    .attr(
      "d",
      area(
        () => 0,
        (s) => s.prebuild,
      ),
    )
    .attr("fill", COLORS.prebuildJobs)
    .attr("fill-opacity", 0.75);
  frame.data
    .append("path")
    .attr("class", "series series-human")
    .attr(
      "d",
      area(
        (s) => s.prebuild,
        (s) => s.prebuild + s.human,
      ),
    )
    .attr("fill", COLORS.humanJobs)
    .attr("fill-opacity", 0.75);
  const executing = d3
    .line<QueueSample>()
    .x((s) => frame.x(s.t))
    .y((s) => frame.y(s.running))
    .curve(d3.curveStepAfter)
    .digits(2)(samples);
  frame.data
    .append("path")
    .attr("class", "series series-executing")
    .attr("d", executing)
    .attr("fill", "none")
    .attr("stroke", COLORS.executing)
    .attr("stroke-width", 1.5);
  return { title, svg: frame.serialize() };
}
