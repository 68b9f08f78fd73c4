import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sweepCharts } from "../../src/sweep/sweepCharts.ts";
import { renderSweepHtml, renderSweepMarkdown } from "../../src/sweep/sweepDocuments.ts";
import {
  estimateText,
  intervalNote,
  sweepCsv,
  sweepTable,
  TERMINAL_WIDTH,
  terminalTable,
} from "../../src/sweep/sweepTable.ts";
import { writeSweep } from "../../src/sweep/writeSweep.ts";
import { type FakeRun, fakePlan, fakeResult } from "./fakeResult.ts";
import { SMALL_DESIRED } from "./fixtures.ts";

const twice = (r: FakeRun): [FakeRun, FakeRun] => [r, { ...r, hits: r.hits - 2 }];

function twoDimensions() {
  const plan = fakePlan([`${SMALL_DESIRED}=1..3`, "provisioners.daemons=2,4"]);
  return fakeResult(plan, (p) => {
    const desired = (plan.points[p]?.valueIndexes[0] as number) + 1;
    return twice({ claims: 200, hits: [120, 185, 199][desired - 1] as number, idle: desired, ok: p !== 5 });
  });
}

describe("the table", () => {
  const result = twoDimensions();
  const table = sweepTable(result);

  it("one row per point, the fields' own names as headers", () => {
    expect(table.head.slice(0, 4)).toEqual(["desiredInstances", "daemons", "claims", "hit rate"]);
    expect(table.rows.map((r) => r.slice(0, 3))).toEqual([
      ["1", "2", "400"],
      ["1", "4", "400"],
      ["2", "2", "400"],
      ["2", "4", "400"],
      ["3", "2", "400"],
      ["3", "4", "400"],
    ]);
    expect(table.rows[4]?.[6]).toBe("yes");
    expect(table.rows[5]?.slice(-2)).toEqual(["2", "converges"]);
  });

  it("mean ± half the interval, or the mean alone", () => {
    expect(estimateText({ mean: 12.34, low: 10.34, high: 14.34, n: 3 }, (x) => x.toFixed(1))).toBe(
      "12.3 ±2.0",
    );
    expect(estimateText({ mean: 12.34, low: null, high: null, n: 1 }, (x) => x.toFixed(1))).toBe("12.3");
    expect(estimateText(null, String)).toBe("–");
  });

  it("aligned for the terminal", () => {
    const lines = terminalTable(table, Number.POSITIVE_INFINITY).split("\n");
    expect(lines).toHaveLength(8);
    expect(new Set(lines.slice(0, 2).map((l) => l.indexOf("claims") >= 0))).toEqual(new Set([true, false]));
    expect(lines[2]?.startsWith("               1        2     400")).toBe(true);
  });

  it("fits 120 columns, leaving out the least important columns and naming them", () => {
    const full = terminalTable(table, Number.POSITIVE_INFINITY).split("\n");
    expect(Math.max(...full.map((l) => l.length))).toBeGreaterThan(TERMINAL_WIDTH);
    const lines = terminalTable(table).split("\n");
    expect(lines.filter((l) => l.length > TERMINAL_WIDTH)).toEqual([]);
    expect(lines[0]).toMatch(/^desiredInstances {2}daemons {2}claims {2}hit rate/);
    for (const kept of ["lower bound", "meets target", "idle prebuild-h/day", "failed seeds"])
      expect(lines[0]).toContain(kept);
    expect(lines[0]).not.toContain("broken invariants");
    const leftOut = lines.slice(lines.findIndex((l) => l.startsWith("(left out here"))).join(" ");
    expect(leftOut).toMatch(/^\(left out here: broken invariants, human queue wait s, /);
    expect(leftOut).toMatch(/see sweep\.md, sweep\.html or sweep\.csv\)$/);
  });

  it("two seeds: not enough seeds, never a t interval", () => {
    // fakePlan runs two seeds: the t quantile with one degree of freedom is 12.7, the "±351" of issue 17.
    expect(result.seeds).toHaveLength(2);
    expect(result.intervals).toBe("not enough seeds");
    expect(result.points[0]?.stats.hitRate?.perSeed).toMatchObject({ low: null, high: null, n: 2 });
    expect(table.rows.flat().join(" ")).not.toContain("±");
    expect(intervalNote(2)).toBe(
      "± intervals: not enough seeds (2 per point; a t interval needs at least 3), so those columns show the mean alone",
    );
    expect(intervalNote(3)).toBeNull();
    const md = renderSweepMarkdown(result, []);
    expect(md).toContain("not enough seeds (2 per point");
    expect(md).toContain("(not enough seeds for an interval)");
    const [head, first] = sweepCsv(result).trimEnd().split("\n");
    const cells = first?.split(",") ?? [];
    const columns = head?.split(",") ?? [];
    expect(cells[columns.indexOf("intervals")]).toBe("not enough seeds");
    expect(cells[columns.indexOf("hit_rate_low")]).toBe("");
  });

  it("CSV: a header and raw numbers", () => {
    const [head, first] = sweepCsv(result).trimEnd().split("\n");
    const columns = head?.split(",") ?? [];
    expect(columns.slice(0, 5)).toEqual([SMALL_DESIRED, "provisioners.daemons", "seeds", "claims", "hits"]);
    const cells = first?.split(",") ?? [];
    const at = (name: string) => cells[columns.indexOf(name)];
    expect(at("claims")).toBe("400");
    expect(at("hits")).toBe("238");
    expect(at("hit_rate_pooled")).toBe("0.595");
    expect(at("meets_target")).toBe("false");
    expect(at("human_queue_wait_seconds_mean")).toBe("");
    expect(Number(at("idle_prebuild_hours_per_day_mean"))).toBe(12);
  });
});

