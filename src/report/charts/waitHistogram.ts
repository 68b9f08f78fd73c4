// How long people waited for a workspace after claiming (the claim build's duration for a hit, the
// regular build's for a miss): a histogram, hits and misses stacked, with the median and p95 of
// the summary marked. Waits span seconds (hits) to many minutes (misses), so the bins are
// log-spaced at round durations and drawn equally wide: both humps stay readable.
import { type Duration, HOUR, MINUTE, SECOND } from "../timeUnits.ts";
import type { ClaimWait } from "../traceDigest.ts";
import { chartFrame } from "./chartFrame.ts";
import { COLORS } from "./palette.ts";

const EDGES: readonly Duration[] = [
  0,
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  20 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  3 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  20 * MINUTE,
  30 * MINUTE,
  45 * MINUTE,
  HOUR,
  2 * HOUR,
  4 * HOUR,
  8 * HOUR,
  24 * HOUR,
];

/** `0`, `5s`, `2m`, `1h`: tick labels for round durations. */
function edgeLabel(d: Duration): string {
  if (d === 0) return "0";
  if (d < MINUTE) return `${d / SECOND}s`;
  if (d < HOUR) return `${d / MINUTE}m`;
  return `${d / HOUR}h`;
}

/** The bin edges up to the first one at or above `max` (at least up to one minute). */
export function waitEdges(max: Duration): Duration[] {
  const last = EDGES.findIndex((e) => e >= Math.max(max, MINUTE));
  if (last !== -1) return EDGES.slice(0, last + 1);
  const top = EDGES[EDGES.length - 1] as Duration;
  const out = [...EDGES];
  for (let e = top * 2; out[out.length - 1]! < max; e *= 2) out.push(e);
  return out;
}

/** Position of a duration on the equal-width bin axis: bin index plus the fraction into the bin. */
export function binPosition(d: Duration, edges: readonly Duration[]): number {
  for (let i = 0; i < edges.length - 1; i++) {
    const lo = edges[i] as Duration;
    const hi = edges[i + 1] as Duration;
    if (d < hi) return i + (d - lo) / (hi - lo);
  }
  return edges.length - 1;
}

export interface WaitHistogramInput {
  waits: readonly ClaimWait[];
  /** from summary.json, seconds */
  p50: number;
  p95: number;
}

export function waitHistogram(input: WaitHistogramInput): { title: string; svg: string } {
  const maxMs = Math.max(0, ...input.waits.map((w) => w.waitMs), input.p95 * SECOND);
  const edges = waitEdges(maxMs);
  const bins = edges.slice(0, -1).map(() => ({ hits: 0, misses: 0 }));
  for (const w of input.waits) {
    const bin = bins[Math.min(bins.length - 1, Math.floor(binPosition(w.waitMs, edges)))];
    if (bin === undefined) continue;
    if (w.hit) bin.hits++;
    else bin.misses++;
  }
  const title = "Claim wait until the workspace was ready";
  const frame = chartFrame({
    id: "claim-waits",
    title,
    subtitle: `${input.waits.length} ready workspaces; p50 ${input.p50.toFixed(1)} s, p95 ${input.p95.toFixed(1)} s (summary.json)`,
    x: {
      kind: "value",
      max: bins.length,
      label: "wait (bins of round durations, widening to the right)",
      format: (i) => edgeLabel(edges[i] ?? 0),
      ticks: edges.map((_, i) => i),
    },
    y: {
      kind: "value",
      max: Math.max(1, ...bins.map((b) => b.hits + b.misses)),
      label: "claims",
      format: String,
      integer: true,
    },
    legend: [
      { label: "hit (prebuild)", color: COLORS.hit, swatch: "area" },
      { label: "miss (regular build)", color: COLORS.miss, swatch: "area" },
      { label: "p50 / p95", color: COLORS.operator, swatch: "vline" },
    ],
    events: [
      { t: binPosition(input.p50 * SECOND, edges), label: "p50", color: COLORS.operator, dash: true },
      { t: binPosition(input.p95 * SECOND, edges), label: "p95", color: COLORS.operator, dash: true },
    ],
  });
  const w = Math.max(1, frame.x(1) - frame.x(0) - 2);
  bins.forEach((b, i) => {
    const x0 = frame.x(i) + 1;
    if (b.hits > 0)
      frame.data
        .append("rect")
        .attr("class", "bar bar-hit")
        .attr("x", x0)
        .attr("y", frame.y(b.hits))
        .attr("width", w)
        .attr("height", frame.y(0) - frame.y(b.hits))
        .attr("fill", COLORS.hit);
    if (b.misses > 0)
      frame.data
        .append("rect")
        .attr("class", "bar bar-miss")
        .attr("x", x0)
        .attr("y", frame.y(b.hits + b.misses))
        .attr("width", w)
        .attr("height", frame.y(b.hits) - frame.y(b.hits + b.misses))
        .attr("fill", COLORS.miss);
  });
  return { title, svg: frame.serialize() };
}
