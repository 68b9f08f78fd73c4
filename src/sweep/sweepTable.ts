// The sweep's table, one row per grid point, as text cells for the terminal, Markdown and HTML, and
// as raw numbers for CSV. A value with an interval reads `mean ±half-width` (t-based 95% over
// seeds); with one seed only the mean is shown.
import type { Estimate } from "./confidence.ts";
import { meetsTarget } from "./recommend.ts";
import type { SweepPointRecord, SweepResult } from "./result.ts";

export function percent(x: number, digits = 1): string {
  return `${(100 * x).toFixed(digits)}%`;
}

function fixed(x: number, digits: number): string {
  return x.toFixed(digits);
}

/** `12.3 ±1.4`, or `12.3` without an interval; `–` for nothing to show. */
export function estimateText(e: Estimate | null, format: (x: number) => string): string {
  if (e === null) return "–";
  if (e.high === null || e.low === null) return format(e.mean);
  return `${format(e.mean)} ±${format((e.high - e.low) / 2)}`;
}

export interface SweepTable {
  head: string[];
  /** columns right-aligned (numbers) */
  numeric: boolean[];
  rows: string[][];
}

export function sweepTable(result: SweepResult): SweepTable {
  const head = [
    ...result.dimensions.map((d) => d.short),
    "claims",
    "hit rate",
    "Wilson 95%",
    "lower bound",
    "meets target",
    "wait p50 s",
    "wait p95 s",
    "idle prebuild-h/day",
    "prebuild builds/h",
    "provisioners busy",
    "human queue wait s",
    "failed seeds",
  ];
  const rows = result.points.map((p) => {
    const s = p.stats;
    const hit = s.hitRate;
    return [
      ...p.values,
      String(hit?.claims ?? 0),
      hit === null ? "–" : estimateText(hit.perSeed, (x) => percent(x)),
      hit === null ? "–" : `${percent(hit.wilson.low)}–${percent(hit.wilson.high)}`,
      hit === null ? "–" : percent(hit.lowerBound),
      meetsTarget(s, result.target) ? "yes" : "no",
      estimateText(s.waitP50Seconds, (x) => fixed(x, 1)),
      estimateText(s.waitP95Seconds, (x) => fixed(x, 1)),
      estimateText(s.idlePrebuildHoursPerDay, (x) => fixed(x, 1)),
      estimateText(s.prebuildBuildsPerHour, (x) => fixed(x, 2)),
      estimateText(s.busyFraction, (x) => percent(x)),
      estimateText(s.humanQueueWaitSeconds, (x) => fixed(x, 1)),
      s.failedSeeds === 0 ? "0" : `${s.failedSeeds} (${s.broken.join(", ")})`,
    ];
  });
  const numeric = head.map(
    (_, i) => i >= result.dimensions.length && i !== head.length - 1 && head[i] !== "meets target",
  );
  result.dimensions.forEach((d, i) => {
    numeric[i] = d.numeric;
  });
  return { head, numeric, rows };
}

/** The table aligned in columns for a terminal. */
export function terminalTable(table: SweepTable): string {
  const widths = table.head.map((h, i) => Math.max(h.length, ...table.rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (table.numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(table.head), line(widths.map((w) => "-".repeat(w))), ...table.rows.map(line)].join("\n");
}

function csvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function estimateColumns(name: string, e: Estimate | null): [string, number | null][] {
  return [
    [`${name}_mean`, e?.mean ?? null],
    [`${name}_low`, e?.low ?? null],
    [`${name}_high`, e?.high ?? null],
  ];
}

function csvRow(result: SweepResult, p: SweepPointRecord): [string, string | number | boolean | null][] {
  const s = p.stats;
  const hit = s.hitRate;
  return [
    ...result.dimensions.map((d, i): [string, string] => [d.name, p.values[i] ?? ""]),
    ["seeds", s.seeds],
    ["claims", hit?.claims ?? 0],
    ["hits", hit?.hits ?? 0],
    ...estimateColumns("hit_rate", hit?.perSeed ?? null),
    ["hit_rate_pooled", hit?.pooled ?? null],
    ["hit_rate_wilson_low", hit?.wilson.low ?? null],
    ["hit_rate_wilson_high", hit?.wilson.high ?? null],
    ["hit_rate_lower_bound", hit?.lowerBound ?? null],
    ["meets_target", meetsTarget(s, result.target)],
    ...estimateColumns("wait_p50_seconds", s.waitP50Seconds),
    ...estimateColumns("wait_p95_seconds", s.waitP95Seconds),
    ...estimateColumns("idle_prebuild_hours_per_day", s.idlePrebuildHoursPerDay),
    ...estimateColumns("prebuild_builds_per_hour", s.prebuildBuildsPerHour),
    ...estimateColumns("busy_fraction", s.busyFraction),
    ...estimateColumns("human_queue_wait_seconds", s.humanQueueWaitSeconds),
    ["failed_seeds", s.failedSeeds],
    ["broken_invariants", s.broken.join(" ")],
  ];
}

/** sweep.csv: a header and one row per point, numbers unrounded, empty cells for nothing. */
export function sweepCsv(result: SweepResult): string {
  const rows = result.points.map((p) => csvRow(result, p));
  const head = rows[0]?.map(([name]) => name) ?? [];
  return `${[head.map(csvField).join(","), ...rows.map((r) => r.map(([, v]) => csvField(v)).join(","))].join("\n")}\n`;
}
