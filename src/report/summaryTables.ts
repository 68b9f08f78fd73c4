// The run's summary as tables of plain cells, rendered by both report.html and report.md, so the
// two documents say the same thing. Cells hold raw text; each renderer escapes for its format.
import { type Provisioning, provisioningOf } from "../check/provisioning.ts";
import { describeEffect } from "../world/faults/registry.ts";
import { INVARIANTS, type InvariantInfo } from "./invariants.ts";
import { naturalCompare } from "./naturalOrder.ts";
import type { PresetView, RunReportData } from "./runModel.ts";
import { formatDuration, formatOffset, formatUtc } from "./timeFormat.ts";
import { type Instant, SECOND } from "./timeUnits.ts";

export type Tone = "pass" | "fail" | "allowed" | "muted";

export interface Cell {
  text: string;
  /** an anchor inside the same report (HTML links it; Markdown has no such anchors) */
  anchor?: string;
  tone?: Tone;
  /** monospace: commands, hashes, identifiers */
  code?: boolean;
}

export interface Table {
  id: string;
  title: string;
  head: string[];
  /** right-aligned columns */
  numeric: boolean[];
  rows: Cell[][];
}

const c = (text: string | number, extra: Omit<Cell, "text"> = {}): Cell => ({ text: String(text), ...extra });

function keyValue(id: string, title: string, rows: Array<[string, Cell]>): Table {
  return { id, title, head: ["", ""], numeric: [false, false], rows: rows.map(([k, v]) => [c(k), v]) };
}

export function verdictText(data: RunReportData): string {
  const s = data.summary;
  const counts = `${s.violations.length} violation${s.violations.length === 1 ? "" : "s"}, ${s.allowed.length} allowed`;
  return `${s.ok ? "PASS" : "FAIL"} (${counts})`;
}

export function replayCommand(data: RunReportData): string {
  const dir = data.runDir;
  return `prebuildsim replay ${/^[\w./-]+$/.test(dir) ? dir : `'${dir.replace(/'/g, `'\\''`)}'`}`;
}

export function runTable(data: RunReportData): Table {
  const s = data.summary;
  return keyValue("run", "Run", [
    ["scenario", c(s.scenario, { code: true })],
    ["seed", c(s.seed)],
    ["verdict", c(verdictText(data), { tone: s.ok ? "pass" : "fail" })],
    [
      "virtual time",
      c(`${formatUtc(data.start)} → ${formatUtc(data.end)} (${formatDuration(s.simulatedSeconds * SECOND)})`),
    ],
    ["trace", c(`${s.events} events, ${s.traceHash}`, { code: true })],
    ["version", c(s.version)],
    ["wall-clock time", c(`${s.wallSeconds} s (recorded in summary.json when the run was made)`)],
    ["replay", c(replayCommand(data), { code: true })],
  ]);
}

export function invariantsTable(data: RunReportData): Table {
  const known = new Map<string, InvariantInfo>(INVARIANTS.map((i) => [i.name, i]));
  const names: string[] = INVARIANTS.map((i) => i.name);
  for (const v of data.violations)
    if (!names.includes(v.violation.invariant)) names.push(v.violation.invariant);
  const rows = names.map((name) => {
    const broken = data.violations.filter((v) => v.violation.invariant === name && !v.allowed);
    const allowed = data.violations.filter((v) => v.violation.invariant === name && v.allowed);
    const first = broken[0] ?? allowed[0];
    let status: Cell;
    if (broken.length > 0) status = c(`fail (${broken.length})`, { tone: "fail" });
    else if (allowed.length > 0)
      status = c(`allowed (${allowed.length} break${allowed.length === 1 ? "" : "s"})`, { tone: "allowed" });
    else if (data.facts.allow.includes(name)) status = c("pass (allowed to break)", { tone: "pass" });
    else status = c("pass", { tone: "pass" });
    const info = known.get(name);
    return [
      c(name, first === undefined ? { code: true } : { code: true, anchor: first.anchor }),
      c(info?.kind ?? "—"),
      status,
      c(info?.meaning ?? "reported by the checks, not in the report's catalogue"),
    ];
  });
  return {
    id: "invariants",
    title: "Invariants",
    head: ["invariant", "kind", "result", "holds when"],
    numeric: [false, false, false, false],
    rows,
  };
}

