// `run --metrics-out FILE.json`: the recorded metrics as a Prometheus range-query response (the
// JSON `GET /api/v1/query_range` returns: a matrix of series, each with its labels and its
// [unix seconds, "value"] points) — the form `prebuildsim import --from-prometheus` reads, so a
// run's own metrics can be imported back. Counters carry their `_total` name, as Prometheus
// stores them.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { MetricsSeries } from "./metricsRecorder.ts";

export interface RangeQuerySeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly values: readonly (readonly [number, string])[];
}

export interface RangeQueryResponse {
  readonly status: "success";
  readonly data: { readonly resultType: "matrix"; readonly result: readonly RangeQuerySeries[] };
}

function sampleName(type: string, name: string): string {
  return type === "counter" && !name.endsWith("_total") ? `${name}_total` : name;
}

export function prometheusRangeResponse(metrics: MetricsSeries): RangeQueryResponse {
  const result: RangeQuerySeries[] = [];
  for (const f of metrics.families)
    for (const s of f.series)
      result.push({
        metric: { __name__: sampleName(f.type, s.name), ...s.labels },
        values: s.points.map((p) => [p.t / 1000, String(p.value)] as const),
      });
  return { status: "success", data: { resultType: "matrix", result } };
}

export async function writePrometheusJson(file: string, metrics: MetricsSeries): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(prometheusRangeResponse(metrics))}\n`);
}
