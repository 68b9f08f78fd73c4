// sweep.md and sweep.html: the recommendation, the schedule to paste, the table and the charts, in
// the run report's style. Scenario-derived text is escaped; the documents contain no wall-clock
// figures, so the same sweep renders the same bytes.

import type { RenderedChart } from "../report/charts/chartSet.ts";
import { escapeHtml, escapeMarkdown, markdownCodeBlock } from "../report/escape.ts";
import { htmlPage } from "../report/htmlPage.ts";
import { recommendationParagraphs, scheduleText } from "./recommendationText.ts";
import type { SweepResult } from "./result.ts";
import { scheduleHourTable } from "./scheduleTable.ts";
import { intervalNote, type SweepTable, sweepTable } from "./sweepTable.ts";

export const CHARTS_DIR = "charts";

function title(result: SweepResult): string {
  return `Capacity sweep: ${result.scenario}`;
}

function gridSentence(result: SweepResult): string {
  const dims = result.dimensions.map((d) => `${d.name} ∈ {${d.values.join(", ")}}`).join(" × ");
  const focus = result.focus.preset === null ? "all presets" : result.focus.preset;
  return `${result.points.length} points (${dims}), seeds ${result.seeds.join(", ")} at each; measured on ${focus}.`;
}

const HOUR_LEGEND =
  "Per local hour: the scheduled prebuilds, the count the hour's own claims asked for (own need) and why it was raised; basis: how the own need was chosen (met: its lower bound meets the target; point-estimate: thin data). Hit rates are pooled over the seeds, with the number of claims; the schedule's from its simulation, the constant one's from the grid.";

function pointsLegend(result: SweepResult): string {
  const note = intervalNote(result.seeds.length);
  return `Hit rate: mean over seeds ± half the t-based 95% interval; Wilson: 95% interval over the pooled claims; waits, idle cost, builds, busy fraction and queue wait: mean over seeds ± half the t-based 95% interval.${note === null ? "" : ` ${note}.`}`;
}

function markdownTable(
  head: readonly string[],
  rows: readonly string[][],
  numeric: readonly boolean[],
): string[] {
  return [
    `| ${head.map(escapeMarkdown).join(" | ")} |`,
    `| ${head.map((_, i) => (numeric[i] ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(escapeMarkdown).join(" | ")} |`),
  ];
}

export function renderSweepMarkdown(result: SweepResult, charts: readonly RenderedChart[]): string {
  const table: SweepTable = sweepTable(result);
  const schedule = scheduleText(result);
  const lines = [`# ${escapeMarkdown(title(result))}`, "", escapeMarkdown(gridSentence(result)), ""];
  lines.push("## Recommendation", "");
  for (const p of recommendationParagraphs(result)) lines.push(escapeMarkdown(p), "");
  if (schedule.paragraphs.length > 0) {
    lines.push("## Schedule", "");
    for (const p of schedule.paragraphs) lines.push(escapeMarkdown(p), "");
    if (schedule.yaml !== null) lines.push(markdownCodeBlock(schedule.yaml.trimEnd(), "yaml"), "");
    for (const p of schedule.notes) lines.push(escapeMarkdown(p), "");
    if (result.schedule?.kind === "schedule") {
      const hours = scheduleHourTable(result, result.schedule);
      lines.push(
        ...markdownTable(hours.head, hours.rows, hours.numeric),
        "",
        escapeMarkdown(HOUR_LEGEND),
        "",
      );
    }
  }
  lines.push("## Points", "", ...markdownTable(table.head, table.rows, table.numeric), "");
  lines.push(escapeMarkdown(pointsLegend(result)), "");
  lines.push("## Charts", "");
  for (const c of charts)
    lines.push(`![${escapeMarkdown(c.title)}](${CHARTS_DIR}/${c.id}.png)`, "", escapeMarkdown(c.caption), "");
  return `${lines.join("\n").trimEnd()}\n`;
}

const STYLE = `
body { margin: 0 auto; max-width: 1100px; padding: 20px; font: 15px/1.45 "DejaVu Sans", Verdana, Arial, sans-serif; color: #222; background: #fafafa; }
h1 { font-size: 24px; }
h2 { font-size: 19px; margin: 30px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p { margin: 6px 0; max-width: 900px; }
table { border-collapse: collapse; background: #fff; font-size: 13px; margin: 8px 0 14px; }
th, td { border: 1px solid #ddd; padding: 4px 7px; text-align: left; white-space: nowrap; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.best td { background: #e8f4ec; font-weight: 600; }
.scroll { overflow-x: auto; }
pre { background: #fff; border: 1px solid #ddd; padding: 10px; font-size: 13px; overflow-x: auto; }
figure.chart { margin: 18px 0 26px; background: #fff; border: 1px solid #ddd; padding: 8px; max-width: 980px; }
figure.chart svg { display: block; width: 100%; max-width: 960px; height: auto; }
figcaption { font-size: 13px; color: #444; margin-top: 4px; }
`;

function htmlTable(
  head: readonly string[],
  rows: readonly string[][],
  numeric: readonly boolean[],
  highlight = -1,
): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map(
      (r, i) =>
        `<tr${i === highlight ? ' class="best"' : ""}>${r.map((c, j) => `<td${numeric[j] ? ' class="num"' : ""}>${escapeHtml(c)}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<div class="scroll"><table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

export function renderSweepHtml(result: SweepResult, charts: readonly RenderedChart[]): string {
  const table = sweepTable(result);
  const schedule = scheduleText(result);
  const para = (t: string) => `<p>${escapeHtml(t)}</p>`;
  const parts = [
    `<h1>${escapeHtml(title(result))}</h1>`,
    para(gridSentence(result)),
    "<h2>Recommendation</h2>",
    ...recommendationParagraphs(result).map(para),
  ];
  if (schedule.paragraphs.length > 0) {
    parts.push("<h2>Schedule</h2>", ...schedule.paragraphs.map(para));
    if (schedule.yaml !== null) parts.push(`<pre><code>${escapeHtml(schedule.yaml)}</code></pre>`);
    parts.push(...schedule.notes.map(para));
    if (result.schedule?.kind === "schedule") {
      const hours = scheduleHourTable(result, result.schedule);
      parts.push(htmlTable(hours.head, hours.rows, hours.numeric), para(HOUR_LEGEND));
    }
  }
  parts.push(
    "<h2>Points</h2>",
    htmlTable(table.head, table.rows, table.numeric, result.recommendation.best ?? -1),
    para(`${pointsLegend(result)} The highlighted row is the recommendation.`),
    "<h2>Charts</h2>",
    ...charts.map(
      (c) =>
        `<figure class="chart" id="${escapeHtml(c.id)}">${c.svg}<figcaption>${escapeHtml(c.caption)}</figcaption></figure>`,
    ),
  );
  return htmlPage({
    title: title(result),
    style: STYLE,
    body: parts.join("\n"),
  });
}