describe("the documents", () => {
  it("escape values from the command line in Markdown and HTML", () => {
    const plan = fakePlan(["description=<b>bold</b>,plain|pipe"]);
    const result = fakeResult(plan, () => twice({ claims: 100, hits: 99 }));
    const charts = sweepCharts(result);
    const html = renderSweepHtml(result, charts);
    expect(html).toContain("&lt;b&gt;bold&lt;/b&gt;");
    expect(html).not.toContain("<b>bold</b>");
    const md = renderSweepMarkdown(result, charts);
    expect(md).toContain("&lt;b&gt;bold&lt;/b&gt;");
    expect(md).toContain("plain\\|pipe");
  });

  it("recommendation, schedule, table and charts in order", () => {
    const result = twoDimensions();
    const md = renderSweepMarkdown(result, sweepCharts(result));
    const order = [
      "## Recommendation",
      "Recommended:",
      "## Points",
      "## Charts",
      "![Claim hit rate",
      "![Idle prebuild-hours",
    ];
    const positions = order.map((s) => md.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(md).toContain("(charts/hit-rate.png)");
  });
});

describe("the charts", () => {
  it("one line per value of the other --vary, whiskers, the target and the recommendation marked", () => {
    const result = twoDimensions();
    const [hit, idle, schedule] = sweepCharts(result);
    expect(schedule).toBeUndefined();
    expect(hit?.svg.match(/class="series"/g)).toHaveLength(2);
    expect(hit?.svg.match(/class="whisker"/g)).toHaveLength(6);
    expect(hit?.svg.match(/class="target"/g)).toHaveLength(1);
    expect(hit?.svg.match(/class="recommended( best)?"/g)).toHaveLength(2);
    expect(hit?.svg.match(/class="recommended best"/g)).toHaveLength(1);
    expect(hit?.svg).toContain("provisioners.daemons=4");
    expect(idle?.svg.match(/class="whisker"/g)).toHaveLength(6);
  });

  it("a category axis for values that are not numbers", () => {
    const plan = fakePlan(["workload.claims[0].rate=6/h,12/h"]);
    const result = fakeResult(plan, () => twice({ claims: 100, hits: 99 }));
    const [hit] = sweepCharts(result);
    expect(hit?.svg).toContain(">6/h<");
    expect(hit?.svg).toContain(">12/h<");
  });
});

describe("writeSweep", () => {
  it("writes the data files, the documents and every chart as SVG and PNG", async () => {
    const dir = await mkdtemp(join(tmpdir(), "prebuildsim-sweep-"));
    const result = twoDimensions();
    await writeSweep(dir, result);
    expect((await readdir(dir, { recursive: true })).map(String).sort()).toEqual([
      "charts",
      "charts/hit-rate.png",
      "charts/hit-rate.svg",
      "charts/idle-cost.png",
      "charts/idle-cost.svg",
      "sweep.csv",
      "sweep.html",
      "sweep.json",
      "sweep.md",
    ]);
    const json = JSON.parse(await readFile(join(dir, "sweep.json"), "utf8"));
    expect(json.points).toHaveLength(6);
    expect(json.points[0].runs).toHaveLength(2);
    expect(json.recommendation.rule).toMatch(/lower bound/);
    const png = await readFile(join(dir, "charts/hit-rate.png"));
    expect(png.subarray(1, 4).toString()).toBe("PNG");
  });
});
