// The sweep's table, one row per grid point, as text cells for the terminal, Markdown and HTML, and
// as raw numbers for CSV. A value with an interval reads `mean ±half-width` (t-based 95% over
// seeds); below `MIN_SEEDS_FOR_INTERVAL` seeds only the mean is shown and the legend says "not
// enough seeds". The terminal gets the columns that fit its width; the documents get them all.
import { type Estimate, MIN_SEEDS_FOR_INTERVAL } from "./confidence.ts";
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

/** A terminal's width the command's tables keep to. */
export const TERMINAL_WIDTH = 120;

/** Why the ± columns show means alone, or null when the seeds suffice for intervals. */
export function intervalNote(seeds: number): string | null {
  return seeds < MIN_SEEDS_FOR_INTERVAL
    ? `± intervals: not enough seeds (${seeds} per point; a t interval needs at least ${MIN_SEEDS_FOR_INTERVAL}), so those columns show the mean alone`
    : null;
}

export interface SweepTable {
  head: string[];
  /** columns right-aligned (numbers) */
  numeric: boolean[];
  rows: string[][];
  /** the columns a narrow terminal leaves out first, in that order (the others it always shows) */
  dropFirst?: string[];
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
    "broken invariants",
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
      String(s.failedSeeds),
      s.broken.length === 0 ? "–" : s.broken.join(", "),
    ];
  });
  const numeric = head.map(
    (h, i) => i >= result.dimensions.length && h !== "broken invariants" && h !== "meets target",
  );
  result.dimensions.forEach((d, i) => {
    numeric[i] = d.numeric;
  });
  const dropFirst = [
    "broken invariants",
    "human queue wait s",
    "provisioners busy",
    "wait p50 s",
    "Wilson 95%",
    "prebuild builds/h",
    "wait p95 s",
  ];
  return { head, numeric, rows, dropFirst };
}

const GAP = "  ";

function alignedLines(table: SweepTable, columns: readonly number[]): string[] {
  const widths = columns.map((c) =>
    Math.max((table.head[c] ?? "").length, ...table.rows.map((r) => (r[c] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const cell = cells[c] ?? "";
        return table.numeric[c] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0);
      })
      .join(GAP)
      .trimEnd();
  const rule = table.head.map((_, c) => "-".repeat(widths[columns.indexOf(c)] ?? 0));
  return [line(table.head), line(rule), ...table.rows.map(line)];
}

/**
 * The table aligned in columns for a terminal `width` wide: the `dropFirst` columns are left out,
 * in order, until every line fits, and a last line names them (the documents have them all).
 */
export function terminalTable(table: SweepTable, width = TERMINAL_WIDTH): string {
  let columns = table.head.map((_, i) => i);
  const left: string[] = [];
  let lines = alignedLines(table, columns);
  for (const name of table.dropFirst ?? []) {
    if (lines.every((l) => l.length <= width)) break;
    const c = table.head.indexOf(name);
    if (c < 0) continue;
    columns = columns.filter((k) => k !== c);
    left.push(name);
    lines = alignedLines(table, columns);
  }
  if (left.length > 0)
    lines.push(
      ...wrapWords(`(left out here: ${left.join(", ")}; see sweep.md, sweep.html or sweep.csv)`, width),
    );
  return lines.join("\n");
}

/** Words of `text` in lines of at most `width` characters (a longer word has a line of its own). */
export function wrapWords(text: string, width = TERMINAL_WIDTH): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    if (current !== "" && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current === "" ? word : `${current} ${word}`;
  }
  if (current !== "") lines.push(current);
  return lines;
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
    ["intervals", s.seeds < MIN_SEEDS_FOR_INTERVAL ? "not enough seeds" : "t 95%"],
  ];
}

/** sweep.csv: a header and one row per point, numbers unrounded, empty cells for nothing. */
export function sweepCsv(result: SweepResult): string {
  const rows = result.points.map((p) => csvRow(result, p));
  const head = rows[0]?.map(([name]) => name) ?? [];
  return `${[head.map(csvField).join(","), ...rows.map((r) => r.map(([, v]) => csvField(v)).join(","))].join("\n")}\n`;
}
