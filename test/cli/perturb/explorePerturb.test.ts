// `explore --perturb` end to end (issue #13 part 4) on a short two-replica scenario whose strict
// convergence makes a first cycle cut short a violation: the unperturbed run records the points,
// `--perturb all` enumerates them (bounded by --max-runs), a failure it finds replays from its run
// directory with the printed command, and `--perturb sample` draws each seed's point from the seed.
import { copyFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { perturbMode } from "../../../bench/detect/detectors.ts";
import type { ExploreRecord } from "../../../src/cli/exploreRecord.ts";
import type { RunSummary } from "../../../src/index.ts";
import { Rng } from "../../../src/kernel/rng.ts";
import { REPO, runCli, scratchDir } from "../cliProcess.ts";

const TIMEOUT = 600_000;
let cwd: string;

beforeAll(async () => {
  cwd = await scratchDir();
  await copyFile(join(REPO, "test/fixtures/perturb/two-replicas.yaml"), join(cwd, "two.yaml"));
});

async function record(dir: string): Promise<ExploreRecord> {
  return JSON.parse(await readFile(join(cwd, dir, "explore.json"), "utf8")) as ExploreRecord;
}

describe("explore --perturb", () => {
  it(
    "all: enumerates the recorded cycle statements, runs --max-runs of them spread evenly, and a failure replays with the printed command",
    async () => {
      const explore = await runCli(
        [
          "explore",
          "two.yaml",
          "--seeds",
          "1..1",
          "--jobs",
          "1",
          "--perturb",
          "all",
          "--perturb-faults",
          "replica-crash",
          "--max-runs",
          "3",
          "--out",
          "all",
        ],
        cwd,
      );
      expect(explore.code, explore.stderr).toBe(1);
      const r = await record("all");
      const [seed] = r.perturb?.seeds ?? [];
      if (seed === undefined) throw new Error("no perturb record");
      // The unperturbed run passed (not kept); a failing perturbed run's trace shows the cycles the
      // unperturbed run had up to the strike (its own count of statements is test/world/cycleLog.test.ts's).
      expect(r.results[0]).toMatchObject({ seed: 1, dir: null, summary: { ok: true } });
      expect(r.results[0]?.perturbation).toBeUndefined();
      expect(seed.cycles).toBe(3);
      expect(seed.cycleStatements).toBeGreaterThan(seed.cycles);
      // One kind: one perturbation per point; 3 of them run, spread evenly from the first.
      expect(seed.perturbations).toBe(seed.cycleStatements);
      expect(seed.runs).toBe(3);
      const P = seed.perturbations;
      const numbers = r.results.flatMap((x) => (x.perturbation === undefined ? [] : [x.perturbation.number]));
      expect(numbers).toEqual([1, 1 + Math.floor(P / 3), 1 + Math.floor((2 * P) / 3)]);
      expect(explore.stdout).toContain(
        `seed 1: ${P} cycle-statement points in ${seed.cycles} cycles, ${seed.notifications} notification points; ${P} perturbations (replica-crash), 3 run (--max-runs 3 < ${P}: 3 spread evenly over them)`,
      );
      expect(explore.stdout).toMatch(
        /3 perturbed runs: \d+ landed, \d+ struck elsewhere, \d+ changed nothing; \d+ failed/,
      );
      expect(explore.stdout).toContain("seed 1 #1 replica-crash at replica-0 cycle 1 after 0 of");

      const failed = r.results.find((x) => x.perturbation !== undefined && !x.summary.ok);
      if (failed?.perturbation === undefined || failed.dir === null)
        throw new Error("no perturbed run failed");
      expect(failed.perturbation.landing.outcome).toBe("landed");
      const scenario = await readFile(join(cwd, "all", failed.dir, "scenario.yaml"), "utf8");
      expect(scenario).toContain("kind: replica-crash");
      expect(scenario).toContain(
        `afterStatements: ${failed.perturbation.point.type === "cycle-statement" ? failed.perturbation.point.afterStatements : -1}`,
      );
      const rerun = `prebuildsim run ${join("all", failed.dir, "scenario.yaml")} --seed 1`;
      expect(explore.stdout).toContain(`seed 1 perturbation #${failed.perturbation.number}: FAIL`);
      expect(explore.stdout).toContain(`  rerun:  ${rerun}`);

      const replayed = await runCli(
        [...rerun.split(" ").slice(1), "--out", "replayed", "--no-report", "--quiet"],
        cwd,
      );
      expect(replayed.code, replayed.stderr).toBe(1);
      const summary = JSON.parse(await readFile(join(cwd, "replayed/summary.json"), "utf8")) as RunSummary;
      expect(summary.traceHash).toBe(failed.summary.traceHash);

      const index = await readFile(join(cwd, "all/index.html"), "utf8");
      expect(index).toContain("<h2>Perturbed runs</h2>");
      expect(index.match(/<tr><td class="num">1<\/td><td class="num">\d+<\/td>/g)).toHaveLength(3);
      expect(index).toContain(`href="seed-1-perturb-${failed.perturbation.number}/report.html"`);
      expect(await readFile(join(cwd, "all/index.md"), "utf8")).toContain(
        "| seed | # | point | fault | landed? | verdict | report |",
      );
    },
    TIMEOUT,
  );

  it(
    "sample: each seed runs the perturbation its seed draws (stream perturb/point), the same on every exploration",
    async () => {
      const args = ["explore", "two.yaml", "--seeds", "2..2", "--jobs", "1", "--perturb", "sample"];
      const explore = await runCli([...args, "--perturb-faults", "lock-connection-lost", "--out", "s"], cwd);
      expect(explore.code, explore.stderr).not.toBe(2);
      const r = await record("s");
      expect(r.perturb?.mode).toBe("sample");
      for (const seed of r.perturb?.seeds ?? []) {
        expect(seed.runs).toBe(1);
        const drawn = new Rng(seed.seed).stream("perturb/point").int(seed.perturbations) + 1;
        const run = r.results.find((x) => x.seed === seed.seed && x.perturbation !== undefined);
        expect(run?.perturbation?.number).toBe(drawn);
      }
      expect(explore.stdout).toMatch(
        /seed 2: \d+ cycle-statement points .*, 1 run \(one drawn from the seed\)/,
      );
    },
    TIMEOUT,
  );

  it("explore --help offers --perturb and --max-runs, so the detection bench's detector (c) uses them", async () => {
    expect(await perturbMode(REPO)).toEqual(["--perturb", "all", "--max-runs", "8"]);
    const bad = await runCli(["explore", "two.yaml", "--seeds", "1..1", "--max-runs", "3"], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--max-runs and --perturb-faults need --perturb all or --perturb sample");
  }, 120_000);
});
