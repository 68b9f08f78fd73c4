// Everything one run's report shows, assembled from the run directory's files: the summary, the
// sampled series, the scenario's facts and the trace digest, joined per preset and with every
// violation placed on the chart that shows its subject. Pure: charts and documents render from it.

import type { PresetSummary, RunSummary, Violation } from "../check/summary.ts";
import { claimKey, presetKey } from "../trace/presetKey.ts";
import type { PresetSeries, QueueSample, TimeSeries } from "../trace/timeseries.ts";
import type { Interval } from "./intervals.ts";
import { type LockTimeline, lockTimeline } from "./lockTimeline.ts";
import type { ScenarioFacts } from "./scenarioFacts.ts";
import { parseInstant } from "./timeFormat.ts";
import type { Instant } from "./timeUnits.ts";
import type { TraceDigest } from "./traceDigest.ts";
import { type TraceExcerpt, traceExcerpt } from "./traceExcerpt.ts";
import type { TraceReading } from "./traceReader.ts";
import { inactivePeriods } from "./versionActivity.ts";

export interface PresetView {
  /** `template/version/preset` */
  key: string;
  template: string;
  version: string;
  preset: string;
  organization: string;
  /** at the end of the run (the summary's word), else whether it was active at the start */
  active: boolean;
  /** the chart showing it: `preset-<n>-<slug>` */
  chartId: string;
  summary: PresetSummary | null;
  series: PresetSeries | null;
  inactive: Interval[];
  backoffs: Interval[];
  hardLimitedAt: Instant[];
  convergedAt: Instant | null;
}

export interface PlacedViolation {
  /** `violation-3` or `allowed-1`: the anchor in report.html */
  anchor: string;
  allowed: boolean;
  violation: Violation;
  at: Instant;
  /** the chart id whose marker links here */
  chartId: string;
  /** the replica lane the marker sits in, on the lock chart */
  lane?: string;
  excerpt: TraceExcerpt;
}

export interface RunReportData {
  /** the directory as the replay command should name it */
  runDir: string;
  summary: RunSummary;
  start: Instant;
  end: Instant;
  scenarioText: string;
  facts: ScenarioFacts;
  digest: TraceDigest;
  lock: LockTimeline;
  presets: PresetView[];
  queue: QueueSample[];
  sampleEvery: number;
  violations: PlacedViolation[];
}

export const LOCK_CHART_ID = "lock";
export const CYCLES_CHART_ID = "cycles";
export const CLAIMS_CHART_ID = "claims";
export const CLAIM_WAITS_CHART_ID = "claim-waits";
export const QUEUE_CHART_ID = "queue";

/**
 * Whether `name` is a chart file this tool writes (`<id>.svg|png`: a fixed chart, or a preset's
 * `preset-<n>-<slug>`): only such files are removed when a rendering no longer has them, so a file
 * someone else put in `charts/` is never deleted.
 */
export function isChartFileName(name: string): boolean {
  const match = /^(.+)\.(?:svg|png)$/.exec(name);
  if (match === null) return false;
  const id = match[1] as string;
  return FIXED_CHART_IDS.has(id) || /^preset-\d+-[a-z0-9-]*$/.test(id);
}

const FIXED_CHART_IDS: ReadonlySet<string> = new Set([
  CLAIMS_CHART_ID,
  CLAIM_WAITS_CHART_ID,
  QUEUE_CHART_ID,
  LOCK_CHART_ID,
  CYCLES_CHART_ID,
]);

/** A file-name-safe rendering of a key (the index keeps it unique; the slug keeps it readable). */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  return s === "" ? "x" : s;
}

