// `prebuildsim shrink` and `explore --shrink` through the real command line: a failing run
// directory shrunk to minimal.yaml, its log and its run directory (which replays); a failure that
// does not reproduce is exit 1 with one line and nothing written; bad options are exit 2.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listTree, runCli, scratchDir } from "../cli/cliProcess.ts";
import { FAILING, PASSING } from "../cli/smallScenarios.ts";

let cwd: string;
beforeAll(async () => {
  cwd = await scratchDir();
  await writeFile(join(cwd, "quick.yaml"), PASSING);
  await writeFile(join(cwd, "slow.yaml"), FAILING);
});

const TIMEOUT = 600_000;

describe("prebuildsim shrink", () => {
  it(
    "shrinks a failing run directory: minimal.yaml, shrink.log, shrink.json and a run directory that replays",
    async () => {
      const run = await runCli(
        ["run", "slow.yaml", "--seed", "4", "--out", "failed", "--no-report", "--quiet"],
        cwd,
      );
      expect(run.code, run.stderr).toBe(1);
      const shrink = await runCli(
        ["shrink", "failed", "--budget", "6", "--out", "small", "--no-report"],
        cwd,
      );
      expect(shrink.code, shrink.stderr).toBe(0);
      expect(shrink.stdout).toMatch(
        /^shrink slow: converges for a preset of a version active at the start\n/,
      );
      expect(shrink.stdout).toContain(
        "  before: 2 elements (0 faults, 0 events, 0 claim streams, 1 presets, 1 replicas), seed 4\n",
      );
      expect(shrink.stdout).toContain("minimal: small/minimal.yaml\n");
      const files = await listTree(join(cwd, "small"));
      for (const f of [
        "minimal.yaml",
        "shrink.log",
        "shrink.json",
        ".prebuildsim-shrink",
        "run/summary.json",
      ])
        expect(files).toContain(f);
      const minimal = await readFile(join(cwd, "small/minimal.yaml"), "utf8");
      expect(minimal).toMatch(/^# Minimal scenario found by prebuildsim shrink: it breaks converges\n/);
      expect(minimal).toContain("# Original: run directory failed with seed 4:");
      expect(await readFile(join(cwd, "small/run/scenario.yaml"), "utf8")).toBe(minimal);
      const log = await readFile(join(cwd, "small/shrink.log"), "utf8");
      expect(log.split("\n")[1]).toMatch(
        /^\[run {3}1\] kept {4}original: run the original: breaks converges/,
      );
      expect(log).toMatch(/budget of 6 runs spent|no reduction keeps the failure: minimal/);

      const replay = await runCli(["replay", "small/run"], cwd);
      expect(replay.code, replay.stderr).toBe(0);
      const again = await runCli(
        ["run", "small/minimal.yaml", "--out", "again", "--no-report", "--quiet"],
        cwd,
      );
      expect(again.code).toBe(1);
    },
    TIMEOUT,
  );

  it(
    "says so when the failure does not reproduce: exit 1, one line, nothing written",
    async () => {
      const before = await listTree(cwd);
      const shrink = await runCli(["shrink", "quick.yaml", "--seed", "5", "--out", "nothing"], cwd);
      expect(shrink).toEqual({
        code: 1,
        stdout: "",
        stderr:
          "shrink: quick.yaml with seed 5 no longer fails: it passes (has the code changed since the run?)\n",
      });
      expect(await listTree(cwd)).toEqual(before);
    },
    TIMEOUT,
  );

  it.each([
    [
      ["shrink", "slow.yaml", "--budget", "soon"],
      '--budget: expected a number of runs like 200 or a simulated duration like P2D, got "soon"',
    ],
    [
      ["shrink", "slow.yaml", "--invariant", "fast"],
      /^--invariant: expected one of claimed-never-reconciled, .*, got "fast"$/,
    ],
    [["shrink", "missing.yaml"], /^missing\.yaml: /],
    [
      ["explore", "slow.yaml", "--seeds", "1..2", "--shrink", "0"],
      '--shrink: expected a number of runs like 200 or a simulated duration like P2D, got "0"',
    ],
  ])("bad input %j: exit 2, one line, nothing written", async (args, line) => {
    const before = await listTree(cwd);
    const result = await runCli(args, cwd);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    if (typeof line === "string") expect(lines[0]).toBe(line);
    else expect(lines[0]).toMatch(line);
    expect(await listTree(cwd)).toEqual(before);
  });

  it(
    "explore --shrink shrinks each failing seed and lists the minimal scenarios",
    async () => {
      const explore = await runCli(
        ["explore", "slow.yaml", "--seeds", "1..1", "--jobs", "1", "--shrink", "3", "--out", "x"],
        cwd,
      );
      expect(explore.code, explore.stderr).toBe(1);
      expect(explore.stdout).toMatch(
        / {2}minimal: x\/shrink-1\/minimal\.yaml \(2 -> \d elements, seed \d\)\n/,
      );
      const record = JSON.parse(await readFile(join(cwd, "x/explore.json"), "utf8"));
      expect(record.results[0].shrunk).toMatchObject({ dir: "shrink-1", before: 2 });
      expect(await readFile(join(cwd, "x/index.md"), "utf8")).toContain("shrink-1/run");
    },
    TIMEOUT,
  );
});
