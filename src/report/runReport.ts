// Renders a run directory's report in place: report.html, report.md and charts/<id>.svg + .png,
// from summary.json, trace.jsonl, timeseries.json and scenario.yaml. Rendering the same directory
// again writes the same bytes (nothing here reads the clock or draws random ids).
import { lstat, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type RenderedChart, renderCharts } from "./charts/chartSet.ts";
import { renderRunHtml } from "./htmlReport.ts";
import { renderRunMarkdown } from "./markdownReport.ts";
import { DEFAULT_PNG_OPTIONS, type PngOptions, svgToPng } from "./png.ts";
import { RUN_FILES, readRunSummary, readScenarioText, readTimeSeries } from "./runFiles.ts";
import { isChartFileName, type RunReportData, runReportData } from "./runModel.ts";
import { scenarioFacts } from "./scenarioFacts.ts";
import { excerptLineNumbers } from "./traceExcerpt.ts";
import { readTrace } from "./traceReader.ts";

export interface RunReportOptions {
  /** how the replay command names the directory (default: `dir` as given) */
  replayDir?: string;
  png?: PngOptions;
}

export interface RunReportFiles {
  html: string;
  markdown: string;
  /** every chart file written, SVG and PNG, in chart order */
  charts: string[];
}

export const CHARTS_DIR = "charts";

/** Reads and joins a run directory's files into the report's model. */
export async function readRunReportData(dir: string, replayDir: string = dir): Promise<RunReportData> {
  // One after another, so that a directory missing several files always reports the same one.
  const summary = await readRunSummary(dir);
  const series = await readTimeSeries(dir);
  const scenarioText = await readScenarioText(dir);
  const facts = scenarioFacts(scenarioText, join(dir, RUN_FILES.scenario));
  const trace = await readTrace(
    join(dir, RUN_FILES.trace),
    excerptLineNumbers([...summary.violations, ...summary.allowed]),
  );
  return runReportData({ runDir: replayDir, summary, series, scenarioText, facts, trace });
}

/** Inline charts link markers to anchors of the page; chart files link back into report.html. */
export function renderReportCharts(data: RunReportData): { inline: RenderedChart[]; files: RenderedChart[] } {
  return {
    inline: renderCharts(data, (anchor) => `#${anchor}`),
    files: renderCharts(data, (anchor) => `../report.html#${anchor}`),
  };
}

export async function renderRunReport(dir: string, options: RunReportOptions = {}): Promise<RunReportFiles> {
  const data = await readRunReportData(dir, options.replayDir ?? dir);
  const { inline, files } = renderReportCharts(data);
  const chartsDir = join(dir, CHARTS_DIR);
  await mkdir(chartsDir, { recursive: true });
  const written: string[] = [];
  for (const chart of files) {
    const svgPath = join(chartsDir, `${chart.id}.svg`);
    const pngPath = join(chartsDir, `${chart.id}.png`);
    await writeFile(svgPath, chart.svg);
    await writeFile(pngPath, svgToPng(chart.svg, options.png ?? DEFAULT_PNG_OPTIONS));
    written.push(svgPath, pngPath);
  }
  // Charts of an earlier rendering that this one no longer has (a preset renamed since) would
  // otherwise linger beside the new ones. Only regular files named as this tool names charts go,
  // and only from a real `charts/` directory: one that is a link to a directory elsewhere is not
  // ours to prune.
  const keep = new Set(written);
  if ((await lstat(chartsDir)).isDirectory())
    for (const entry of await readdir(chartsDir, { withFileTypes: true }))
      if (entry.isFile() && isChartFileName(entry.name) && !keep.has(join(chartsDir, entry.name)))
        await rm(join(chartsDir, entry.name));
  const html = join(dir, "report.html");
  const markdown = join(dir, "report.md");
  await writeFile(html, renderRunHtml(data, inline));
  await writeFile(markdown, renderRunMarkdown(data, files));
  return { html, markdown, charts: written };
}