function presetViews(
  summary: RunSummary,
  series: TimeSeries,
  facts: ScenarioFacts,
  digest: TraceDigest,
  start: Instant,
  end: Instant,
): PresetView[] {
  const byKey = new Map<
    string,
    { summary: PresetSummary | null; series: PresetSeries | null; parts: [string, string, string] }
  >();
  // Active presets first, then the draining ones, each in the summary's order; series-only keys last.
  const ordered = [...summary.presets.filter((p) => p.active), ...summary.presets.filter((p) => !p.active)];
  for (const p of ordered)
    byKey.set(presetKey(p.template, p.version, p.preset), {
      summary: p,
      series: null,
      parts: [p.template, p.version, p.preset],
    });
  for (const s of series.presets) {
    const entry = byKey.get(s.key);
    if (entry !== undefined) entry.series = s;
    else byKey.set(s.key, { summary: null, series: s, parts: [s.template, s.version, s.preset] });
  }
  return [...byKey].map(([key, entry], i): PresetView => {
    const [template, version, preset] = entry.parts;
    const activeAtStart =
      facts.initialActiveVersion.get(template) === version ||
      (!facts.initialActiveVersion.has(template) && (entry.summary?.active ?? true));
    const convergedAt = entry.summary?.convergedAt ?? null;
    return {
      key,
      template,
      version,
      preset,
      organization: facts.organizations.get(template) ?? "default",
      active: entry.summary?.active ?? activeAtStart,
      chartId: `preset-${i + 1}-${slug(key)}`,
      summary: entry.summary,
      series: entry.series,
      inactive: inactivePeriods(template, version, activeAtStart, digest.operator, start, end),
      backoffs: digest.backoffs.get(key) ?? [],
      hardLimitedAt: digest.hardLimits.filter((h) => h.preset === key).map((h) => h.t),
      convergedAt:
        convergedAt === null ? null : parseInstant(convergedAt, `summary.json presets[${key}].convergedAt`),
    };
  });
}

/** Which chart shows a violation's subject: its preset, its replica's lock lane, else the reconciler. */
function placeViolation(
  v: Violation,
  presets: readonly PresetView[],
  lock: LockTimeline,
  digest: TraceDigest,
): { chartId: string; lane?: string } {
  const subjectKey = digest.workspacePreset.get(v.subject) ?? v.subject;
  const preset =
    presets.find((p) => p.key === subjectKey) ??
    presets.find((p) => p.active && claimKey(p.template, p.preset) === subjectKey);
  if (preset !== undefined) return { chartId: preset.chartId };
  if (lock.replicas.includes(v.subject)) return { chartId: LOCK_CHART_ID, lane: v.subject };
  if (v.invariant === "single-lock-holder") return { chartId: LOCK_CHART_ID };
  return { chartId: CYCLES_CHART_ID };
}

export function runReportData(input: {
  runDir: string;
  summary: RunSummary;
  series: TimeSeries;
  scenarioText: string;
  facts: ScenarioFacts;
  trace: TraceReading;
}): RunReportData {
  const { summary, series, facts, trace } = input;
  const start = parseInstant(summary.start, "summary.json start");
  const end = parseInstant(summary.end, "summary.json end");
  if (end < start)
    throw new Error(`report: summary.json ends (${summary.end}) before it starts (${summary.start})`);
  const digest = trace.digest;
  const lock = lockTimeline(digest.lockEvents, digest.cycles, end);
  const presets = presetViews(summary, series, facts, digest, start, end);
  const place =
    (allowed: boolean) =>
    (v: Violation, i: number): PlacedViolation => ({
      anchor: `${allowed ? "allowed" : "violation"}-${i + 1}`,
      allowed,
      violation: v,
      at: parseInstant(v.at, `summary.json ${allowed ? "allowed" : "violations"}[${i}].at`),
      ...placeViolation(v, presets, lock, digest),
      excerpt: traceExcerpt(v, trace.quoted, digest.lineCount),
    });
  return {
    runDir: input.runDir,
    summary,
    start,
    end,
    scenarioText: input.scenarioText,
    facts,
    digest,
    lock,
    presets,
    queue: series.queue,
    sampleEvery: series.sampleEvery,
    violations: [...summary.violations.map(place(false)), ...summary.allowed.map(place(true))],
  };
}
