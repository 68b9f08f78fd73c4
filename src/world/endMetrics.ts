// Each preset at the end of the run as an operator's dashboard would show it: the reconciler's
// Prometheus series as a live replica exports them (counters from its last metrics refresh, gauges
// computed at the scrape), next to what the database says about the preset (active, stored status).
// Metrics have no version label, and gauges exist only for active presets (spec §6.1): a value
// with no series is null.
import type { Registry } from "prom-client";
import type { SqlExecutor } from "../db/driver.ts";
import type { PrebuildStatus } from "../db/rows.ts";
import { MetricName } from "../prebuilds/metricsCollector.ts";
import type { CatalogPreset } from "./catalog.ts";

export interface PresetEndValues {
  /** `template/version/preset` */
  readonly key: string;
  readonly template: string;
  readonly version: string;
  readonly preset: string;
  /** On the template's active version, template neither deprecated nor deleted. */
  readonly active: boolean;
  readonly status: PrebuildStatus;
  /** `coderd_prebuilt_workspaces_created_total` and friends, or null without a series. */
  readonly created: number | null;
  readonly failed: number | null;
  readonly claimed: number | null;
  readonly desired: number | null;
  readonly running: number | null;
  readonly eligible: number | null;
}

const PRESETS_SQL = `
SELECT p.id::text AS id, o.name AS organization, p.prebuild_status::text AS status,
       (tv.id = t.active_version_id AND NOT t.deleted AND t.deprecated = '') AS active
FROM template_version_presets p
JOIN template_versions tv ON tv.id = p.template_version_id
JOIN templates t ON t.id = tv.template_id
JOIN organizations o ON o.id = t.organization_id
ORDER BY p.id`;

type SeriesIndex = Map<string, Map<string, number>>;

function seriesKey(organization: string, template: string, preset: string): string {
  return JSON.stringify([organization, template, preset]);
}

async function indexSeries(registry: Registry | null): Promise<SeriesIndex> {
  const index: SeriesIndex = new Map();
  if (registry === null) return index;
  for (const metric of await registry.getMetricsAsJSON()) {
    const byLabels = new Map<string, number>();
    for (const v of metric.values) {
      const l = v.labels as Record<string, string | number | undefined>;
      if (l.template_name === undefined) continue;
      byLabels.set(
        seriesKey(String(l.organization_name), String(l.template_name), String(l.preset_name)),
        v.value,
      );
    }
    index.set(metric.name, byLabels);
  }
  return index;
}

/** Reads the presets' end values; `registry` is a live replica's (null when every replica is down). */
export async function readPresetEndValues(
  db: SqlExecutor,
  registry: Registry | null,
  presets: readonly CatalogPreset[],
): Promise<PresetEndValues[]> {
  const rows = new Map((await db.query(PRESETS_SQL)).map((r) => [String(r.id), r]));
  const series = await indexSeries(registry);
  return presets.map((p) => {
    const row = rows.get(p.id);
    if (row === undefined)
      throw new Error(`end values: preset ${p.key} (${p.id}) is missing from the database`);
    const k = seriesKey(String(row.organization), p.template, p.name);
    const value = (name: string): number | null => series.get(name)?.get(k) ?? null;
    return {
      key: p.key,
      template: p.template,
      version: p.version,
      preset: p.name,
      active: row.active === true,
      status: String(row.status) as PrebuildStatus,
      created: value(MetricName.createdTotal),
      failed: value(MetricName.failedTotal),
      claimed: value(MetricName.claimedTotal),
      desired: row.active === true ? value(MetricName.desired) : null,
      running: row.active === true ? value(MetricName.running) : null,
      eligible: row.active === true ? value(MetricName.eligible) : null,
    };
  });
}
