// The report layer's public API: render one run directory's report, or an index of many runs.
// The pure renderers are exported for tests and for callers that hold the data in memory.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type IndexEntry, indexRows, renderIndexHtml, renderIndexMarkdown } from "./indexReport.ts";

export type { RenderedChart } from "./charts/chartSet.ts";
export { renderCharts } from "./charts/chartSet.ts";
export { escapeHtml, escapeMarkdown } from "./escape.ts";
export { renderRunHtml } from "./htmlReport.ts";
export type { IndexEntry, IndexRow } from "./indexReport.ts";
export { indexRows, readIndexEntry, renderIndexHtml, renderIndexMarkdown } from "./indexReport.ts";
export { renderRunMarkdown } from "./markdownReport.ts";
export { DEFAULT_PNG_OPTIONS, DEJAVU_FONT_FILES, type PngOptions, svgToPng } from "./png.ts";
export type { RunReportData } from "./runModel.ts";
export {
  CHARTS_DIR,
  type RunReportFiles,
  type RunReportOptions,
  readRunReportData,
  renderReportCharts,
  renderRunReport,
} from "./runReport.ts";

export interface IndexReportFiles {
  html: string;
  markdown: string;
}

/** A section after the index table (explore's perturbed runs), in both formats. */
export interface IndexAppendix {
  html: string;
  markdown: string;
}

/** Writes `index.html` and `index.md` into `outDir`, one row per entry, in the order given. */
export async function renderIndexReport(
  outDir: string,
  entries: readonly IndexEntry[],
  title = "prebuildsim runs",
  appendix?: IndexAppendix,
): Promise<IndexReportFiles> {
  await mkdir(outDir, { recursive: true });
  const rows = indexRows(outDir, entries);
  const html = join(outDir, "index.html");
  const markdown = join(outDir, "index.md");
  await writeFile(html, renderIndexHtml(title, rows, appendix?.html));
  await writeFile(markdown, renderIndexMarkdown(title, rows, appendix?.markdown));
  return { html, markdown };
}