/** Only an active, healthy preset is expected to converge; for the others it does not apply. */
function convergedCell(p: PresetView, start: Instant): Cell {
  if (p.convergedAt !== null) return c(formatOffset(p.convergedAt, start));
  if (!p.active) return c("n/a (inactive)", { tone: "muted" });
  if (p.summary !== null && p.summary.status !== "healthy")
    return c(`n/a (${p.summary.status})`, { tone: "muted" });
  return c("not converged", { tone: "fail" });
}

export function presetsTable(data: RunReportData): Table {
  const rows = data.presets.map((p) => {
    const s = p.summary;
    const n = (v: number | undefined) => c(v === undefined ? "—" : v);
    return [
      c(p.key, { code: true, anchor: `chart-${p.chartId}` }),
      c(p.organization),
      c(p.active ? "yes" : "no, draining", p.active ? {} : { tone: "muted" }),
      c(s?.status ?? "—", s !== null && s.status !== "healthy" ? { tone: "fail" } : {}),
      n(s?.desired),
      n(s?.running),
      n(s?.eligible),
      n(s?.starting),
      n(s?.failedWorkspaces),
      n(s?.created),
      n(s?.failed),
      n(s?.claimed),
      c(s === null ? "—" : `${s.claims.hits}/${s.claims.total}`),
      convergedCell(p, data.start),
    ];
  });
  return {
    id: "presets",
    title: "Presets at the end of the run",
    head: [
      "preset",
      "organization",
      "active",
      "status",
      "desired",
      "running",
      "eligible",
      "starting",
      "failed ws",
      "created",
      "failed",
      "claimed",
      "claim hits",
      "converged",
    ],
    numeric: [false, false, false, false, true, true, true, true, true, true, true, true, true, false],
    rows,
  };
}

/** The summary's figures, or the same computed from the series for a summary written before them. */
function provisioningFor(p: PresetView, end: Instant): Provisioning {
  const s = p.summary;
  if (s?.overProvisioned !== undefined && s.underProvisioned !== undefined)
    return { overProvisioned: s.overProvisioned, underProvisioned: s.underProvisioned };
  return provisioningOf(p.series?.samples ?? [], end);
}

export function provisioningTable(data: RunReportData): Table {
  const rows = data.presets.map((p) => {
    const { overProvisioned: over, underProvisioned: under } = provisioningFor(p, data.end);
    // No tone: a pool is short while it fills and long while a surplus waits for deletion; the
    // figures say how much, the invariants say whether it was wrong.
    return [
      c(p.key, { code: true, anchor: `chart-${p.chartId}` }),
      c(over.minutes),
      c(over.peak),
      c(under.minutes),
      c(under.peak),
    ];
  });
  return {
    id: "provisioning",
    title: "Over- and under-provisioning (running against desired, over the sampled series)",
    head: [
      "preset",
      "over desired, prebuild-min",
      "peak excess",
      "under desired, prebuild-min",
      "peak shortfall",
    ],
    numeric: [false, true, true, true, true],
    rows,
  };
}

const pct = (f: number) => `${(100 * f).toFixed(1)}%`;
const secs = (s: number) => formatDuration(s * SECOND);

export function claimsTable(data: RunReportData): Table {
  const cl = data.summary.claims;
  return keyValue("claims", "Claims", [
    ["claims", c(cl.total)],
    ["hits", c(cl.hits)],
    ["misses", c(cl.misses)],
    ["hit rate", c(pct(cl.hitRate))],
    [
      "wait p50 / p95 / max",
      c(`${secs(cl.waitSeconds.p50)} / ${secs(cl.waitSeconds.p95)} / ${secs(cl.waitSeconds.max)}`),
    ],
  ]);
}

