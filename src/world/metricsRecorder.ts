// The simulated deployment's Prometheus metrics over time, as a scrape of every live replica would
// see them (`run --metrics-out`): at each sample instant, each replica that is up has its
// prom-client registry collected, and every series gets a point. The series carry upstream's names
// and labels plus `instance` (the replica), the label a Prometheus scrape adds per target; a replica
// that is down has no point at that instant, as a failed scrape leaves a gap.
//
// It runs inside the sampler (an observer task) and only reads: collecting a registry builds its
// series from each reconciler's cached state without touching the database or the virtual clock,
// so recording changes nothing in the run (the trace hash is the same with and without it).
import type { Registry } from "prom-client";
import type { Instant } from "../clock/types.ts";

export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "unknown";

export interface MetricPoint {
  readonly t: Instant;
  readonly value: number;
}

export interface RecordedSeries {
  /** The sample's name: the family's, or with a suffix (`_bucket`, `_sum`, `_count`). */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly points: MetricPoint[];
}

export interface MetricFamily {
  /** As prom-client names it (a counter's name ends in `_total`). */
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly series: RecordedSeries[];
}

export interface MetricsSeries {
  /** The sampling interval, ms of virtual time. */
  readonly sampleEvery: number;
  /** In order of first appearance. */
  readonly families: MetricFamily[];
}

export interface ScrapeTarget {
  readonly name: string;
  /** null while the replica is down */
  readonly registry: Registry | null;
}

interface JsonMetric {
  name: string;
  help: string;
  type: string;
  values: { value: number; labels: Record<string, string | number | undefined>; metricName?: string }[];
}

const TYPES = new Set<MetricType>(["counter", "gauge", "histogram", "summary"]);

export class MetricsRecorder {
  readonly #families = new Map<string, MetricFamily & { byKey: Map<string, RecordedSeries> }>();

  constructor(
    private readonly targets: readonly ScrapeTarget[],
    private readonly sampleEvery: number,
  ) {}

  /** One scrape of every live replica at `t`. */
  async record(t: Instant): Promise<void> {
    for (const target of this.targets) {
      const registry = target.registry;
      if (registry === null) continue;
      for (const metric of (await registry.getMetricsAsJSON()) as unknown as JsonMetric[]) {
        let family = this.#families.get(metric.name);
        if (family === undefined) {
          const type = String(metric.type) as MetricType;
          family = {
            name: metric.name,
            type: TYPES.has(type) ? type : "unknown",
            help: metric.help,
            series: [],
            byKey: new Map(),
          };
          this.#families.set(metric.name, family);
        }
        for (const v of metric.values) {
          const labels: Record<string, string> = {};
          for (const [k, value] of Object.entries(v.labels))
            if (value !== undefined) labels[k] = String(value);
          labels.instance = target.name;
          const name = v.metricName ?? metric.name;
          const key = JSON.stringify([name, Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))]);
          let series = family.byKey.get(key);
          if (series === undefined) {
            series = { name, labels, points: [] };
            family.byKey.set(key, series);
            family.series.push(series);
          }
          series.points.push({ t, value: v.value });
        }
      }
    }
  }

  get series(): MetricsSeries {
    return {
      sampleEvery: this.sampleEvery,
      families: [...this.#families.values()].map(({ byKey: _, ...f }) => f),
    };
  }
}
