// The Prometheus path of `prebuildsim import` (`--from-prometheus FILE`): a range-query JSON export
// (`/api/v1/query_range`, one response or an array of them) of Coder's prebuild metrics turned into
// the same observations the database gives, so the one fitting module fits it: each increase of
// `coderd_prebuilt_workspaces_created_total` becomes prebuild start builds, of `_failed_total`
// failed ones, of `_claimed_total` claims at the middle of the step it happened in; the last
// `_desired` is the preset's desired instances, `_reconciliation_paused` the pause.
//
// The reconciliation-duration histogram (`coderd_prebuilds_reconciliation_duration_seconds`, one
// observation per reconciler tick on every replica), when exported, gives the cycles each instance
// ran — so the reconciliation interval and the number of replicas — and how long a cycle takes.
//
// What the metrics cannot give, said in the scenario's header: build, delete and agent-ready
// times (no job timings among these metrics; the histogram times cycles, not builds), claims that
// missed (the claimed counter counts claimed prebuilds only, so demand is a lower bound), template
// versions, parameters, schedules, TTLs and the provisioner daemons.
import { HOUR, type Instant } from "../clock/types.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../db/constants.ts";
import { MetricName } from "../prebuilds/metricsCollector.ts";
import { RECONCILIATION_DURATION_METRIC } from "../prebuilds/reconciler.ts";
import { InputError } from "../run/inputError.ts";
import type { Observations, ObservedBuild, ObservedPreset, ObservedReconciliation } from "./observations.ts";
import type { ImportFilter } from "./queries.ts";

export const PROMETHEUS_LIMITS = [
  "build, delete and agent-ready times: no job timings among these metrics (the scenario's defaults stand)",
  "claims that missed: the claimed counter counts claimed prebuilds only, so the demand is a lower bound",
  "template versions, parameters, schedules and TTLs: one version named `metrics` with the presets seen",
  "provisioner daemons and people's other builds",
] as const;

/** The version every imported preset is put on: the metrics carry no version. */
const VERSION = "metrics";

interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly points: readonly (readonly [number, number])[];
}

function parseExport(text: string, file: string): Series[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `${file}: not JSON (${(error as Error).message}); expected a Prometheus range-query response`,
    );
  }
  const responses = Array.isArray(json) ? json : [json];
  const out: Series[] = [];
  responses.forEach((r, i) => {
    const where = Array.isArray(json) ? `${file}: [${i}]` : file;
    const data = (r as { data?: { resultType?: unknown; result?: unknown } } | null)?.data;
    if (data?.resultType !== "matrix" || !Array.isArray(data.result))
      throw new InputError(
        `${where}: expected a range-query response: {"data": {"resultType": "matrix", "result": [...]}}`,
      );
    data.result.forEach((s: unknown, j: number) => {
      const series = s as { metric?: Record<string, string>; values?: unknown };
      const name = series.metric?.__name__;
      if (typeof name !== "string" || !Array.isArray(series.values))
        throw new InputError(`${where}.data.result[${j}]: expected a series with metric.__name__ and values`);
      const points = (series.values as unknown[]).map((v, k) => {
        const pair = v as [unknown, unknown];
        const t = Number(pair?.[0]);
        const value = Number(pair?.[1]);
        if (!Array.isArray(v) || !Number.isFinite(t) || Number.isNaN(value))
          throw new InputError(`${where}.data.result[${j}].values[${k}]: expected [unix seconds, "value"]`);
        return [Math.round(t * 1000), value] as const;
      });
      const { __name__: _, ...labels } = series.metric ?? {};
      out.push({ name, labels, points });
    });
  });
  return out;
}

function presetKey(labels: Readonly<Record<string, string>>): string | undefined {
  const t = labels.template_name;
  const p = labels.preset_name;
  return t === undefined || p === undefined
    ? undefined
    : JSON.stringify([labels.organization_name ?? "", t, p]);
}

/** One value per instant over every instance (replicas report the same database counts: the largest wins). */
function merged(series: readonly Series[]): [Instant, number][] {
  const byTime = new Map<Instant, number>();
  for (const s of series) for (const [t, v] of s.points) byTime.set(t, Math.max(byTime.get(t) ?? v, v));
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]);
}

/**
 * The increases of a counter in (since, until], each at the middle of its step; a drop is a reset.
 * A series that begins inside the window began there (the counter appeared): its first value
 * counts from 0 at `since`.
 */
function increases(points: readonly [Instant, number][], since: Instant, until: Instant): Instant[] {
  const first = points[0];
  const from: [Instant, number][] =
    first !== undefined && first[0] > since ? [[since, 0], ...points] : [...points];
  const out: Instant[] = [];
  for (let i = 1; i < from.length; i++) {
    const [t0, v0] = from[i - 1] as [Instant, number];
    const [t1, v1] = from[i] as [Instant, number];
    if (t1 <= since || t1 > until) continue;
    const inc = v1 >= v0 ? v1 - v0 : v1;
    const at = Math.max(since, Math.floor((t0 + t1) / 2));
    for (let k = 0; k < Math.round(inc); k++) out.push(at);
  }
  return out;
}

/** The total increase of a counter over (since, until]; a drop is a reset. */
function increase(points: readonly (readonly [Instant, number])[], since: Instant, until: Instant): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    const [, v0] = points[i - 1] as readonly [Instant, number];
    const [t1, v1] = points[i] as readonly [Instant, number];
    if (t1 <= since || t1 > until) continue;
    total += v1 >= v0 ? v1 - v0 : v1;
  }
  return total;
}

