// The scenario `prebuildsim import` writes: YAML the loader takes as it is, preceded by a header
// comment that says where every figure came from — the window, the rows behind each figure, each
// fit's quality and what fell back to a default.
import { stringify } from "yaml";
import { formatDuration } from "../clock/format.ts";
import { type Duration, HOUR } from "../clock/types.ts";
import { describeHours } from "../scenario/diurnal.ts";
import { formatIsoDuration, formatIsoInstant } from "../scenario/isoTime.ts";
import { formatPresetRef } from "../scenario/presetRef.ts";
import type { DiurnalFit, DurationFit, Fitted, PresetFit, ProportionFit, RateFit, WeekFit } from "./fit.ts";
import { OWN_TIME_MIN_DIFFERENCE, THIN_HOUR_CLAIMS, WEEKEND_Z } from "./fit.ts";

/** How every imported scenario begins: `import --out` replaces only a file that begins so. */
export const IMPORT_HEADER_START = "# Written by prebuildsim import";

export interface WriteOptions {
  /** The scenario's name ([a-z0-9-]+). */
  readonly name: string;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A rate as the scenario writes it: `12.5/h`, four decimals at most. */
export function rateText(perHour: number): string {
  return `${round(perHour, 4)}/h`;
}

function distribution(fit: DurationFit): Record<string, string> {
  if (fit.shape === "fixed") return { fixed: formatIsoDuration(fit.median) };
  return { median: formatIsoDuration(fit.median), p90: formatIsoDuration(Math.max(fit.p90, fit.median)) };
}

/** Consecutive hours with the same multiplier as one key: {"0-7": 0.1, "8": 1.5, …}. */
export function hoursMap(multipliers: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  let from = 0;
  for (let h = 1; h <= multipliers.length; h++) {
    if (h < multipliers.length && multipliers[h] === multipliers[from]) continue;
    out[h - 1 === from ? `${from}` : `${from}-${h - 1}`] = multipliers[from] as number;
    from = h;
  }
  return out;
}

// ---- header -----------------------------------------------------------------------------------

function bound(ms: number): string {
  return Number.isFinite(ms) ? formatDuration(ms) : "unbounded (too few samples)";
}

function durationLine(what: string, fit: DurationFit | null, rows: string): string {
  if (fit === null) return `${what}: not fitted (fewer than 5 ${rows}): the scenario's default`;
  const q = fit.quantiles.map(formatDuration);
  const shape =
    fit.shape === "fixed"
      ? `fixed ${formatDuration(fit.median)} (every sample within 1% of it)`
      : `log-normal, median ${formatDuration(fit.median)} (95% ${bound(fit.medianInterval.low)}–${bound(fit.medianInterval.high)}), p90 ${formatDuration(fit.p90)} (95% ${bound(fit.p90Interval.low)}–${bound(fit.p90Interval.high)})`;
  const quality =
    fit.shape === "fixed"
      ? ""
      : fit.good
        ? `; fit good (KS ${round(fit.ks, 3)} ≤ ${round(fit.ksBound, 3)})`
        : `; fit POOR (KS ${round(fit.ks, 3)} > ${round(fit.ksBound, 3)}): median and p90 are the empirical ones, the shape around them is not (empirical p50/p75/p90/p99 ${q.join(" / ")})`;
  return `${what}: ${shape} from ${fit.n} ${rows}${quality}`;
}

function proportionText(p: ProportionFit | null): string {
  if (p === null) return "too few finished builds to say";
  return `${round(p.rate, 4)} (${p.failed} of ${p.finished}, 95% ${round(p.interval.low, 3)}–${round(p.interval.high, 3)})`;
}

function rateLine(r: RateFit): string {
  return `${r.count} in ${round(r.hours, 2)} h = ${round(r.perHour, 3)}/h (Poisson 95% ${round(r.low, 3)}–${round(r.high, 3)}/h)`;
}

function diurnalText(d: DiurnalFit | null, what: "claims" | "builds" = "claims"): string {
  if (d === null) return `no ${what}`;
  const thin = d.claimsByHour.flatMap((c, h) =>
    (d.exposureHours[h] as number) > 0 && c < THIN_HOUR_CLAIMS ? [h] : [],
  );
  const test = `chi² ${round(d.chiSquare, 1)} ${d.significant ? ">" : "≤"} ${round(d.critical, 1)} at 0.1%`;
  if (!d.significant) return `flat: the local hours do not differ beyond chance (${test})`;
  const days = d.days === "weekdays" ? ", weekdays" : "";
  return `by local hour in ${d.timezone}${days} (${test})${thin.length > 0 ? `; thin hours (< ${THIN_HOUR_CLAIMS} ${what}): ${describeHours(thin)}` : ""}`;
}

function stoppingFailureText(forced: number): string {
  if (forced === 0) return "";
  return "; hard-limited: the failure that stopped its prebuilds is left out (it only ended the sample)";
}

function presetLines(p: PresetFit): string[] {
  const label = formatPresetRef({ template: p.template, preset: p.name });
  const lines = [
    `preset ${label}: claims ${rateLine(p.claims)}: ${p.hits} hits, ${p.misses} misses`,
    `  demand shape: ${diurnalText(p.diurnal)}`,
    `  prebuild starts ${p.prebuildStarts}; start failures ${proportionText(p.startFailures)}${stoppingFailureText(p.stoppingFailures)}`,
  ];
  const own = (written: boolean, field: string) =>
    written
      ? ` → written as its ${field} (the pooled median or p90 lies outside its 95% interval, > ${OWN_TIME_MIN_DIFFERENCE * 100}% apart)`
      : "";
  if (p.buildTime !== null)
    lines.push(
      `  ${durationLine("build time", p.buildTime, "succeeded start builds that were no claim")}${own(p.times.own.buildTime, "buildTime")}`,
    );
  if (p.times.own.deleteTime)
    lines.push(
      `  ${durationLine("delete time", p.times.deleteTime, "succeeded prebuild deletes")}${own(true, "deleteTime")}`,
    );
  if (p.times.own.agentReady)
    lines.push(
      `  ${durationLine("agent-ready time", p.times.agentReady, "succeeded prebuild starts with ready agents")}${own(true, "agentReadyAfter")}`,
    );
  const w = p.week;
  if (w !== null) {
    const rates = `weekday ${round(w.weekday.perHour, 3)}/h vs weekend ${round(w.weekend.perHour, 3)}/h`;
    lines.push(
      w.significant
        ? `  ${rates} (|z| ${round(w.z, 1)} > ${WEEKEND_Z}): rate is the weekdays', hours fitted on weekdays, weekend: ${round(w.factor, 3)} (95% ${round(w.factorInterval.low, 3)}–${round(w.factorInterval.high, 3)})`
        : `  ${rates} (|z| ${round(w.z, 1)} ≤ ${WEEKEND_Z}): no weekend shape`,
    );
  }
  return lines;
}

function reconciliationLines(f: Fitted): string[] {
  const r = f.reconciliation;
  if (r === null)
    return f.limits.length === 0
      ? []
      : [
          "Reconciliation: no coderd_prebuilds_reconciliation_duration_seconds histogram in the export: interval and replicas stay Coder's defaults.",
        ];
  const ms = (v: Duration | null) => (v === null ? "unknown" : formatDuration(v));
  return [
    `Reconciliation (coderd_prebuilds_reconciliation_duration_seconds): ${r.cycles} cycles on ${r.instances} instance${r.instances === 1 ? "" : "s"}` +
      (r.interval === null
        ? ": no cycle in the window, interval and replicas stay the defaults."
        : `: one every ${formatDuration(r.interval)} per instance → settings.reconciliationInterval, replicas ${r.instances}.`),
    `  a cycle takes: mean ${ms(r.mean)}, p50 ${ms(r.p50)}, p90 ${ms(r.p90)} (histogram_quantile of its buckets; the time of a cycle, not of a build).`,
  ];
}

/** Which presets' builds the pooled fit leaves out: those written with their own time. */
function ownExcluded(f: Fitted, field: keyof PresetFit["times"]["own"]): string {
  const own = f.presets
    .filter((p) => p.times.own[field])
    .map((p) => formatPresetRef({ template: p.template, preset: p.name }));
  return own.length === 0 ? "" : `, without ${own.join(", ")} (their own below)`;
}

function header(f: Fitted): string[] {
  const hours = (f.until - f.since) / HOUR;
  const rows = Object.entries(f.rowCounts)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  const lines = [
    `Written by prebuildsim import from ${f.source}.`,
    `Window: ${formatIsoInstant(f.since)} to ${formatIsoInstant(f.until)} (${round(hours, 2)} h); rows: ${rows}.`,
    `Time zone of the demand: ${f.timezone} — ${f.timezoneHow}.`,
    "Settings: the reconciliation interval, backoff, hard limit and replicas are coderd flags, not in",
    "the database: the scenario leaves them at Coder's defaults. Templates, versions, presets,",
    "parameters, desired instances, schedules and TTLs are as the database holds them now.",
    `Pause: ${f.paused === null ? "never stored (not paused)" : f.paused ? "paused (site_configs prebuilds_settings): an event pauses at PT0S" : "not paused"}.`,
    `provisioners.daemons: ${f.daemons.total ?? "default"} — ${f.daemons.how}.`,
    durationLine(
      "provisioners.buildTime",
      f.buildTime,
      `succeeded start builds that were no claim (job start to completion)${ownExcluded(f, "buildTime")}`,
    ),
    durationLine(
      "provisioners.deleteTime",
      f.deleteTime,
      `succeeded prebuild deletes${ownExcluded(f, "deleteTime")}`,
    ),
    durationLine(
      "provisioners.agentReadyAfter",
      f.agentReady,
      `succeeded prebuild starts with ready agents (job completion to agents ready)${ownExcluded(f, "agentReady")}`,
    ),
    `Failure rate of prebuild builds by transition: start ${proportionText(f.failures.start)}; stop ${proportionText(f.failures.stop)}; delete ${proportionText(f.failures.delete)} (the scenario models start failures only).`,
    `People's other builds (no preset, or not a workspace's first start): ${rateLine(f.otherHumanBuilds)}; they share the provisioner queue: workload.builds, simulated as new workspaces' start builds of provisioners.buildTime (one job each, as each of theirs was).`,
    ...f.ordinaryBuilds.map(
      (b) => `  template ${b.template}: ${rateLine(b.rate)}; shape: ${diurnalText(b.diurnal, "builds")}`,
    ),
    ...reconciliationLines(f),
    f.users === null
      ? "users.count: the source names no people: the scenario's default"
      : `users.count: ${Math.max(1, f.users)} — the distinct people who built in the window.`,
    ...f.presets.flatMap(presetLines),
    ...f.limits.map((l) => `NOT IN THIS SOURCE: ${l}`),
    ...f.warnings.map((w) => `WARNING: ${w}`),
    "Run it: prebuildsim run <this file>; plan with it: prebuildsim sweep <this file> --vary …",
  ];
  return lines;
}

// ---- the scenario -----------------------------------------------------------------------------

/** A stream's timezone, hours and weekend, as far as the data shows them beyond chance. */
function shape(
  diurnal: DiurnalFit | null,
  weekend: WeekFit | null,
  timezone: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (diurnal?.significant === true) out.hours = hoursMap(diurnal.multipliers);
  if (weekend !== null) out.weekend = round(weekend.factor, 3);
  if (Object.keys(out).length > 0) return { timezone: diurnal?.timezone ?? timezone, ...out };
  return out;
}

function scenarioObject(f: Fitted, options: WriteOptions): Record<string, unknown> {
  const hours = (f.until - f.since) / HOUR;
  const presetFit = new Map(f.presets.map((p) => [`${p.template}\u0000${p.name}`, p]));
  const organizations = [
    ...new Set(f.templates.flatMap((t) => (t.organization === null ? [] : [t.organization]))),
  ];
  const provisioners: Record<string, unknown> = {};
  if (f.daemons.total !== null) provisioners.daemons = f.daemons.total;
  if (f.daemons.prebuildOnly > 0) provisioners.prebuildDaemons = f.daemons.prebuildOnly;
  if (f.buildTime !== null) provisioners.buildTime = distribution(f.buildTime);
  if (f.deleteTime !== null) provisioners.deleteTime = distribution(f.deleteTime);
  if (f.agentReady !== null) provisioners.agentReadyAfter = distribution(f.agentReady);
  if (f.failures.start !== null) provisioners.failureRate = round(f.failures.start.rate, 4);

  const templates = f.templates.map((t) => {
    const versions = t.versions.map((v) => ({
      name: v.name,
      ...(v.active ? { active: true } : {}),
      ...(v.parameters.length > 0
        ? {
            parameters: v.parameters.map((p) => ({
              name: p.name,
              ...(p.required ? { required: true } : {}),
              ...(p.default !== "" ? { default: p.default } : {}),
              ...(p.immutable ? { immutable: true } : {}),
            })),
          }
        : {}),
      presets: v.presets.map((p) => {
        const fit = presetFit.get(`${t.name}\u0000${p.name}`);
        const preset: Record<string, unknown> = { name: p.name };
        if (p.desiredInstances !== null) preset.desiredInstances = p.desiredInstances;
        if (p.parameters.length > 0)
          preset.parameters = Object.fromEntries(
            [...p.parameters].sort((a, b) => (a.name < b.name ? -1 : 1)).map((x) => [x.name, x.value]),
          );
        if (p.invalidateAfterSecs !== null && p.invalidateAfterSecs > 0)
          preset.ttl = formatIsoDuration(p.invalidateAfterSecs * 1000);
        if (fit?.startFailures != null) preset.failureRate = round(fit.startFailures.rate, 4);
        if (fit?.times.own.buildTime && fit.times.buildTime !== null)
          preset.buildTime = distribution(fit.times.buildTime);
        if (fit?.times.own.deleteTime && fit.times.deleteTime !== null)
          preset.deleteTime = distribution(fit.times.deleteTime);
        if (fit?.times.own.agentReady && fit.times.agentReady !== null)
          preset.agentReadyAfter = distribution(fit.times.agentReady);
        if (p.schedules.length > 0)
          preset.scheduling = {
            timezone: p.schedulingTimezone === "" ? "UTC" : p.schedulingTimezone,
            schedules: p.schedules.map((s) => ({ cron: s.cron, instances: s.instances })),
          };
        return preset;
      }),
    }));
    return { name: t.name, ...(t.organization === null ? {} : { organization: t.organization }), versions };
  });

  // Claims go to the preset of the same name on the template's active version, as people pick it.
  const claims: Record<string, unknown>[] = [];
  for (const p of f.presets) {
    if (p.claims.count === 0) continue;
    const template = f.templates.find((t) => t.name === p.template);
    const active = template?.versions.find((v) => v.active);
    if (active === undefined || !active.presets.some((x) => x.name === p.name)) continue;
    const weekend = p.week?.significant === true ? p.week : null;
    const stream: Record<string, unknown> = {
      preset: formatPresetRef({ template: p.template, preset: p.name }),
      // With a weekend factor the rate is the weekdays' (the factor scales it on weekends).
      rate: rateText(weekend === null ? p.claims.count / hours : weekend.weekday.perHour),
      ...shape(p.diurnal, weekend, f.timezone),
    };
    claims.push(stream);
  }
  const builds = f.ordinaryBuilds
    .filter((b) => b.rate.count > 0)
    .map((b) => ({
      template: b.template,
      rate: rateText(b.rate.count / hours),
      ...shape(b.diurnal, null, f.timezone),
    }));

  return {
    name: options.name,
    description: `Imported by prebuildsim import: ${formatIsoInstant(f.since)} to ${formatIsoInstant(f.until)}.`,
    seed: 1,
    start: formatIsoInstant(f.since),
    duration: formatIsoDuration(f.until - f.since),
    ...(f.reconciliation?.interval != null
      ? {
          settings: { reconciliationInterval: formatIsoDuration(f.reconciliation.interval) },
          replicas: { count: f.reconciliation.instances },
        }
      : {}),
    ...(Object.keys(provisioners).length > 0 ? { provisioners } : {}),
    ...(organizations.length > 0 ? { organizations: ["default", ...organizations] } : {}),
    templates,
    ...(f.users === null ? {} : { users: { count: Math.max(1, f.users) } }),
    ...(claims.length > 0 || builds.length > 0
      ? { workload: { ...(claims.length > 0 ? { claims } : {}), ...(builds.length > 0 ? { builds } : {}) } }
      : {}),
    ...(f.paused === true ? { events: [{ at: "PT0S", pause: true }] } : {}),
  };
}

/** The scenario file's text: the header comment, then the YAML. */
export function writeScenarioText(f: Fitted, options: WriteOptions): string {
  const comment = header(f)
    .map((l) => `# ${l}`.trimEnd())
    .join("\n");
  const body = stringify(scenarioObject(f, options), { lineWidth: 0, indent: 2 });
  return `${comment}\n${body}`;
}
