// Each family of builds draws from its own provisioner streams (src/world/buildStreams.ts): a run
// without one preset gives another preset's builds the same durations and outcomes.
import { describe, expect, test } from "vitest";
import { MINUTE } from "../../src/clock/types.ts";
import type { Scenario } from "../../src/scenario/scenario.ts";
import { at, lines, run, useWorldDatabase } from "./harness.ts";
import { devTemplate, fastProvisioners, preset, scenario } from "./scenarioFixture.ts";

useWorldDatabase();

/** Each preset's first cycle creates this many prebuilds. */
const FIRST_ROUND = 4;

function withPresets(...names: string[]): Scenario {
  return scenario(
    {
      provisioners: {
        ...fastProvisioners,
        daemons: 12,
        buildTime: { median: MINUTE, p90: 3 * MINUTE },
      },
      templates: [devTemplate(...names.map((n) => preset(n, FIRST_ROUND, { failureRate: 0.3 })))],
    },
    20 * MINUTE,
  );
}

/**
 * Preset `name`'s builds: how long they ran, and how many failed. Sorted: two daemons that take
 * jobs in the same instant draw in the order the kernel interleaves them, which the other preset's
 * tasks do move (that is the interleaving itself, README Determinism), so the values are compared,
 * not which of two simultaneous builds drew which. Only the first round: which of its builds failed
 * decides when the retries run, and so the order later draws are taken in.
 */
async function buildsOf(s: Scenario, name: string, seed: number) {
  const r = await run(s, seed);
  const presetId = r.catalog.preset("dev", "v1", name).id;
  const jobs = new Set(
    lines(r, "build.create")
      .filter((l) => l.preset === presetId)
      .map((l) => l.job),
  );
  const completions = new Map(lines(r, "job.complete").map((l) => [l.job, l]));
  const builds = lines(r, "job.acquire")
    .filter((l) => jobs.has(l.job))
    .slice(0, FIRST_ROUND)
    .map((l) => ({ acquired: at(l), done: completions.get(l.job) }));
  return {
    durations: builds.map((b) => (b.done === undefined ? -1 : at(b.done) - b.acquired)).sort((x, y) => x - y),
    failed: builds.filter((b) => b.done?.status === "failed").length,
  };
}

describe("provisioner streams per family of builds", () => {
  test.each([3, 5])(
    "removing preset b leaves preset a's build durations and outcomes (seed %i)",
    async (seed) => {
      const alone = await buildsOf(withPresets("a"), "a", seed);
      const together = await buildsOf(withPresets("a", "b"), "a", seed);
      expect(alone.durations).toHaveLength(FIRST_ROUND);
      expect(alone.failed).toBeGreaterThan(0);
      expect(together).toEqual(alone);
    },
  );
});