/** The reconciliation-duration histogram over the window, pooled over instances; null when not exported. */
function reconciliationOf(
  all: readonly Series[],
  since: Instant,
  until: Instant,
): ObservedReconciliation | null {
  const of = (suffix: string) => all.filter((s) => s.name === `${RECONCILIATION_DURATION_METRIC}_${suffix}`);
  const counts = of("count");
  if (counts.length === 0) return null;
  const byLe = new Map<number, number>();
  for (const s of of("bucket")) {
    const le = s.labels.le === "+Inf" ? Number.POSITIVE_INFINITY : Number(s.labels.le);
    if (!Number.isNaN(le)) byLe.set(le, (byLe.get(le) ?? 0) + increase(s.points, since, until));
  }
  return {
    instances: new Set(counts.map((s) => JSON.stringify(s.labels))).size,
    cycles: Math.round(counts.reduce((n, s) => n + increase(s.points, since, until), 0)),
    seconds: of("sum").reduce((n, s) => n + increase(s.points, since, until), 0),
    buckets: [...byLe.entries()].sort((a, b) => a[0] - b[0]),
  };
}

export function observationsFromPrometheus(text: string, file: string, options: ImportFilter): Observations {
  const all = parseExport(text, file);
  const ours = all.filter((s) => s.name.startsWith("coderd_prebuilt_workspaces_"));
  if (ours.length === 0)
    throw new InputError(
      `${file}: no coderd_prebuilt_workspaces_* series; export them with a range query like {__name__=~"coderd_prebuilt_workspaces_.*"}`,
    );
  const times = ours.flatMap((s) => s.points.map((p) => p[0]));
  // By default the whole hours the samples span (as the database path's window).
  const since = options.since ?? Math.floor(Math.min(...times) / HOUR) * HOUR;
  const until = options.until ?? Math.ceil(Math.max(...times) / HOUR) * HOUR;
  if (until <= since)
    throw new InputError(`${file}: the series cover no time (one instant at most); export a range`);

  const keys = [...new Set(ours.flatMap((s) => presetKey(s.labels) ?? []))].sort();
  const selected = keys.filter((k) => {
    const [org, template] = JSON.parse(k) as [string, string, string];
    return (
      (options.organization === undefined || options.organization === org) &&
      (options.templates === undefined ||
        options.templates.length === 0 ||
        options.templates.includes(template))
    );
  });
  const orgs = [...new Set(selected.map((k) => (JSON.parse(k) as string[])[0] ?? ""))];
  const templates = [
    ...new Set(selected.map((k) => JSON.stringify((JSON.parse(k) as string[]).slice(0, 2)))),
  ];
  const of = (name: string, key: string) =>
    merged(ours.filter((s) => s.name === name && presetKey(s.labels) === key));

  const presets: ObservedPreset[] = [];
  const builds: ObservedBuild[] = [];
  let n = 0;
  const build = (
    templateId: string,
    presetId: string,
    at: Instant,
    o: Partial<ObservedBuild>,
  ): ObservedBuild => {
    n += 1;
    return {
      id: `metrics-build-${n}`,
      workspaceId: `metrics-workspace-${n}`,
      templateId,
      versionId: `${templateId}/${VERSION}`,
      presetId,
      buildNumber: 1,
      transition: "start",
      initiatorId: PREBUILDS_SYSTEM_USER_ID,
      byPrebuilds: true,
      previousByPrebuilds: false,
      createdAt: at,
      startedAt: null,
      completedAt: null,
      status: "succeeded",
      workerId: null,
      agentsReadyAt: null,
      ...o,
    };
  };
  for (const key of selected) {
    const [, template, preset] = JSON.parse(key) as [string, string, string];
    const templateId = JSON.stringify([JSON.parse(key)[0], template]);
    const desired = of(MetricName.desired, key).filter(([t]) => t >= since && t <= until);
    presets.push({
      id: key,
      versionId: `${templateId}/${VERSION}`,
      name: preset,
      desiredInstances: desired.at(-1)?.[1] ?? null,
      invalidateAfterSecs: null,
      schedulingTimezone: "",
      prebuildStatus: "healthy",
      parameters: [],
      schedules: [],
    });
    const created = increases(of(MetricName.createdTotal, key), since, until);
    const failed = increases(of(MetricName.failedTotal, key), since, until).length;
    // The failures are among the creations; which ones does not matter to the fit.
    created.forEach((at, i) => {
      builds.push(build(templateId, key, at, { status: i < failed ? "failed" : "succeeded" }));
    });
    for (const at of increases(of(MetricName.claimedTotal, key), since, until))
      builds.push(
        build(templateId, key, at, {
          byPrebuilds: false,
          initiatorId: "someone",
          buildNumber: 2,
          previousByPrebuilds: true,
        }),
      );
  }
  const reconciliation = reconciliationOf(all, since, until);
  const paused = merged(ours.filter((s) => s.name === MetricName.reconciliationPaused)).filter(
    ([t]) => t <= until,
  );
  return {
    source: `the Prometheus export ${file}`,
    since,
    until,
    templates: templates.map((id) => {
      const [org, name] = JSON.parse(id) as [string, string];
      return {
        id,
        name,
        organization: orgs.length > 1 ? org : null,
        activeVersionId: `${id}/${VERSION}`,
        deprecated: "",
      };
    }),
    versions: templates.map((id) => ({
      id: `${id}/${VERSION}`,
      templateId: id,
      name: VERSION,
      createdAt: since,
    })),
    parameters: [],
    presets,
    builds: builds.sort((a, b) => a.createdAt - b.createdAt),
    paused: paused.length === 0 ? null : (paused.at(-1)?.[1] ?? 0) > 0,
    limits: PROMETHEUS_LIMITS,
    ...(reconciliation === null ? {} : { reconciliation }),
  };
}
