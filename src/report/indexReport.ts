// The index of many runs (for `explore` and the default set of `npm start`): one row per run with
// scenario, seed, verdict, violations and convergence time, linking each run's own report by a
// path relative to the index, so the whole directory can be moved or uploaded as one artifact.

import { relative, sep } from "node:path";
import type { RunSummary } from "../check/summary.ts";
import { presetKey } from "../trace/presetKey.ts";
import { escapeHtml, escapeMarkdown } from "./escape.ts";
import { htmlPage } from "./htmlPage.ts";
import { naturalCompare } from "./naturalOrder.ts";
import { readRunSummary } from "./runFiles.ts";
import { formatDuration, formatOffset, parseInstant } from "./timeFormat.ts";

export interface IndexEntry {
  /** the run directory (absolute, or relative to the working directory) */
  dir: string;
  summary: RunSummary;
}

export interface IndexRow {
  scenario: string;
  seed: number;
  ok: boolean;
  violations: number;
  /** invariant names broken, sorted, each once */
  broken: string[];
  allowed: number;
  /** the latest `convergedAt` of the active presets, from the run start; null if one never converged */
  converged: string | null;
  simulated: string;
  /** the run's directory relative to the index, with `/` separators */
  link: string;
}

/** Reads a run directory's summary.json into an index entry. */
export async function readIndexEntry(dir: string): Promise<IndexEntry> {
  return { dir, summary: await readRunSummary(dir) };
}

export function convergenceTime(summary: RunSummary): string | null {
  const start = parseInstant(
    summary.start,
    `summary.json of ${summary.scenario} seed ${summary.seed}: start`,
  );
  let latest = start;
  for (const p of summary.presets) {
    if (!p.active || p.status !== "healthy") continue;
    if (p.convergedAt === null) return null;
    latest = Math.max(
      latest,
      parseInstant(
        p.convergedAt,
        `summary.json of ${summary.scenario} seed ${summary.seed}: ${presetKey(p.template, p.version, p.preset)} convergedAt`,
      ),
    );
  }
  return formatOffset(latest, start);
}

export function indexRows(outDir: string, entries: readonly IndexEntry[]): IndexRow[] {
  return entries.map(({ dir, summary: s }) => ({
    scenario: s.scenario,
    seed: s.seed,
    ok: s.ok,
    violations: s.violations.length,
    broken: [...new Set(s.violations.map((v) => v.invariant))].sort(naturalCompare),
    allowed: s.allowed.length,
    converged: convergenceTime(s),
    simulated: formatDuration(s.simulatedSeconds * 1000),
    link: (relative(outDir, dir) || ".").split(sep).join("/"),
  }));
}

function href(link: string, file: string): string {
  return `${link.split("/").map(encodeURIComponent).join("/")}/${file}`;
}

const STYLE = `
body { margin: 0 auto; max-width: 1010px; padding: 20px; font: 15px/1.45 "DejaVu Sans", Verdana, Arial, sans-serif; color: #222; background: #fafafa; }
h1 { font-size: 24px; }
table { border-collapse: collapse; background: #fff; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #1a7f37; font-weight: 600; }
.fail { color: #c00000; font-weight: 600; }
.muted { color: #777; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
`;

function tally(rows: readonly IndexRow[]): string {
  const failed = rows.filter((r) => !r.ok).length;
  return `${rows.length} run${rows.length === 1 ? "" : "s"}: ${rows.length - failed} passed, ${failed} failed`;
}

/** `appendix`: HTML placed after the table (a section of the caller's). */
export function renderIndexHtml(title: string, rows: readonly IndexRow[], appendix = ""): string {
  const body = rows
    .map(
      (r) =>
        `<tr><td><code>${escapeHtml(r.scenario)}</code></td><td class="num">${r.seed}</td><td class="${r.ok ? "pass" : "fail"}">${r.ok ? "PASS" : "FAIL"}</td><td class="num">${r.violations}</td><td>${r.broken.map((b) => `<code>${escapeHtml(b)}</code>`).join(", ")}${r.allowed > 0 ? ` <span class="muted">(${r.allowed} allowed)</span>` : ""}</td><td>${r.converged === null ? '<span class="fail">not converged</span>' : escapeHtml(r.converged)}</td><td>${escapeHtml(r.simulated)}</td><td><a href="${escapeHtml(href(r.link, "report.html"))}">report</a> · <a href="${escapeHtml(href(r.link, "report.md"))}">md</a></td></tr>`,
    )
    .join("\n");
  return htmlPage({
    title: title,
    style: STYLE,
    body: `<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(tally(rows))}. Convergence is the time from the run's start until the last active preset converged.</p>
<table>
<thead><tr><th>scenario</th><th>seed</th><th>verdict</th><th>violations</th><th>broken invariants</th><th>converged</th><th>simulated</th><th>reports</th></tr></thead>
<tbody>
${body}
</tbody>
</table>${appendix === "" ? "" : `\n${appendix}`}`,
  });
}

/** `appendix`: Markdown placed after the table. */
export function renderIndexMarkdown(title: string, rows: readonly IndexRow[], appendix?: string): string {
  const lines = [
    `# ${escapeMarkdown(title)}`,
    "",
    `${escapeMarkdown(tally(rows))}. Convergence is the time from the run's start until the last active preset converged.`,
    "",
    "| scenario | seed | verdict | violations | broken invariants | converged | simulated | report |",
    "| --- | ---: | --- | ---: | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${escapeMarkdown(r.scenario)} | ${r.seed} | ${r.ok ? "✅ PASS" : "❌ FAIL"} | ${r.violations} | ${r.broken.map(escapeMarkdown).join(", ")}${r.allowed > 0 ? ` (${r.allowed} allowed)` : ""} | ${r.converged === null ? "not converged" : r.converged} | ${r.simulated} | [report](${href(r.link, "report.md")}) |`,
    ),
    ...(appendix === undefined ? [] : ["", appendix]),
  ];
  return `${lines.join("\n")}\n`;
}
