// Reads series back from a prom-client registry, by exact labels (upstream's `findMetric` helper
// ignored labels by mistake, spec §10.2 quirk 20; this one does not).
import type { Registry } from "prom-client";

export type Labels = Readonly<Record<string, string>>;

export interface Series {
  readonly labels: Labels;
  readonly value: number;
}

/** Every series of the metric (after running its collect), or [] when it is not registered. */
export async function seriesOf(registry: Registry, name: string): Promise<Series[]> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return [];
  const { values } = await metric.get();
  return values.map((v) => ({
    labels: Object.fromEntries(Object.entries(v.labels).map(([k, l]) => [k, String(l)])),
    value: v.value,
  }));
}

/** The value of the series with exactly these labels, or undefined when there is none. */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Labels = {},
): Promise<number | undefined> {
  const wanted = Object.entries(labels);
  const match = (await seriesOf(registry, name)).find(
    (s) => Object.keys(s.labels).length === wanted.length && wanted.every(([k, v]) => s.labels[k] === v),
  );
  return match?.value;
}

export function presetLabels(templateName: string, presetName: string, organizationName = "coder"): Labels {
  return { template_name: templateName, preset_name: presetName, organization_name: organizationName };
}
