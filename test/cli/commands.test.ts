// The commands end to end through the real command line: run's exit codes and output, replay
// (identical, then diverged after the trace was edited), report re-rendering, explore with shards
// and merge, and the failing seeds' replay commands actually replaying.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/check/summary.ts";
import { listTree, runCli, scratchDir } from "./cliProcess.ts";
import { FAILING, PASSING } from "./smallScenarios.ts";

let cwd: string;
beforeAll(async () => {
  cwd = await scratchDir();
  await writeFile(join(cwd, "quick.yaml"), PASSING);
  await writeFile(join(cwd, "slow.yaml"), FAILING);
});

const TIMEOUT = 300_000;

describe("run, replay and report", () => {
  it(
    "run exits 0 when every invariant holds and writes the run directory; replay says identical",
    async () => {
      const run = await runCli(["run", "quick.yaml", "--seed", "5"], cwd);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^quick seed 5: PASS — every invariant holds\n/);
      expect(run.stdout).toContain("replay: prebuildsim replay reports/quick-5");
      const files = await listTree(join(cwd, "reports/quick-5"));
      for (const f of [
        "summary.json",
        "trace.jsonl",
        "timeseries.json",
        "scenario.yaml",
        "report.html",
        "report.md",
      ])
        expect(files).toContain(f);
      expect(await readFile(join(cwd, "reports/quick-5/scenario.yaml"), "utf8")).toBe(PASSING);

      const replay = await runCli(["replay", "reports/quick-5"], cwd);
      expect(replay).toMatchObject({ code: 0, stderr: "" });
      expect(replay.stdout).toMatch(/^reports\/quick-5: identical — \d+ lines, sha256:[0-9a-f]{64}\n$/);
    },
    TIMEOUT,
  );

  it(
    "replay exits 1 and shows the first differing line of each when the trace was changed",
    async () => {
      const run = await runCli(["run", "quick.yaml", "--out", "edited", "--no-report", "--quiet"], cwd);
      expect(run, run.stderr).toMatchObject({ code: 0, stdout: "" });
      const path = join(cwd, "edited/trace.jsonl");
      const lines = (await readFile(path, "utf8")).split("\n");
      const original = lines[9] as string;
      lines[9] = original.replace(/"actor":"[^"]*"/, '"actor":"someone-else"');
      await writeFile(path, lines.join("\n"));
      const replay = await runCli(["replay", "edited"], cwd);
      expect(replay.code, replay.stderr).toBe(1);
      expect(replay.stdout).toContain("edited: diverged");
      expect(replay.stdout).toContain("(the file was changed)");
      expect(replay.stdout).toContain("first difference at line 10:");
      expect(replay.stdout).toContain(`  recorded: ${lines[9]}`);
      expect(replay.stdout).toContain(`  replayed: ${original}`);
    },
    TIMEOUT,
  );

  it(
    "run exits 1 on a violation, prints it with its trace lines, and --json prints summary.json",
    async () => {
      const run = await runCli(["run", "slow.yaml", "--json", "--no-report"], cwd);
      expect(run.code, run.stderr).toBe(1);
      const summary = JSON.parse(run.stdout) as RunSummary;
      expect(summary).toMatchObject({ scenario: "slow", seed: 1, ok: false });
      expect(summary.violations.map((v) => v.invariant)).toEqual(["converges"]);
      const recorded = JSON.parse(
        await readFile(join(cwd, "reports/slow-1/summary.json"), "utf8"),
      ) as RunSummary;
      expect(recorded).toEqual(summary);

      const short = await runCli(["run", "slow.yaml", "--no-report"], cwd);
      expect(short.code, short.stderr).toBe(1);
      expect(short.stdout).toMatch(/^slow seed 1: FAIL — 1 violation\n/);
      expect(short.stdout).toMatch(/✗ converges at .* \[dev\/v1\/small\]: dev\/v1\/small did not reach/);
    },
    TIMEOUT,
  );

  it(
    "report re-renders the same bytes",
    async () => {
      const before = await readFile(join(cwd, "reports/quick-5/report.html"), "utf8");
      const report = await runCli(["report", "reports/quick-5"], cwd);
      expect(report.code, report.stderr).toBe(0);
      expect(await readFile(join(cwd, "reports/quick-5/report.html"), "utf8")).toBe(before);
    },
    TIMEOUT,
  );
});

