import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PresetSummary, RunSummary } from "../../src/check/summary.ts";
import {
  readIndexEntry,
  renderIndexHtml,
  renderIndexMarkdown,
  renderIndexReport,
} from "../../src/report/index.ts";
import { convergenceTime, indexRows } from "../../src/report/indexReport.ts";
import { writeSyntheticRun } from "./syntheticRun.ts";

function preset(over: Partial<PresetSummary>): PresetSummary {
  return {
    template: "dev",
    version: "v1",
    preset: "small",
    active: true,
    desired: 1,
    running: 1,
    eligible: 1,
    starting: 0,
    failedWorkspaces: 0,
    created: 1,
    failed: 0,
    claimed: 0,
    convergedAt: "2026-03-02T06:10:00Z",
    status: "healthy",
    claims: { total: 0, hits: 0, misses: 0 },
    ...over,
  };
}

function summary(over: Partial<RunSummary>): RunSummary {
  return {
    scenario: "weekday-morning-rush",
    seed: 1,
    version: "prebuildsim 0.1.0",
    traceHash: "sha256:00",
    events: 10,
    start: "2026-03-02T06:00:00Z",
    end: "2026-03-02T08:00:00Z",
    simulatedSeconds: 7200,
    wallSeconds: 1,
    ok: true,
    violations: [],
    allowed: [],
    warnings: [],
    presets: [preset({})],
    claims: { total: 0, hits: 0, misses: 0, hitRate: 0, waitSeconds: { p50: 0, p95: 0, max: 0 } },
    reconciler: { cycles: 1, lockAcquired: 1, lockSkipped: 0, durationSeconds: { p50: 0, max: 0 } },
    provisioner: { jobs: 1, maxQueueDepth: 1, busyFraction: 0 },
    probes: {},
    faults: [],
    ...over,
  };
}

describe("convergenceTime", () => {
  it.each([
    [
      "the latest active preset's convergence, from the start",
      [preset({}), preset({ preset: "b", convergedAt: "2026-03-02T07:05:00Z" })],
      "+1h 05m",
    ],
    [
      "null when an active healthy preset never converged",
      [preset({}), preset({ preset: "b", convergedAt: null })],
      null,
    ],
    [
      "ignoring inactive and hard-limited presets",
      [
        preset({}),
        preset({ active: false, convergedAt: null }),
        preset({ status: "hard_limited", convergedAt: null }),
      ],
      "+10m",
    ],
  ])("%s", (_, presets, expected) => {
    expect(convergenceTime(summary({ presets }))).toBe(expected);
  });
});

describe("index rows and documents", () => {
  const violation = {
    invariant: "converges",
    at: "2026-03-02T07:00:00Z",
    subject: "dev/v1/small",
    message: "m",
    traceLines: [1],
  };
  const rows = indexRows("/out", [
    { dir: "/out/runs/a-1", summary: summary({}) },
    {
      dir: "/elsewhere/b 2",
      summary: summary({ scenario: "<b>x</b>", seed: 2, ok: false, violations: [violation, violation] }),
    },
  ]);

  it("link each run's report relative to the index", () => {
    expect(rows.map((r) => r.link)).toEqual(["runs/a-1", "../elsewhere/b 2"]);
    expect(rows[1]).toMatchObject({ ok: false, violations: 2, broken: ["converges"], seed: 2 });
  });

  it("render one escaped row per run in HTML, with encoded links", () => {
    const html = renderIndexHtml("explore weekday-morning-rush", rows);
    expect(html).toContain('<a href="runs/a-1/report.html">report</a>');
    expect(html).toContain('<a href="../elsewhere/b%202/report.html">report</a>');
    expect(html).toContain("<code>&lt;b&gt;x&lt;/b&gt;</code>");
    expect(html).not.toContain("<b>x</b>");
    expect(html).toContain("2 runs: 1 passed, 1 failed");
    expect(html).not.toMatch(/<script/i);
  });

  it("render the same rows as a GitHub table in Markdown", () => {
    const md = renderIndexMarkdown("explore", rows);
    expect(md).toContain(
      "| weekday-morning-rush | 1 | ✅ PASS | 0 |  | +10m | 2h | [report](runs/a-1/report.md) |",
    );
    expect(md).toContain(
      "| &lt;b&gt;x&lt;/b&gt; | 2 | ❌ FAIL | 2 | converges | +10m | 2h | [report](../elsewhere/b%202/report.md) |",
    );
  });
});

describe("renderIndexReport", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "prebuildsim-index-"));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("writes index.html and index.md beside the runs it reads", async () => {
    const run = await writeSyntheticRun(join(work, "runs", "synthetic-7"));
    const out = await renderIndexReport(
      join(work, "index"),
      [await readIndexEntry(run.dir)],
      "synthetic runs",
    );
    const html = await readFile(out.html, "utf8");
    const md = await readFile(out.markdown, "utf8");
    expect(html).toContain('href="../runs/synthetic-7/report.html"');
    expect(md).toContain("[report](../runs/synthetic-7/report.md)");
    expect(md).toMatch(/^# synthetic runs\n/);
  });
});
