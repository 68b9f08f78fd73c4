// --junit and --summary end to end through the real command line: explore writes a JUnit report
// that the schema accepts, with the evidence read from the kept run directories, and a Markdown
// job summary (appended, as $GITHUB_STEP_SUMMARY expects) whose links lead into those directories.
import { access, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/check/summary.ts";
import type { CiOutcome } from "../../src/cli/ciOutcome.ts";
import { jobSummaryMarkdown } from "../../src/cli/jobSummary.ts";
import { runCli, scratchDir } from "./cliProcess.ts";
import { FAILING } from "./smallScenarios.ts";
import { hasXmllint, parseXml, schemaErrors } from "./xmlTree.ts";

describe("explore --junit --summary", () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await scratchDir();
    await writeFile(join(cwd, "slow.yaml"), FAILING);
    await writeFile(join(cwd, "step-summary.md"), "earlier step\n");
    const run = await runCli(
      [
        "explore",
        "slow.yaml",
        "--seeds",
        "1..2",
        "--jobs",
        "1",
        "--out",
        "ex",
        "--junit",
        "ci/junit.xml",
        "--summary",
        "step-summary.md",
      ],
      cwd,
    );
    expect(run.code, run.stderr).toBe(1);
  }, 300_000);

  it("writes a JUnit report with a failing case per seed, the cited trace lines and the replay", async () => {
    const xml = await readFile(join(cwd, "ci/junit.xml"), "utf8");
    if (hasXmllint || process.env.CI) expect(await schemaErrors(join(cwd, "ci/junit.xml"))).toBeNull();
    const root = parseXml(xml);
    expect(root.attributes).toMatchObject({ tests: "2", failures: "2" });
    const cases = root.children[0]?.children.filter((c) => c.name === "testcase") ?? [];
    expect(cases.map((c) => c.attributes.name)).toEqual(["seed 1", "seed 2"]);
    const failure = cases[0]?.children.find((c) => c.name === "failure");
    expect(failure?.attributes.type).toBe("converges");
    expect(failure?.text).toMatch(/trace\.jsonl:(\d+): \{"seq":\1,/);
    expect(failure?.text).toContain(`reproduce: prebuildsim replay ${join("ex", "seed-1")}`);
    expect(failure?.text).toContain("reproduce: prebuildsim run slow.yaml --seed 1");
  });

  it("appends a job summary whose table links into the run directories", async () => {
    const md = await readFile(join(cwd, "step-summary.md"), "utf8");
    expect(md.startsWith("earlier step\n## ❌ prebuildsim explore slow: 2 seeds, 2 failed\n")).toBe(true);
    expect(md).toContain(
      "| slow | 1 | **FAIL** | converges | - | [ex/seed-1/report.html](ex/seed-1/report.html) |",
    );
    expect(md).toContain("```sh\nprebuildsim replay ex/seed-2\nprebuildsim run slow.yaml --seed 2\n```");
    await access(join(cwd, "ex/seed-1/report.html"));
  });
});

describe("jobSummaryMarkdown", () => {
  const ok = { scenario: "a|b", seed: 4, ok: true, violations: [], allowed: [] } as unknown as RunSummary;
  const outcome: CiOutcome = {
    group: "a|b",
    name: "seed 4",
    summary: ok,
    runDir: "reports/a b-4",
    reproduce: [],
    evidence: new Map(),
  };

  it("links relative to the summary's folder and keeps the table intact", () => {
    const md = jobSummaryMarkdown("suite", [outcome], dirname("out/summary.md"));
    expect(md).toContain("## ✅ suite\n\n1 of 1 passed, 0 failed.");
    expect(md).toContain(
      "| a\\|b | 4 | PASS | - | - | [reports/a b-4/report.html](../reports/a%20b-4/report.html) |",
    );
  });
});