export function reconcilerTable(data: RunReportData): Table {
  const r = data.summary.reconciler;
  return keyValue("reconciler", "Reconciler", [
    ["cycles", c(r.cycles)],
    ["lock acquired", c(r.lockAcquired)],
    ["lock skipped", c(r.lockSkipped)],
    ["cycle p50 / max", c(`${secs(r.durationSeconds.p50)} / ${secs(r.durationSeconds.max)}`)],
  ]);
}

export function provisionerTable(data: RunReportData): Table {
  const p = data.summary.provisioner;
  return keyValue("provisioner", "Provisioner", [
    ["jobs", c(p.jobs)],
    ["max queue depth", c(p.maxQueueDepth)],
    ["busy", c(pct(p.busyFraction))],
  ]);
}

export function probesTable(data: RunReportData): Table {
  const names = Object.keys(data.summary.probes).sort(naturalCompare);
  return {
    id: "probes",
    title: "Coverage probes",
    head: ["probe", "times reached"],
    numeric: [false, true],
    rows: names.map((name) => {
      const n = data.summary.probes[name] ?? 0;
      return [c(name, { code: true }), c(n === 0 ? "0 (not reached)" : n, n === 0 ? { tone: "muted" } : {})];
    }),
  };
}

/** The most frequent warnings and errors; the rest are counted in the last row. */
export const MAX_LOG_ROWS = 25;

export function logsTable(data: RunReportData): Table {
  const logs = data.digest.logs;
  const rows = logs
    .slice(0, MAX_LOG_ROWS)
    .map((l) => [
      c(l.level, l.level === "warn" ? {} : { tone: "fail" }),
      c(l.msg),
      c(l.count),
      c(`${formatOffset(l.firstAt, data.start)} (line ${l.firstLine})`),
      c(l.actors.slice().sort(naturalCompare).join(", ")),
    ]);
  if (logs.length > MAX_LOG_ROWS) {
    const rest = logs.slice(MAX_LOG_ROWS);
    rows.push([
      c("…", { tone: "muted" }),
      c(`${rest.length} more distinct messages`, { tone: "muted" }),
      c(rest.reduce((n, l) => n + l.count, 0)),
      c(""),
      c(""),
    ]);
  }
  return {
    id: "logs",
    title: "Warnings and errors logged",
    head: ["level", "message", "count", "first", "by"],
    numeric: [false, false, true, false, false],
    rows,
  };
}

/**
 * What the reconciler logged as an error and worked around (summary.json `warnings`); shown at the
 * top of both reports because the run passes while a deployment like it quietly does otherwise.
 * Null when there is none, so the reports show nothing.
 */
export function warningsTable(data: RunReportData): Table | null {
  const warnings = data.summary.warnings;
  if (warnings.length === 0) return null;
  return {
    id: "warnings",
    title: `${warnings.length} warning${warnings.length === 1 ? "" : "s"}: logged by the reconciler and worked around, every time`,
    head: ["subject", "from", "what upstream logs, and what follows", "times", "trace lines"],
    numeric: [false, false, false, true, false],
    rows: warnings.map((w) => [
      c(w.subject, { code: true }),
      c(formatOffset(Date.parse(w.at), data.start)),
      c(w.message, { tone: "allowed" }),
      c(w.occurrences),
      c(w.traceLines.join(", ")),
    ]),
  };
}

/** Every fault of the scenario, with what it did (issue #13 part 2). */
export function faultsTable(data: RunReportData): Table {
  return {
    id: "faults",
    title: "Faults",
    head: ["#", "fault", "at", "target", "what it did"],
    numeric: [true, false, false, false, false],
    rows: data.summary.faults.map((f) => [
      c(f.index),
      c(f.kind, { code: true }),
      c(formatOffset(Date.parse(f.at), data.start)),
      c([f.replica, f.preset].filter((x) => x !== undefined).join(", ")),
      f.noop
        ? c(`no effect: ${f.reason ?? "nothing changed"}`, { tone: "muted" })
        : c(describeEffect(f.kind, f.effect)),
    ]),
  };
}
