// report.md: the same summary as report.html, for a CI job summary (GitHub-flavoured Markdown
// tables) with the PNG charts linked. Scenario strings are escaped for Markdown and for the
// inline HTML GitHub would otherwise render; trace lines go in fenced code blocks.
import type { RenderedChart } from "./charts/chartSet.ts";
import { escapeMarkdown, markdownCodeBlock, markdownInlineCode } from "./escape.ts";
import type { PlacedViolation, RunReportData } from "./runModel.ts";
import {
  type Cell,
  claimsTable,
  faultsTable,
  invariantsTable,
  logsTable,
  presetsTable,
  probesTable,
  provisionerTable,
  provisioningTable,
  reconcilerTable,
  runTable,
  type Table,
  verdictText,
  warningsTable,
} from "./summaryTables.ts";
import { formatOffset, formatUtc } from "./timeFormat.ts";

const TONE_MARK: Record<string, string> = { pass: "✅ ", fail: "❌ ", allowed: "⚠️ ", muted: "" };

function cellMarkdown(cell: Cell): string {
  const text = cell.code ? markdownInlineCode(cell.text, true) : escapeMarkdown(cell.text);
  return `${cell.tone === undefined ? "" : (TONE_MARK[cell.tone] ?? "")}${text}`;
}

export function tableMarkdown(table: Table, level = "##"): string {
  const keyValue = table.head.every((h) => h === "");
  const head = keyValue ? ["", ""] : table.head.map(escapeMarkdown);
  const lines = [
    `${level} ${escapeMarkdown(table.title)}`,
    "",
    `| ${head.join(" | ")} |`,
    `|${table.numeric.map((n) => (n ? " ---: " : " --- ")).join("|")}|`,
    ...table.rows.map((row) => `| ${row.map(cellMarkdown).join(" | ")} |`),
  ];
  return lines.join("\n");
}

function violationMarkdown(v: PlacedViolation, data: RunReportData): string {
  const cited = v.excerpt.blocks.flat().filter((l) => l.cited);
  const lines = cited.map((l) => `${l.line}: ${l.text ?? "(no such line in trace.jsonl)"}`);
  if (v.excerpt.omitted > 0) lines.push(`… and ${v.excerpt.omitted} more cited lines`);
  return [
    `### ${v.allowed ? "⚠️ allowed break" : "❌ violation"} of \`${v.violation.invariant.replace(/`/g, "'")}\` at ${formatUtc(v.at)} (${formatOffset(v.at, data.start)})`,
    "",
    `Subject ${markdownInlineCode(v.violation.subject)}: ${escapeMarkdown(v.violation.message)}`,
    "",
    lines.length === 0 ? "No trace lines cited." : markdownCodeBlock(lines.join("\n"), "json"),
  ].join("\n");
}

export function renderRunMarkdown(data: RunReportData, charts: readonly RenderedChart[]): string {
  const s = data.summary;
  const warnings = warningsTable(data);
  const parts = [
    `# ${s.ok ? "✅" : "❌"} ${escapeMarkdown(s.scenario)} (seed ${s.seed}): ${escapeMarkdown(verdictText(data))}`,
    data.facts.description === null ? "" : escapeMarkdown(data.facts.description),
    warnings === null ? "" : tableMarkdown(warnings),
    tableMarkdown(runTable(data)),
    tableMarkdown(invariantsTable(data)),
    "## Violations",
    data.violations.length === 0
      ? "No invariant was broken."
      : data.violations.map((v) => violationMarkdown(v, data)).join("\n\n"),
    tableMarkdown(presetsTable(data)),
    tableMarkdown(provisioningTable(data)),
    tableMarkdown(claimsTable(data)),
    tableMarkdown(reconcilerTable(data)),
    tableMarkdown(provisionerTable(data)),
    tableMarkdown(probesTable(data)),
    data.summary.faults.length === 0 ? "" : tableMarkdown(faultsTable(data)),
    "## Charts",
    charts
      .map((c) => `![${escapeMarkdown(c.title)}](charts/${c.id}.png)\n\n${escapeMarkdown(c.caption)}`)
      .join("\n\n"),
    data.digest.logs.length === 0 ? "## Warnings and errors logged\n\nNone." : tableMarkdown(logsTable(data)),
    "The full report, with each violation marker linked to its trace excerpt, is `report.html` in the run directory.",
  ];
  return `${parts.filter((p) => p !== "").join("\n\n")}\n`;
}
