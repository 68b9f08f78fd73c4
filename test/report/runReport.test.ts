// renderRunReport on a synthetic run directory: which files it writes, that they are the same
// bytes every time, that PNG text is really drawn, and that scenario strings stay text everywhere.
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEJAVU_FONT_FILES, readRunReportData, renderRunReport, svgToPng } from "../../src/report/index.ts";
import { type SyntheticRun, writeSyntheticRun } from "./syntheticRun.ts";

const HOSTILE = "<img src=x onerror=alert(1)>";
const CHART_IDS = ["claims", "claim-waits", "queue", "lock", "cycles"];

async function outputBytes(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const f of ["report.html", "report.md"]) out.set(f, await readFile(join(dir, f)));
  for (const f of (await readdir(join(dir, "charts"))).sort())
    out.set(`charts/${f}`, await readFile(join(dir, "charts", f)));
  return out;
}

describe("renderRunReport", () => {
  let work: string;
  let run: SyntheticRun;
  let hostile: SyntheticRun;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "prebuildsim-report-"));
    run = await writeSyntheticRun(join(work, "run"));
    hostile = await writeSyntheticRun(join(work, "hostile"), { template: HOSTILE });
    await renderRunReport(run.dir);
    await renderRunReport(hostile.dir);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("writes report.html, report.md and an SVG and a PNG per chart", async () => {
    const files = await readdir(join(run.dir, "charts"));
    const ids = files.filter((f) => f.endsWith(".svg")).map((f) => f.slice(0, -4));
    expect(ids.filter((id) => id.startsWith("preset-"))).toHaveLength(run.presetKeys.length);
    expect(ids).toEqual(expect.arrayContaining(CHART_IDS));
    expect(files.filter((f) => f.endsWith(".png")).sort()).toEqual(ids.map((id) => `${id}.png`).sort());
    // Active presets first, then the draining version.
    expect(ids.filter((id) => id.startsWith("preset-")).sort()).toEqual([
      "preset-1-dev-v2-small",
      "preset-2-dev-v2-large",
      "preset-3-ml-v1-gpu",
      "preset-4-dev-v1-small",
    ]);
  });

  it("writes the same bytes when the same directory is rendered again", async () => {
    const first = await outputBytes(run.dir);
    await renderRunReport(run.dir);
    const second = await outputBytes(run.dir);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [name, bytes] of first) expect(second.get(name)?.equals(bytes), name).toBe(true);
  });

  it("removes chart files an earlier rendering left that this one does not write", async () => {
    await writeFile(join(run.dir, "charts", "preset-9-gone.svg"), "<svg/>");
    await renderRunReport(run.dir);
    expect(await readdir(join(run.dir, "charts"))).not.toContain("preset-9-gone.svg");
  });

  it("keeps a file in charts/ that no rendering of this tool could have written", async () => {
    await writeFile(join(run.dir, "charts", "my-diagram.png"), "mine");
    await writeFile(join(run.dir, "charts", "Preset-1-notes.svg"), "mine too");
    await renderRunReport(run.dir);
    expect(await readFile(join(run.dir, "charts", "my-diagram.png"), "utf8")).toBe("mine");
    expect(await readFile(join(run.dir, "charts", "Preset-1-notes.svg"), "utf8")).toBe("mine too");
  });

  it("prunes no chart-named file through a charts/ that is a link", async () => {
    const linked = await writeSyntheticRun(join(work, "linked"));
    const theirs = join(work, "theirs");
    await mkdir(theirs);
    await writeFile(join(theirs, "preset-9-gone.svg"), "theirs");
    await symlink(theirs, join(linked.dir, "charts"));
    await renderRunReport(linked.dir);
    expect(await readFile(join(theirs, "preset-9-gone.svg"), "utf8")).toBe("theirs");
  });

  it("draws PNG text only with the fonts it is given", async () => {
    const svg = await readFile(join(run.dir, "charts", "lock.svg"), "utf8");
    const withoutText = svg.replace(/<text\b[^>]*>[^<]*<\/text>/g, "");
    expect(withoutText.length).toBeLessThan(svg.length);
    const fontful = svgToPng(svg);
    const fontless = svgToPng(svg, { fontFiles: [], scale: 2 });
    const textless = svgToPng(withoutText, { fontFiles: [], scale: 2 });
    // Without fonts resvg silently drops every text; with DejaVu the labels are drawn.
    expect(fontless.equals(textless)).toBe(true);
    expect(fontful.equals(fontless)).toBe(false);
    expect(() => svgToPng(svg, { fontFiles: ["/nonexistent/DejaVuSans.ttf"], scale: 1 })).toThrow(
      /font file \/nonexistent\/DejaVuSans\.ttf is missing; install the fonts-dejavu-core package/,
    );
    expect(DEJAVU_FONT_FILES.length).toBeGreaterThan(0);
  });

  it("is one self-contained page: no scripts, nothing loaded from elsewhere", async () => {
    const html = await readFile(join(run.dir, "report.html"), "utf8");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html).not.toMatch(/href="(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toContain("Content-Security-Policy");
    expect((html.match(/<svg /g) ?? []).length).toBe(run.presetKeys.length + CHART_IDS.length);
    expect(html).toContain(`prebuildsim replay ${run.dir}`);
  });

  it("links inline violation markers to the page and chart-file markers back to report.html", async () => {
    const html = await readFile(join(run.dir, "report.html"), "utf8");
    const lockSvg = await readFile(join(run.dir, "charts", "lock.svg"), "utf8");
    expect(html).toContain('<a href="#violation-1">');
    expect(html).toContain('id="violation-1"');
    expect(lockSvg).toContain('<a href="../report.html#violation-1">');
    for (const line of run.summary.violations[0]!.traceLines)
      expect(html).toContain(`id="violation-1-L${line}"`);
  });

  it("summarises the run in GitHub-flavoured Markdown with the PNG charts linked", async () => {
    const md = await readFile(join(run.dir, "report.md"), "utf8");
    expect(md).toMatch(/^# ❌ synthetic-report-fixture \(seed 7\): FAIL \(1 violation, 1 allowed\)/);
    expect(md).toContain("| invariant | kind | result | holds when |");
    expect(md).toContain("| `single-lock-holder` | safety | ❌ fail (1) |");
    expect(md).toContain("| `inactive-drained` | liveness | ⚠️ allowed (1 break) |");
    for (const id of CHART_IDS) expect(md).toContain(`](charts/${id}.png)`);
    expect(md).toContain(`\`prebuildsim replay ${run.dir}\``);
    expect(md).toContain('"kind":"lock.lost"');
  });

  it("keeps a hostile template name as text in the page, the Markdown and the SVG files", async () => {
    const html = await readFile(join(hostile.dir, "report.html"), "utf8");
    const md = await readFile(join(hostile.dir, "report.md"), "utf8");
    const files = (await readdir(join(hostile.dir, "charts"))).filter((f) => f.endsWith(".svg"));
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;/v2/small");
    // Markdown shows code spans and fenced blocks literally; everywhere else the name is entity-escaped.
    const outsideCode = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, "").replace(/`[^`\n]*`/g, "");
    expect(outsideCode).not.toContain("<img");
    expect(outsideCode).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(md).toContain("`<img src=x onerror=alert(1)>/v2/small`");
    expect(files).toContain("preset-1-img-src-x-onerror-alert-1-v2-small.svg");
    const svg = await readFile(
      join(hostile.dir, "charts", "preset-1-img-src-x-onerror-alert-1-v2-small.svg"),
      "utf8",
    );
    expect(svg).not.toContain("<img");
    expect(svg).toContain("Preset &lt;img src=x onerror=alert(1)&gt;/v2/small");
  });

  it("marks each preset's story on its chart: draining, backoff, hard limit, convergence", async () => {
    const chart = (id: string) => readFile(join(run.dir, "charts", `${id}.svg`), "utf8");
    const drained = await chart("preset-4-dev-v1-small");
    expect(drained).toContain("Preset dev/v1/small — inactive version, draining");
    expect(drained).toContain('fill="url(#preset-4-dev-v1-small-hatch)"');
    expect(drained).toContain("healthy · no convergence expected");
    expect(drained).toContain(">promote v2</text>");
    const failing = await chart("preset-3-ml-v1-gpu");
    expect(failing).toContain(">hard limit</text>");
    expect(failing).toMatch(/<title>backoff until 2026-03-02 06:\d\d(:\d\d)? UTC<\/title>/);
    expect(failing).toContain("hard_limited · no convergence expected");
    const active = await chart("preset-1-dev-v2-small");
    expect(active).toContain(">converged</text>");
    expect(active).toContain(">provisioner-outage</text>");
    expect(active).toContain(">desired → 4</text>");
  });

  it("names the replay directory as the caller asks", async () => {
    const data = await readRunReportData(run.dir, "reports/synthetic-7");
    expect(data.runDir).toBe("reports/synthetic-7");
  });
});

describe("renderRunReport on a damaged directory", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "prebuildsim-report-bad-"));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("names the missing file", async () => {
    await expect(renderRunReport(join(work, "nothing"))).rejects.toThrow(
      /report: cannot read .*nothing\/summary\.json/,
    );
  });

  it("names the file and the JSON path that break the contract", async () => {
    const run = await writeSyntheticRun(join(work, "bad"));
    const summary = JSON.parse(await readFile(join(run.dir, "summary.json"), "utf8"));
    summary.presets[1].running = -1;
    delete summary.claims.hitRate;
    await writeFile(join(run.dir, "summary.json"), JSON.stringify(summary));
    const error = await renderRunReport(run.dir).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/summary\.json does not match its contract/);
    expect(error?.message).toContain("presets.1.running:");
    expect(error?.message).toContain("claims.hitRate:");
  });

  it("names the trace line that is not JSON", async () => {
    const run = await writeSyntheticRun(join(work, "badtrace"));
    const trace = await readFile(join(run.dir, "trace.jsonl"), "utf8");
    const lines = trace.split("\n");
    lines[4] = "{not json";
    await writeFile(join(run.dir, "trace.jsonl"), lines.join("\n"));
    await expect(renderRunReport(run.dir)).rejects.toThrow(/trace\.jsonl line 5 is not JSON/);
  });
});
