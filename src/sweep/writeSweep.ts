// Writes a sweep's files: sweep.json (everything, every run's measures included), sweep.csv (one
// row per point), sweep-schedule.csv (with schedule advice: one row per local hour), sweep.md and sweep.html (recommendation, schedule, table, charts) and
// charts/<id>.svg + .png. The PNGs are what sweep.md shows (CI job summaries show images, not SVG).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_PNG_OPTIONS, type PngOptions, svgToPng } from "../report/png.ts";
import type { SweepResult } from "./result.ts";
import { scheduleCsv } from "./scheduleTable.ts";
import { sweepCharts } from "./sweepCharts.ts";
import { CHARTS_DIR, renderSweepHtml, renderSweepMarkdown } from "./sweepDocuments.ts";
import { sweepCsv } from "./sweepTable.ts";

export const SWEEP_FILE_NAMES = {
  json: "sweep.json",
  csv: "sweep.csv",
  scheduleCsv: "sweep-schedule.csv",
  markdown: "sweep.md",
  html: "sweep.html",
} as const;

/** Every file written, in the order written. */
export async function writeSweep(
  outDir: string,
  result: SweepResult,
  png: PngOptions = DEFAULT_PNG_OPTIONS,
): Promise<string[]> {
  const charts = sweepCharts(result);
  const chartsDir = join(outDir, CHARTS_DIR);
  await mkdir(chartsDir, { recursive: true });
  const written: string[] = [];
  const write = async (path: string, content: string | Buffer) => {
    await writeFile(path, content);
    written.push(path);
  };
  await write(join(outDir, SWEEP_FILE_NAMES.json), `${JSON.stringify(result, null, 2)}\n`);
  await write(join(outDir, SWEEP_FILE_NAMES.csv), sweepCsv(result));
  if (result.schedule?.kind === "schedule")
    await write(join(outDir, SWEEP_FILE_NAMES.scheduleCsv), scheduleCsv(result, result.schedule));
  for (const chart of charts) {
    await write(join(chartsDir, `${chart.id}.svg`), chart.svg);
    await write(join(chartsDir, `${chart.id}.png`), svgToPng(chart.svg, png));
  }
  await write(join(outDir, SWEEP_FILE_NAMES.markdown), renderSweepMarkdown(result, charts));
  await write(join(outDir, SWEEP_FILE_NAMES.html), renderSweepHtml(result, charts));
  return written;
}