describe("explore and merge", () => {
  it(
    "runs shards in workers, lists failing seeds with commands that replay them, and merges the shards",
    async () => {
      const shard1 = await runCli(
        ["explore", "slow.yaml", "--seeds", "1..3", "--shard", "1/2", "--out", "s1"],
        cwd,
      );
      const shard2 = await runCli(
        ["explore", "slow.yaml", "--seeds", "1..3", "--shard", "2/2", "--out", "s2", "--jobs", "1"],
        cwd,
      );
      expect([shard1.code, shard2.code], shard1.stderr + shard2.stderr).toEqual([1, 1]);
      expect(shard1.stdout).toContain("slow: 2 seeds, 2 failed");
      expect(shard1.stdout).toContain("seed 1: FAIL");
      expect(shard1.stdout).toContain("seed 3: FAIL");
      expect(shard1.stdout).toContain("  replay: prebuildsim replay s1/seed-3");
      expect(shard1.stdout).toContain("  rerun:  prebuildsim run slow.yaml --seed 3");
      expect(shard2.stdout).toContain("slow: 1 seeds, 1 failed");

      const merge = await runCli(["merge", "s1", "s2", "--out", "all"], cwd);
      expect(merge.code, merge.stderr).toBe(1);
      expect(merge.stdout).toContain("slow: 3 seeds, 3 failed");
      const record = JSON.parse(await readFile(join(cwd, "all/explore.json"), "utf8")) as {
        results: { seed: number; dir: string }[];
      };
      expect(record.results.map((r) => [r.seed, r.dir])).toEqual([
        [1, "../s1/seed-1"],
        [2, "../s2/seed-2"],
        [3, "../s1/seed-3"],
      ]);
      expect(await readFile(join(cwd, "all/index.html"), "utf8")).toContain("../s2/seed-2/report.html");

      const replay = await runCli(["replay", "s2/seed-2"], cwd);
      expect(replay.code, replay.stderr).toBe(0);
    },
    TIMEOUT,
  );

  it(
    "swarm gives seeds their own fault parameters and `run --swarm` reproduces a seed",
    async () => {
      await writeFile(
        join(cwd, "faulty.yaml"),
        `${PASSING.replace("name: quick", "name: faulty")}faults:\n  - {at: PT5M, kind: provisioner-outage, duration: PT5M}\n  - {at: PT2M, kind: build-failures, rate: 0.5, duration: PT4M}\n`,
      );
      const explore = await runCli(
        ["explore", "faulty.yaml", "--seeds", "1..2", "--swarm", "--keep", "all", "--out", "sw"],
        cwd,
      );
      expect(explore.code).not.toBe(2);
      const swarmed = await readFile(join(cwd, "sw/seed-2/scenario.yaml"), "utf8");
      expect(swarmed).toContain("[swarm seed 2:");
      const rerun = await runCli(
        ["run", "faulty.yaml", "--seed", "2", "--swarm", "--out", "rerun", "--no-report"],
        cwd,
      );
      const a = JSON.parse(await readFile(join(cwd, "sw/seed-2/summary.json"), "utf8")) as RunSummary;
      const b = JSON.parse(await readFile(join(cwd, "rerun/summary.json"), "utf8")) as RunSummary;
      expect(rerun.code).toBe(a.ok ? 0 : 1);
      expect(b.traceHash).toBe(a.traceHash);
    },
    TIMEOUT,
  );
});

describe("suite", () => {
  it(
    "--no-report writes each run's files without the report documents and still judges every scenario",
    async () => {
      await mkdir(join(cwd, "lib"), { recursive: true });
      await writeFile(join(cwd, "lib", "quick.yaml"), PASSING);
      await writeFile(join(cwd, "lib", "slow.yaml"), FAILING);
      const suite = await runCli(["suite", "lib", "--out", "lib-out", "--no-report", "--jobs", "1"], cwd);
      expect(suite.code).toBe(1);
      expect(suite.stdout).toMatch(/quick\s+1\s+PASS/);
      expect(suite.stdout).toMatch(/slow\s+1\s+FAIL\s+converges/);
      const files = await readdir(join(cwd, "lib-out", "quick-1"));
      expect(files).toContain("summary.json");
      expect(files).toContain("trace.jsonl");
      expect(files).not.toContain("report.html");
      expect(files).not.toContain("charts");
    },
    TIMEOUT,
  );
});
