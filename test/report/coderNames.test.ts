// Names that Coder accepts and that now load reach every output of a run exactly and safely: the
// report's HTML, Markdown and SVG show them as written and never as markup, Markdown tables keep
// their columns, chart files are named from a safe slug (numbered, so two names that slug alike
// never share a file) inside the run directory, and summary.json carries the names unchanged.
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/index.ts";
import { closeDatabase, runScenario } from "../../src/index.ts";

const HOSTILE = "<img src=x onerror=alert(1)> | a\nb";
const GPU = "GPU (A100) – 8 CPU";
const GPU_TWIN = "gpu a100 8 cpu";
const TRAVERSAL = "../../outside";
const PRESETS = [GPU, GPU_TWIN, HOSTILE, TRAVERSAL];

const SCENARIO = {
  name: "coder-names-report",
  seed: 3,
  start: "2026-03-02T08:00:00Z",
  duration: "PT40M",
  organizations: ["default", "Research-Lab"],
  templates: [
    {
      name: "ml-training",
      organization: "Research-Lab",
      versions: [{ name: "brave_turing3", presets: PRESETS.map((name) => ({ name, desiredInstances: 1 })) }],
    },
  ],
  workload: { claims: [{ preset: { template: "ml-training", preset: HOSTILE }, at: ["PT20M"] }] },
};

/** `|` that separate Markdown table cells (not escaped ones inside a cell). */
function cellSeparators(line: string): number {
  return (line.match(/(?<!\\)\|/g) ?? []).length;
}

describe("a run whose names Coder accepts: the report shows them exactly and safely", () => {
  let dir: string;
  let summary: RunSummary;

  beforeAll(async () => {
    dir = join(await mkdtemp(join(tmpdir(), "prebuildsim-names-")), "run");
    summary = await runScenario(SCENARIO, { outDir: dir });
  }, 120_000);

  afterAll(async () => {
    await closeDatabase();
  });

  it("summary.json keeps every name exactly, in its own field", async () => {
    const written = JSON.parse(await readFile(join(dir, "summary.json"), "utf8")) as RunSummary;
    expect(written.presets.map((p) => [p.template, p.version, p.preset]).sort()).toEqual(
      PRESETS.map((p) => ["ml-training", "brave_turing3", p]).sort(),
    );
    expect(summary.ok).toBe(true);
    expect(written.presets.find((p) => p.preset === HOSTILE)?.claims.total).toBe(1);
  });

  it("chart files are slugs inside charts/, one per preset even when two names slug alike", async () => {
    const files = await readdir(join(dir, "charts"));
    for (const f of files) expect(f).toMatch(/^[a-z0-9-]+\.(svg|png)$/);
    const presetCharts = files.filter((f) => f.startsWith("preset-") && f.endsWith(".svg"));
    expect(presetCharts).toHaveLength(PRESETS.length);
    expect(presetCharts.filter((f) => f.includes("gpu-a100-8-cpu"))).toHaveLength(2);
    expect((await readdir(dir)).sort()).toEqual(
      [
        ".prebuildsim-run",
        "charts",
        "report.html",
        "report.md",
        "scenario.yaml",
        "summary.json",
        "timeseries.json",
        "trace.jsonl",
      ].sort(),
    );
  });

  it("report.html shows the names as text, never as markup", async () => {
    const html = await readFile(join(dir, "report.html"), "utf8");
    expect(html).not.toContain("<img");
    expect(html).toContain("ml-training/brave_turing3/&lt;img src=x onerror=alert(1)&gt; | a\nb");
    expect(html).toContain(`ml-training/brave_turing3/${GPU}`);
    expect(html).toContain("ml-training/brave_turing3/../../outside");
    expect(html).toContain("Research-Lab");
  });

  it("report.md keeps its tables' columns and shows markup only inside code", async () => {
    const md = await readFile(join(dir, "report.md"), "utf8");
    const outsideCode = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, "").replace(/`[^`\n]*`/g, "");
    expect(outsideCode).not.toContain("<img");
    expect(md).toContain("`ml-training/brave_turing3/<img src=x onerror=alert(1)> \\| a b`");
    expect(md).toContain(`\`ml-training/brave_turing3/${GPU}\``);
    // Every row of a table has as many cell separators as its header.
    const lines = md.split("\n");
    lines.forEach((line, i) => {
      if (!line.startsWith("|") || lines[i - 1]?.startsWith("|")) return;
      const width = cellSeparators(line);
      for (let j = i; lines[j]?.startsWith("|"); j++) expect(cellSeparators(lines[j] ?? "")).toBe(width);
    });
  });

  it("each preset's chart titles it with its exact name, escaped as XML", async () => {
    const files = (await readdir(join(dir, "charts"))).filter(
      (f) => f.startsWith("preset-") && f.endsWith(".svg"),
    );
    const svgs = await Promise.all(files.map((f) => readFile(join(dir, "charts", f), "utf8")));
    for (const svg of svgs) expect(svg).not.toContain("<img");
    expect(svgs.some((s) => s.includes(`Preset ml-training/brave_turing3/${GPU}`))).toBe(true);
    expect(svgs.some((s) => s.includes(`Preset ml-training/brave_turing3/${GPU_TWIN}`))).toBe(true);
    expect(
      svgs.some((s) => s.includes("Preset ml-training/brave_turing3/&lt;img src=x onerror=alert(1)&gt;")),
    ).toBe(true);
  });
});
