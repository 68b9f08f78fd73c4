// Claims over virtual time: per time bin, how many claims got a prebuilt workspace (hits) and how
// many fell back to a regular build (misses), stacked. Misses clustering after a promotion or in a
// fault window is what capacity planning looks for.

import { formatDuration } from "../timeFormat.ts";
import { niceStep } from "../timeTicks.ts";
import { type Duration, type Instant, MINUTE } from "../timeUnits.ts";
import type { ClaimOutcome, FaultWindow, OperatorMark } from "../traceDigest.ts";
import { chartFrame } from "./chartFrame.ts";
import type { LegendItem } from "./chartSpec.ts";
import { COLORS } from "./palette.ts";
import { buildFaults, operatorEvents } from "./runMarkers.ts";

const MAX_BINS = 60;

/** The narrowest nice bin, a minute at least, that gives at most MAX_BINS bins over the run. */
export function claimBinWidth(start: Instant, end: Instant): Duration {
  return niceStep(Math.max(MINUTE, (end - start) / MAX_BINS));
}

export interface ClaimBin {
  from: Instant;
  hits: number;
  misses: number;
}

/** Claims counted per bin of `width` starting at `start`; every bin of the run is present. */
export function claimBins(
  claims: readonly ClaimOutcome[],
  start: Instant,
  end: Instant,
  width: Duration,
): ClaimBin[] {
  const n = Math.max(1, Math.ceil((end - start) / width));
  const bins: ClaimBin[] = Array.from({ length: n }, (_, i) => ({
    from: start + i * width,
    hits: 0,
    misses: 0,
  }));
  for (const c of claims) {
    const bin = bins[Math.min(n - 1, Math.max(0, Math.floor((c.t - start) / width)))] as ClaimBin;
    if (c.hit) bin.hits++;
    else bin.misses++;
  }
  return bins;
}

export interface ClaimsChartInput {
  claims: readonly ClaimOutcome[];
  /** the run's claim counts, as summary.json has them (the trace's claims are counted once, there) */
  counts: { total: number; hits: number };
  start: Instant;
  end: Instant;
  operator: readonly OperatorMark[];
  faults: readonly FaultWindow[];
}

export function claimsChart(input: ClaimsChartInput): { title: string; svg: string } {
  const { start, end } = input;
  const width = claimBinWidth(start, end);
  const bins = claimBins(input.claims, start, end, width);
  const { total, hits } = input.counts;
  const title = "Claims over time: hits and misses";
  const rate = total === 0 ? "no claims" : `hit rate ${((100 * hits) / total).toFixed(1)}%`;
  const windows = buildFaults(input.faults);
  const events = operatorEvents(input.operator, true);
  const legend: LegendItem[] = [
    { label: "hit (prebuild)", color: COLORS.hit, swatch: "area" },
    { label: "miss (regular build)", color: COLORS.miss, swatch: "area" },
  ];
  if (windows.length > 0) legend.push({ label: "fault window", color: COLORS.fault, swatch: "area" });
  if (events.length > 0) legend.push({ label: "operator action", color: COLORS.operator, swatch: "vline" });
  const frame = chartFrame({
    id: "claims",
    title,
    subtitle: `${total} claims: ${hits} hits, ${total - hits} misses (${rate}); bars count claims per ${formatDuration(width)}`,
    x: { kind: "time", start, end },
    y: {
      kind: "value",
      max: Math.max(1, ...bins.map((b) => b.hits + b.misses)),
      label: `claims per ${formatDuration(width)}`,
      format: String,
      integer: true,
    },
    legend,
    windows,
    events,
  });
  const barWidth = Math.max(1, frame.x(start + width) - frame.x(start) - 1);
  for (const b of bins) {
    if (b.hits > 0)
      frame.data
        .append("rect")
        .attr("class", "bar bar-hit")
        .attr("x", frame.x(b.from))
        .attr("y", frame.y(b.hits))
        .attr("width", barWidth)
        .attr("height", frame.y(0) - frame.y(b.hits))
        .attr("fill", COLORS.hit);
    if (b.misses > 0)
      frame.data
        .append("rect")
        .attr("class", "bar bar-miss")
        .attr("x", frame.x(b.from))
        .attr("y", frame.y(b.hits + b.misses))
        .attr("width", barWidth)
        .attr("height", frame.y(b.hits) - frame.y(b.hits + b.misses))
        .attr("fill", COLORS.miss);
  }
  return { title, svg: frame.serialize() };
}
