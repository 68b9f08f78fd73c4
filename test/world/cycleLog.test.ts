// The cycle log `explore --perturb` records its points from (issue #13 part 4): recording changes
// no run, its cycles are the trace's leases, and its statement counts are the ones a cycle trigger
// counts — `afterStatements: n - 1` strikes a cycle of n statements, `n` does not.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { landingOf } from "../../src/cli/perturb/landing.ts";
import { cyclePoints } from "../../src/cli/perturb/points.ts";
import { perturbedScenarioText } from "../../src/cli/perturb/scenarioText.ts";
import { scenarioFromText } from "../../src/cli/scenarioInput.ts";
import { LockId } from "../../src/db/constants.ts";
import { lockConnectionLost } from "../../src/world/faults/lockConnectionLost.ts";
import { simulate } from "../../src/world/simulate.ts";
import { driverOf, useWorldDatabase } from "./harness.ts";

useWorldDatabase();

const FIXTURE = join(import.meta.dirname, "../fixtures/perturb/two-replicas.yaml");

async function fixture(text?: string) {
  const source = text ?? (await readFile(FIXTURE, "utf8"));
  return scenarioFromText(FIXTURE, source);
}

describe("CycleLog", () => {
  test("recording changes no run, and its cycles are the trace's leases of the reconciliation lock", async () => {
    const { scenario } = await fixture();
    const plain = await simulate(scenario, { seed: 1, database: driverOf() });
    const hash = plain.trace.hash();
    const recorded = await simulate(scenario, { seed: 1, database: driverOf(), recordCycles: true });
    expect(recorded.trace.hash()).toBe(hash);
    expect(plain.cycles).toBeNull();
    const leases = recorded.trace
      .lines()
      .map((l) => JSON.parse(l) as { kind: string; lock?: number; connection?: string; t: string })
      .filter((l) => l.kind === "lock.acquire" && l.lock === LockId.ReconcilePrebuilds);
    const cycles = recorded.cycles ?? [];
    expect(cycles.map((c) => [c.replica, new Date(c.acquiredAt).toISOString()])).toEqual(
      leases.map((l) => [l.connection, l.t]),
    );
    // Each replica's cycles are numbered from 1; every cycle of this scenario runs statements.
    expect(cycles.map((c) => `${c.replica}#${c.cycle}`)).toEqual([
      "replica-0#1",
      "replica-0#2",
      "replica-1#1",
    ]);
    expect(cycles.every((c) => c.statements > 0)).toBe(true);
  });

  test("a cycle of n statements is struck by afterStatements n - 1 and not by n", async () => {
    const { scenario, text } = await fixture();
    const base = await simulate(scenario, { seed: 1, database: driverOf(), recordCycles: true });
    const points = cyclePoints(base.cycles ?? []);
    const cycle = base.cycles?.[1];
    expect(cycle).toBeDefined();
    const n = cycle?.statements ?? 0;
    const last = points.find(
      (p) => p.replica === cycle?.replica && p.cycle === cycle?.cycle && p.afterStatements === n - 1,
    );
    expect(last).toBeDefined();
    if (last === undefined) return;
    const run = { start: scenario.start, end: scenario.start + scenario.duration };
    const land = async (afterStatements: number) => {
      const fault = { ...lockConnectionLost.perturbAt?.(last, run), afterStatements };
      const perturbed = perturbedScenarioText(text, fault, last);
      const input = scenarioFromText(FIXTURE, perturbed.text);
      const result = await simulate(input.scenario, { seed: 1, database: driverOf() });
      return landingOf(result.trace.text(), perturbed.index, last);
    };
    expect((await land(n - 1)).outcome).toBe("landed");
    expect((await land(n)).outcome).not.toBe("landed");
  });
});
