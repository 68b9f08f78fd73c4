// report.html: one self-contained page in the shared shell (htmlPage.ts: inline CSS and SVG, no
// scripts, nothing fetched) — readable straight from a CI artifact.
// Every scenario-derived string goes through escapeHtml; SVG text was escaped when serialized.

import type { RenderedChart } from "./charts/chartSet.ts";
import { escapeHtml } from "./escape.ts";
import { htmlPage } from "./htmlPage.ts";
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

const STYLE = `
:root { color-scheme: light; }
body { margin: 0; font: 15px/1.45 "DejaVu Sans", Verdana, Arial, sans-serif; color: #222; background: #fafafa; }
header, nav, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 20px; }
h1 { font-size: 24px; margin: 0 0 6px; word-break: break-word; }
h2 { font-size: 19px; margin: 30px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 0 0 6px; }
p { margin: 6px 0; }
a { color: #0b5cad; }
code, .code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; word-break: break-all; }
.verdict, .verdict.pass, .verdict.fail { display: inline-block; font-weight: bold; padding: 3px 10px; border-radius: 4px; color: #fff; }
.verdict.pass { background: #1a7f37; }
.verdict.fail { background: #c00000; }
.description { color: #444; max-width: 860px; }
nav { margin: 12px auto 0; font-size: 14px; }
nav a { margin-right: 14px; }
table { border-collapse: collapse; background: #fff; margin: 8px 0 14px; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: 4px 7px; text-align: left; vertical-align: top; }
td code { word-break: normal; white-space: nowrap; }
table.wide { font-size: 13px; }
th { background: #f0f0f0; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.kv td:first-child { color: #555; white-space: nowrap; }
.pass { color: #1a7f37; font-weight: 600; }
.fail { color: #c00000; font-weight: 600; }
.allowed { color: #8a6100; font-weight: 600; }
.muted { color: #777; }
.scroll { overflow-x: auto; }
.grid { display: flex; flex-wrap: wrap; gap: 0 28px; align-items: flex-start; }
.grid h3 { margin-top: 10px; }
figure.chart { margin: 18px 0 26px; background: #fff; border: 1px solid #ddd; padding: 8px; max-width: 980px; }
figure.chart svg { display: block; width: 100%; max-width: 960px; height: auto; }
figcaption { font-size: 13px; color: #444; margin-top: 4px; }
article.violation { background: #fff; border: 1px solid #ddd; border-left: 5px solid #c00000; padding: 10px 12px; margin: 12px 0; }
article.violation.allowed-break { border-left-color: #b07d00; }
article.violation:target { box-shadow: 0 0 0 3px #ffd24d; }
.badge { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; padding: 1px 6px; border-radius: 3px; color: #fff; background: #c00000; vertical-align: 2px; }
.badge.allowed-badge { background: #b07d00; }
.trace { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; background: #f6f6f6; border: 1px solid #e2e2e2; margin-top: 8px; }
.trace .line { display: flex; gap: 10px; padding: 1px 6px; }
.trace .line.cited { background: #ffe8e0; }
.trace .line:target { background: #ffd24d; }
.trace .ln { flex: 0 0 auto; min-width: 5ch; text-align: right; color: #777; text-decoration: none; }
.trace .text { white-space: pre-wrap; word-break: break-all; }
.trace .gap { color: #999; padding: 0 6px; }
details pre { background: #fff; border: 1px solid #ddd; padding: 10px; overflow-x: auto; font-size: 13px; }
footer { color: #777; font-size: 13px; padding-bottom: 30px; margin-top: 30px; }
`;

function cellHtml(cell: Cell): string {
  let inner = escapeHtml(cell.text);
  if (cell.code) inner = `<code>${inner}</code>`;
  if (cell.anchor !== undefined) inner = `<a href="#${escapeHtml(cell.anchor)}">${inner}</a>`;
  return cell.tone === undefined ? inner : `<span class="${cell.tone}">${inner}</span>`;
}

export function tableHtml(table: Table, heading: "h2" | "h3" = "h2"): string {
  const keyValue = table.head.every((h) => h === "");
  const head = keyValue
    ? ""
    : `<thead><tr>${table.head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>`;
  const rows = table.rows
    .map(
      (row) =>
        `<tr>${row.map((cell, i) => `<td${table.numeric[i] ? ' class="num"' : ""}>${cellHtml(cell)}</td>`).join("")}</tr>`,
    )
    .join("\n");
  const classes = [keyValue ? "kv" : "", table.head.length > 8 ? "wide" : ""]
    .filter((c) => c !== "")
    .join(" ");
  return `<${heading} id="${table.id}">${escapeHtml(table.title)}</${heading}>
<div class="scroll"><table${classes === "" ? "" : ` class="${classes}"`}>${head}<tbody>
${rows}
</tbody></table></div>`;
}

