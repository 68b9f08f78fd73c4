// The CI recipes of examples/ci/: every file parses as YAML; the GitHub Actions workflow and the
// Kubernetes Jobs run locally (test/examples/recipeRunner.ts) against the real command line on a
// small scenario, and the merged shards hold exactly what one unsharded explore finds, seed for
// seed. Running them costs minutes: CI (CI=true) or PREBUILDSIM_SLOW_TESTS=1.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { ExploreRecord } from "../../src/cli/exploreRecord.ts";
import { runCli, scratchDir } from "../cli/cliProcess.ts";
import { FAILING, PASSING } from "../cli/smallScenarios.ts";
import { parseXml } from "../cli/xmlTree.ts";
import {
  RECIPES,
  readK8s,
  readWorkflow,
  runGithubWorkflow,
  runKubernetesJobs,
  type StepRun,
} from "./recipeRunner.ts";

const slow = Boolean(process.env.CI) || process.env.PREBUILDSIM_SLOW_TESTS === "1";
const TIMEOUT = 1_500_000;

const SEEDS = "1..4";

async function record(dir: string): Promise<ExploreRecord> {
  return JSON.parse(await readFile(join(dir, "explore.json"), "utf8")) as ExploreRecord;
}

/** Seed → verdict and trace hash: what must agree between the merged shards and one explore. */
function bySeed(r: ExploreRecord): [number, boolean, string][] {
  return r.results.map((x) => [x.seed, x.summary.ok, x.summary.traceHash]);
}

const failed = (runs: readonly StepRun[]) =>
  runs.filter((r) => r.code !== 0).map((r) => `${r.script}\n${r.stderr}`);

describe("examples/ci", () => {
  it("every recipe parses as YAML", async () => {
    const files = (await readdir(RECIPES)).filter((f) => /\.ya?ml$/.test(f));
    expect(files.sort()).toEqual([
      "github-actions.yml",
      "kubernetes-indexed-job.yaml",
      "kubernetes-merge-job.yaml",
    ]);
    for (const f of files)
      for (const doc of parseAllDocuments(await readFile(join(RECIPES, f), "utf8")))
        expect(doc.errors, f).toEqual([]);
  });

  it("the workflow's matrix has as many shards as PREBUILDSIM_SHARD_COUNT says, and so has the Indexed Job", async () => {
    const wf = await readWorkflow();
    expect(wf.jobs.explore.strategy?.matrix?.shard).toHaveLength(Number(wf.env.PREBUILDSIM_SHARD_COUNT));
    const job = (await readK8s("kubernetes-indexed-job.yaml")).find((d) => d.kind === "Job");
    const script = job?.spec.template.spec.containers[0]?.command[2] ?? "";
    expect(script).toContain(`--shard auto --shard-count ${job?.spec.completions}`);
  });
});

describe.skipIf(!slow)("examples/ci run locally", () => {
  let root: string;
  beforeAll(async () => {
    root = await scratchDir();
    await writeFile(join(root, "quick.yaml"), PASSING);
    await writeFile(join(root, "slow.yaml"), FAILING);
  });

  it(
    "GitHub Actions: shards, artifacts, merge with summary and JUnit, red on a failing seed; merged == unsharded",
    async () => {
      const gh = await runGithubWorkflow(
        join(root, "gh"),
        { SCENARIO: "slow.yaml", SEEDS },
        { "slow.yaml": FAILING },
      );
      expect(gh.shards).toHaveLength(4);
      expect(failed(gh.shards)).toEqual([]);
      expect(gh.merge.map((r) => r.code)).toEqual([1]);
      expect(gh.merge[0]?.stdout).toContain("slow: 4 seeds, 4 failed");
      const summary = await readFile(gh.stepSummary, "utf8");
      expect(summary).toContain("## ❌ prebuildsim explore slow: 4 seeds, 4 failed");
      const junit = parseXml(await readFile(join(gh.mergeDir, "merged/junit.xml"), "utf8"));
      expect(junit.attributes).toMatchObject({ tests: "4", failures: "4" });

      const whole = await runCli(["explore", "slow.yaml", "--seeds", SEEDS, "--out", "whole-slow"], root);
      expect(whole.code).toBe(1);
      const merged = await record(join(gh.mergeDir, "merged"));
      expect(bySeed(merged)).toEqual(bySeed(await record(join(root, "whole-slow"))));
      expect(merged.shards.map((s) => `${s.index}/${s.count}`).sort()).toEqual(["1/4", "2/4", "3/4", "4/4"]);
    },
    TIMEOUT,
  );

  it(
    "Kubernetes: each completion index is a shard, the merge Job passes; merged == unsharded",
    async () => {
      // The results volume: mounted (so existing) before any pod starts.
      const results = join(root, "k8s-results");
      await mkdir(results);
      const k8s = await runKubernetesJobs(join(root, "k8s"), {
        SCENARIO: join(root, "quick.yaml"),
        // Two seeds over four completions: two shards run one seed each, two have none.
        SEEDS: "1..2",
        RESULTS: results,
      });
      expect(failed(k8s.shards)).toEqual([]);
      expect(k8s.merge.code, k8s.merge.stderr).toBe(0);
      const whole = await runCli(["explore", "quick.yaml", "--seeds", "1..2", "--out", "whole-quick"], root);
      expect(whole.code).toBe(0);
      const merged = await record(join(results, "merged"));
      expect(bySeed(merged)).toEqual(bySeed(await record(join(root, "whole-quick"))));
      expect(bySeed(merged).map(([seed]) => seed)).toEqual([1, 2]);
      expect(await readFile(join(results, "merged/summary.md"), "utf8")).toContain("2 of 2 passed");
    },
    TIMEOUT,
  );
});
