// The library API: runScenario from a file or a plain object, loadScenario, their errors, the
// run directory written by outDir (whose scenario.yaml loads back to the same scenario), and
// sweepScenario.
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeDatabase, loadScenario, runScenario, ScenarioError, sweepScenario } from "../src/index.ts";
import { parseScenario } from "../src/scenario/load.ts";

const TINY = {
  name: "tiny",
  duration: "PT15M",
  provisioners: { buildTime: { fixed: "PT2M" } },
  templates: [{ name: "dev", versions: [{ name: "v1", presets: [{ name: "small", desiredInstances: 2 }] }] }],
};

afterAll(async () => {
  await closeDatabase();
});

describe("library API", () => {
  it("runs a scenario given as an object and returns its summary; the same seed gives the same hash", async () => {
    const first = await runScenario(TINY, { seed: 3 });
    expect(first).toMatchObject({ scenario: "tiny", seed: 3, ok: true, simulatedSeconds: 900 });
    expect(first.traceHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const again = await runScenario(TINY, { seed: 3 });
    expect(again.traceHash).toBe(first.traceHash);
  }, 120_000);

  it("writes a run directory whose scenario.yaml loads back to the scenario that ran", async () => {
    const outDir = join(await mkdtemp(join(tmpdir(), "prebuildsim-lib-")), "tiny");
    const summary = await runScenario(TINY, { seed: 4, outDir, report: false });
    const written = JSON.parse(await readFile(join(outDir, "summary.json"), "utf8"));
    expect(written).toEqual(summary);
    const reloaded = parseScenario(await readFile(join(outDir, "scenario.yaml"), "utf8"), "scenario.yaml");
    expect(reloaded.ok && reloaded.scenario).toEqual(await loadScenario(TINY));
  }, 120_000);

  it("loads a library file, and reports every problem of a bad one as a ScenarioError", async () => {
    const scenario = await loadScenario(resolve(import.meta.dirname, "../scenarios/steady-state.yaml"));
    expect(scenario.name).toBe("steady-state");
    const error = await loadScenario({ ...TINY, name: "Bad Name", duration: "soon" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems.map(String)).toEqual([
      expect.stringMatching(/^scenario Bad Name: name: /),
      expect.stringMatching(/^scenario Bad Name: duration: expected an ISO-8601 duration/),
    ]);
  });

  it("sweeps a scenario object: every point with every seed, a recommendation, the sweep files", async () => {
    const pool = {
      ...TINY,
      duration: "PT1H",
      workload: { claims: [{ preset: "dev/small", every: "PT10M" }] },
    };
    const outDir = join(await mkdtemp(join(tmpdir(), "prebuildsim-lib-")), "sweep");
    const result = await sweepScenario(pool, {
      vary: ["templates.dev.versions.v1.presets.small.desiredInstances=0..1"],
      seeds: 2,
      outDir,
    });
    expect(result.scenario).toBe("tiny");
    expect(result.seeds).toEqual([1, 2]);
    expect(result.points.map((p) => p.values)).toEqual([["0"], ["1"]]);
    // With no pool every claim misses; with one prebuild refilled within minutes, claims ten minutes apart hit.
    expect(result.points.map((p) => p.stats.hitRate?.pooled)).toEqual([0, 1]);
    expect(result.recommendation.target).toBe(0.9);
    expect((await readdir(outDir)).sort()).toEqual(
      expect.arrayContaining(["sweep.csv", "sweep.html", "sweep.json", "sweep.md"]),
    );
  }, 240_000);

  it("rejects a vary path the scenario does not have, naming it", async () => {
    await expect(
      sweepScenario(TINY, { vary: ["templates.dev.versions.v1.presets.large.desiredInstances=1,2"] }),
    ).rejects.toThrow(/presets\.large/);
  });
});
