// report.html as a person sees it: opened from disk in headless Chromium, with no network, no
// scripts and every chart drawn with legible axes. A hostile template name must show as text.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderRunReport } from "../../src/report/index.ts";
import {
  browserTestMode,
  CHROMIUM_APT_PACKAGES,
  CHROMIUM_PATH,
  type Chromium,
  launchChromium,
} from "./chromium.ts";
import { type SyntheticRun, writeSyntheticRun } from "./syntheticRun.ts";

const ARTIFACTS = join(process.cwd(), "test-artifacts", "report");
const HOSTILE = "<img src=x onerror=alert(1)>";
const mode = browserTestMode();

interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
  requests: string[];
}

async function openReport(chromium: Chromium, dir: string): Promise<{ page: Page; problems: PageProblems }> {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], dialogs: [], requests: [] };
  const page = await chromium.context.newPage();
  const reportUrl = pathToFileURL(join(dir, "report.html")).href;
  page.on("console", (m) => {
    if (m.type() === "error") problems.consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => problems.pageErrors.push(e.message));
  page.on("dialog", (d) => {
    problems.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("request", (r) => {
    if (r.url() !== reportUrl && !r.url().startsWith(`${reportUrl}#`)) problems.requests.push(r.url());
  });
  await page.goto(reportUrl, { waitUntil: "load" });
  return { page, problems };
}

describe.runIf(mode === "fail")("report.html in headless Chromium", () => {
  it("needs Debian's chromium in CI", () => {
    throw new Error(
      `${CHROMIUM_PATH} is missing: add the apt packages ${CHROMIUM_APT_PACKAGES} to the CI image`,
    );
  });
});

describe.runIf(mode === "run")("report.html in headless Chromium", () => {
  let chromium: Chromium;
  let work: string;
  let run: SyntheticRun;
  let hostileRun: SyntheticRun;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "prebuildsim-report-browser-"));
    run = await writeSyntheticRun(join(work, "run"));
    hostileRun = await writeSyntheticRun(join(work, "hostile"), { template: HOSTILE });
    await renderRunReport(run.dir);
    await renderRunReport(hostileRun.dir);
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await rm(work, { recursive: true, force: true });
  });

  it("loads with no console errors, no script errors and no request beyond the file", async () => {
    const { page, problems } = await openReport(chromium, run.dir);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], dialogs: [], requests: [] });
    expect(await page.locator("script").count()).toBe(0);
    expect(await page.locator("h1").textContent()).toContain("synthetic-report-fixture");
    await page.close();
  });

  it("draws every chart with non-empty data paths and visible, legible axis labels", async () => {
    const { page } = await openReport(chromium, run.dir);
    const charts = await page.$$eval("figure.chart", (figures) =>
      figures.map((figure) => {
        const svg = figure.querySelector("svg");
        const svgBox = svg?.getBoundingClientRect();
        const dataShapes = [...figure.querySelectorAll(".data path, .data rect")].filter((el) => {
          const box = el.getBoundingClientRect();
          return (el.tagName !== "path" || (el.getAttribute("d") ?? "") !== "") && box.width + box.height > 0;
        });
        const axisLabels = [...figure.querySelectorAll(".axis text")].map((t) => {
          const box = t.getBoundingClientRect();
          const inside =
            svgBox !== undefined &&
            box.left >= svgBox.left - 1 &&
            box.right <= svgBox.right + 1 &&
            box.top >= svgBox.top - 1 &&
            box.bottom <= svgBox.bottom + 1;
          return { text: t.textContent ?? "", width: box.width, height: box.height, inside };
        });
        const axisTitles = [...figure.querySelectorAll(".axis-title")].map((t) => t.textContent ?? "");
        return { id: figure.id, hasSvg: svg !== null, dataShapes: dataShapes.length, axisLabels, axisTitles };
      }),
    );
    const presetCharts = run.presetKeys.length;
    expect(charts.map((c) => c.id)).toEqual([
      ...charts.slice(0, presetCharts).map((c) => c.id),
      "chart-claims",
      "chart-claim-waits",
      "chart-queue",
      "chart-lock",
      "chart-cycles",
    ]);
    expect(charts.slice(0, presetCharts).every((c) => c.id.startsWith("chart-preset-"))).toBe(true);
    for (const chart of charts) {
      expect(chart.hasSvg, chart.id).toBe(true);
      expect(chart.dataShapes, `${chart.id} data shapes`).toBeGreaterThan(0);
      expect(chart.axisLabels.length, `${chart.id} axis labels`).toBeGreaterThanOrEqual(4);
      for (const label of chart.axisLabels) {
        expect(label.text.trim(), `${chart.id} axis label text`).not.toBe("");
        expect(label.inside, `${chart.id} label "${label.text}" inside its chart`).toBe(true);
        // Readable: rendered at least ~10 px tall at a 1280 px wide window.
        expect(label.height, `${chart.id} label "${label.text}" height`).toBeGreaterThanOrEqual(10);
        expect(label.width, `${chart.id} label "${label.text}" width`).toBeGreaterThan(0);
      }
      expect(chart.axisTitles.length, `${chart.id} axis titles`).toBe(2);
    }
    // Time axes read as UTC clock times; the run is three hours on one day.
    const lockTicks = charts.find((c) => c.id === "chart-lock")?.axisLabels.map((l) => l.text) ?? [];
    expect(lockTicks).toEqual(
      expect.arrayContaining(["06:00", "07:00", "08:00", "09:00", "replica-0", "replica-1", "replica-2"]),
    );
    await page.close();
  });

  it("links a violation marker on the lock chart to the excerpt of the trace lines it cites", async () => {
    const { page } = await openReport(chromium, run.dir);
    const violation = run.summary.violations[0]!;
    await page.locator("#chart-lock .violations a").first().click();
    expect(new URL(page.url()).hash).toBe("#violation-1");
    const article = page.locator("#violation-1");
    await expect.poll(() => article.isVisible()).toBe(true);
    expect(await article.textContent()).toContain(violation.invariant);
    const cited = article.locator(".line.cited");
    expect(await cited.count()).toBe(violation.traceLines.length);
    expect(await cited.first().locator(".ln").textContent()).toBe(String(Math.min(...violation.traceLines)));
    expect(await article.locator(".line").count()).toBeGreaterThan(violation.traceLines.length);
    await page.close();
  });

  it("saves a full-page screenshot as a test artifact", async () => {
    const { page } = await openReport(chromium, run.dir);
    await mkdir(ARTIFACTS, { recursive: true });
    const png = await page.screenshot({ path: join(ARTIFACTS, "report.png"), fullPage: true });
    await page.locator("#chart-lock").screenshot({ path: join(ARTIFACTS, "lock-chart.png") });
    // A PNG, and taller than one window: the whole report, not a blank first screen.
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.readUInt32BE(20)).toBeGreaterThan(900);
    await page.close();
  });

  it("shows a template named like an HTML tag as literal text and runs nothing", async () => {
    const { page, problems } = await openReport(chromium, hostileRun.dir);
    expect(problems.dialogs).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.requests).toEqual([]);
    expect(await page.locator("img").count()).toBe(0);
    const key = `${HOSTILE}/v2/small`;
    await expect.poll(() => page.getByText(key, { exact: true }).first().isVisible()).toBe(true);
    const chartTitles = await page.$$eval("svg .chart-title", (ts) => ts.map((t) => t.textContent ?? ""));
    expect(chartTitles).toContain(`Preset ${key}`);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "hostile-name.png") });
    await page.close();
  });
});