function violationHtml(
  v: PlacedViolation,
  data: RunReportData,
  chartTitles: ReadonlyMap<string, string>,
): string {
  const what = v.allowed
    ? '<span class="badge allowed-badge">allowed break</span>'
    : '<span class="badge">violation</span>';
  const cited = v.excerpt.blocks.flat().filter((l) => l.cited);
  const citedLinks = cited.map((l) => `<a href="#${v.anchor}-L${l.line}">${l.line}</a>`).join(", ");
  const omitted = v.excerpt.omitted > 0 ? ` and ${v.excerpt.omitted} more` : "";
  const blocks = v.excerpt.blocks
    .map((block) =>
      block
        .map((l) => {
          const id = `${v.anchor}-L${l.line}`;
          const text =
            l.text === null ? '<span class="muted">(no such line in trace.jsonl)</span>' : escapeHtml(l.text);
          return `<div class="line${l.cited ? " cited" : ""}" id="${id}"><a class="ln" href="#${id}">${l.line}</a><span class="text">${text}</span></div>`;
        })
        .join("\n"),
    )
    .join('\n<div class="gap">⋯</div>\n');
  const chartTitle = chartTitles.get(v.chartId) ?? v.chartId;
  return `<article class="violation${v.allowed ? " allowed-break" : ""}" id="${v.anchor}">
<h3>${what} <code>${escapeHtml(v.violation.invariant)}</code> at ${escapeHtml(formatUtc(v.at))} (${escapeHtml(formatOffset(v.at, data.start))})</h3>
<p>subject <code>${escapeHtml(v.violation.subject)}</code>: ${escapeHtml(v.violation.message)}</p>
<p>marked on <a href="#chart-${escapeHtml(v.chartId)}">${escapeHtml(chartTitle)}</a>; trace lines ${citedLinks === "" ? "none cited" : citedLinks}${omitted}</p>
${blocks === "" ? "" : `<div class="trace">\n${blocks}\n</div>`}
</article>`;
}

function chartHtml(chart: RenderedChart): string {
  return `<figure class="chart" id="chart-${escapeHtml(chart.id)}">
${chart.svg}
<figcaption>${escapeHtml(chart.caption)} Files: <a href="charts/${escapeHtml(chart.id)}.svg">SVG</a>, <a href="charts/${escapeHtml(chart.id)}.png">PNG</a>.</figcaption>
</figure>`;
}

/** The whole page. `charts` are the inline renderings (their markers link to `#violation-…`). */
export function renderRunHtml(data: RunReportData, charts: readonly RenderedChart[]): string {
  const s = data.summary;
  const title = `prebuildsim: ${s.scenario} (seed ${s.seed}) — ${s.ok ? "PASS" : "FAIL"}`;
  const chartTitles = new Map(charts.map((c) => [c.id, c.title]));
  const warnings = warningsTable(data);
  const broken = data.violations.filter((v) => !v.allowed);
  const allowed = data.violations.filter((v) => v.allowed);
  const violations =
    data.violations.length === 0
      ? "<p>No invariant was broken.</p>"
      : [...broken, ...allowed].map((v) => violationHtml(v, data, chartTitles)).join("\n");
  return htmlPage({
    title: title,
    style: STYLE,
    body: `<header>
<h1>${escapeHtml(s.scenario)} <span class="muted">seed ${s.seed}</span></h1>
<p><span class="verdict ${s.ok ? "pass" : "fail"}">${escapeHtml(verdictText(data))}</span></p>
${data.facts.description === null ? "" : `<p class="description">${escapeHtml(data.facts.description)}</p>`}
${warnings === null ? "" : `${tableHtml(warnings)}\n`}</header>
<nav>${warnings === null ? "" : '<a href="#warnings">Warnings</a>'}<a href="#run">Run</a><a href="#invariants">Invariants</a><a href="#violations">Violations</a><a href="#presets">Presets</a><a href="#activity">Claims, reconciler, provisioner</a><a href="#charts">Charts</a><a href="#logs">Logs</a><a href="#scenario">Scenario</a></nav>
<main>
${tableHtml(runTable(data))}
${tableHtml(invariantsTable(data))}
<h2 id="violations">Violations</h2>
${violations}
${tableHtml(presetsTable(data))}
${tableHtml(provisioningTable(data))}
<h2 id="activity">Claims, reconciler, provisioner</h2>
<div class="grid">
<div>${tableHtml(claimsTable(data), "h3")}</div>
<div>${tableHtml(reconcilerTable(data), "h3")}</div>
<div>${tableHtml(provisionerTable(data), "h3")}</div>
<div>${tableHtml(probesTable(data), "h3")}</div>
</div>
${data.summary.faults.length === 0 ? "" : tableHtml(faultsTable(data))}
<h2 id="charts">Charts</h2>
${charts.map(chartHtml).join("\n")}
${data.digest.logs.length === 0 ? '<h2 id="logs">Warnings and errors logged</h2>\n<p>None.</p>' : tableHtml(logsTable(data))}
<h2 id="scenario">Scenario</h2>
<details><summary>scenario.yaml, as run</summary>
<pre>${escapeHtml(data.scenarioText)}</pre>
</details>
</main>
<footer>Run made with ${escapeHtml(s.version)}; this page is drawn from summary.json, trace.jsonl, timeseries.json and scenario.yaml of this run directory.</footer>`,
  });
}
