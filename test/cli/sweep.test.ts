// `prebuildsim sweep` through the real command line: bad --vary input is refused like a bad
// scenario (exit 2, one line per problem, nothing written); a small grid runs in worker processes
// and writes its table, documents and charts.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseSeedsPerPoint, parseTargetHitRate } from "../../src/cli/commands/sweep.ts";
import { InputError } from "../../src/run/inputError.ts";
import { listTree, runCli, scratchDir } from "./cliProcess.ts";

const POOL = `name: tiny-pool
seed: 5
start: 2026-03-02T08:00:00Z
duration: PT20M
provisioners:
  daemons: 4
  buildTime: {fixed: PT1M}
users: {count: 10}
templates:
  - name: dev
    versions:
      - name: v1
        presets:
          - {name: small, desiredInstances: 1}
workload:
  claims:
    - {preset: dev/small, rate: 30/h}
`;

const DESIRED = "templates.dev.versions.v1.presets.small.desiredInstances";

let cwd: string;
beforeAll(async () => {
  cwd = await scratchDir();
  await writeFile(join(cwd, "pool.yaml"), POOL);
});

describe("sweep: bad input (exit 2, one line per problem, nothing written)", () => {
  it.each([
    [
      "a path naming no element",
      ["--vary", "templates.dev.versions.v2.presets.small.desiredInstances=1,2"],
      [
        'pool.yaml:12:7: templates[0].versions: expected an element\'s name ("v1" or an index [0]…[0]), got "v2" (in --vary templates.dev.versions.v2.presets.small.desiredInstances)',
      ],
    ],
    [
      "a value the scenario format refuses",
      ["--vary", `${DESIRED}=1,-3`],
      [
        `pool.yaml:14:45: templates[0].versions[0].presets[0].desiredInstances: expected an integer ≥ 0, got -3 (with --vary ${DESIRED}=-3)`,
      ],
    ],
    ["no --vary", [], ["pool.yaml: --vary: expected at least one PATH=V1,V2,… to sweep"]],
    [
      "a malformed target",
      ["--vary", `${DESIRED}=1`, "--target-hit-rate", "1.5"],
      [/^--target-hit-rate: expected a fraction in \(0, 1\]/],
    ],
    [
      "zero seeds",
      ["--vary", `${DESIRED}=1`, "--seeds", "0"],
      [/^--seeds: expected a number of seeds per point, 1 to 1000, got "0"$/],
    ],
  ])("%s", async (_, args, lines) => {
    const before = await listTree(cwd);
    const { code, stdout, stderr } = await runCli(["sweep", "pool.yaml", ...args], cwd);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    const printed = stderr.trimEnd().split("\n");
    expect(printed).toHaveLength(lines.length);
    lines.forEach((line, i) => {
      if (typeof line === "string") expect(printed[i]).toBe(line);
      else expect(printed[i]).toMatch(line);
    });
    expect(await listTree(cwd)).toEqual(before);
  });
});

describe("sweep: a small grid", () => {
  it("runs every point and seed, prints the table and the recommendation, writes the files", async () => {
    const { code, stdout, stderr } = await runCli(
      [
        "sweep",
        "pool.yaml",
        "--vary",
        `${DESIRED}=1,2`,
        "--seeds",
        "2",
        "--jobs",
        "2",
        "--target-hit-rate",
        "50%",
        "--out",
        "out",
      ],
      cwd,
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/^desiredInstances +claims +hit rate/);
    expect(stdout).toContain(
      "Target: a hit rate of at least 50.0% for the claims of dev/small, over 2 seeds per point.",
    );
    expect(stdout).toMatch(/4 runs \(2 points × 2 seeds\) in [\d.]+ s with 2 workers: [\d.]+ runs\/min/);
    expect((await listTree(join(cwd, "out"))).filter((f) => !f.startsWith("charts/"))).toEqual([
      ".prebuildsim-sweep",
      "charts",
      "sweep.csv",
      "sweep.html",
      "sweep.json",
      "sweep.md",
    ]);
    const json = JSON.parse(await readFile(join(cwd, "out", "sweep.json"), "utf8"));
    expect(json.seeds).toEqual([5, 6]);
    expect(json.points.map((p: { runs: { seed: number }[] }) => p.runs.map((r) => r.seed))).toEqual([
      [5, 6],
      [5, 6],
    ]);
    // Same seeds at every point: the same people claim at the same instants.
    expect(json.points[0].runs[0].claims).toBe(json.points[1].runs[0].claims);
  }, 120_000);
});

describe("option values", () => {
  it.each([
    ["0.9", 0.9],
    ["90%", 0.9],
    ["1", 1],
    ["100%", 1],
  ])("--target-hit-rate %s", (text, value) => {
    expect(parseTargetHitRate(text)).toBeCloseTo(value, 12);
  });

  it.each(["0", "0%", "1.01", "abc", "-0.5"])("--target-hit-rate %s is refused", (text) => {
    expect(() => parseTargetHitRate(text)).toThrow(InputError);
  });

  it("--seeds counts seeds per point", () => {
    expect(parseSeedsPerPoint("5")).toBe(5);
    expect(() => parseSeedsPerPoint("1001")).toThrow(/1 to 1000/);
    expect(() => parseSeedsPerPoint("2.5")).toThrow(InputError);
  });
});
