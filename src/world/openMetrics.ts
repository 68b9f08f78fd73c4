// `run --metrics-out FILE`: the recorded metrics as an OpenMetrics 1.0 text file with timestamps,
// the input `promtool tsdb create-blocks-from openmetrics FILE DIR` turns into Prometheus blocks
// (then `grafana` beside production). What that importer needs: each family once, as one
// contiguous block (`# TYPE`, `# HELP`, its samples); each series' samples in time order;
// timestamps in seconds; `# EOF` at the end. Counter families are named without `_total` and
// their samples with it, as OpenMetrics requires (prom-client uses the Prometheus text format's
// names).
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { MetricFamily, MetricsSeries, RecordedSeries } from "./metricsRecorder.ts";

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

/** Virtual ms → seconds, exactly (no binary fraction noise): `1704067200`, `1704067200.25`. */
export function formatTimestamp(ms: number): string {
  const whole = Math.floor(ms / 1000);
  const rest = ms - whole * 1000;
  if (rest === 0) return String(whole);
  return `${whole}.${String(rest).padStart(3, "0").replace(/0+$/, "")}`;
}

function labelText(labels: Readonly<Record<string, string>>): string {
  // `le` and `quantile` last, as exporters print them; the rest in name order.
  const keys = Object.keys(labels).sort((a, b) => {
    const rank = (k: string) => (k === "le" || k === "quantile" ? 1 : 0);
    return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
  });
  if (keys.length === 0) return "";
  return `{${keys.map((k) => `${k}="${escapeLabelValue(labels[k] as string)}"`).join(",")}}`;
}

/** The OpenMetrics family name: a counter's without its `_total`. */
export function familyName(f: Pick<MetricFamily, "name" | "type">): string {
  return f.type === "counter" ? f.name.replace(/_total$/, "") : f.name;
}

function sampleName(f: MetricFamily, name: string): string {
  return f.type === "counter" && !name.endsWith("_total") ? `${name}_total` : name;
}

// A histogram's buckets in `le` order, then `_count` and `_sum`, as exporters print a MetricPoint.
function seriesOrder(s: RecordedSeries): [number, number] {
  if (s.labels.le !== undefined)
    return [0, s.labels.le === "+Inf" ? Number.POSITIVE_INFINITY : Number(s.labels.le)];
  if (s.name.endsWith("_count")) return [1, 0];
  if (s.name.endsWith("_sum")) return [2, 0];
  return [0, 0];
}

/**
 * A family's Metrics: the series that share their labels but `le`/`quantile` (a histogram's
 * buckets, count and sum), in order of first appearance.
 */
function metricsOf(f: MetricFamily): RecordedSeries[][] {
  const groups = new Map<string, RecordedSeries[]>();
  for (const s of f.series) {
    const { le: _le, quantile: _q, ...rest } = s.labels;
    const key = labelText(rest);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].map((g) =>
    [...g].sort((a, b) => {
      const [ra, va] = seriesOrder(a);
      const [rb, vb] = seriesOrder(b);
      return ra - rb || va - vb;
    }),
  );
}

export function renderOpenMetrics(metrics: MetricsSeries): string {
  const lines: string[] = [];
  const families = [...metrics.families].sort((a, b) => (familyName(a) < familyName(b) ? -1 : 1));
  for (const f of families) {
    const name = familyName(f);
    lines.push(`# TYPE ${name} ${f.type}`);
    if (f.help !== "") lines.push(`# HELP ${name} ${escapeHelp(f.help)}`);
    // Each Metric's points in time order; at one instant, all its series' samples together.
    for (const metric of metricsOf(f)) {
      const instants = [...new Set(metric.flatMap((s) => s.points.map((p) => p.t)))].sort((a, b) => a - b);
      const byTime = metric.map((s) => new Map(s.points.map((p) => [p.t, p.value])));
      for (const t of instants)
        metric.forEach((s, i) => {
          const value = byTime[i]?.get(t);
          if (value !== undefined)
            lines.push(
              `${sampleName(f, s.name)}${labelText(s.labels)} ${formatValue(value)} ${formatTimestamp(t)}`,
            );
        });
    }
  }
  lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}

/** Writes the OpenMetrics file (and its folder). */
export async function writeOpenMetrics(file: string, metrics: MetricsSeries): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, renderOpenMetrics(metrics));
}
