// Issue 17 part 5, the README's worked example "from a deployment to a recommendation", in process:
// run test/import/fixtures/diurnal.yaml (a Berlin morning with a rush at 09:00) on PGlite (or the
// PostgreSQL of PREBUILDSIM_DATABASE_URL), import a scenario from the database it left, then sweep
// the imported preset's desiredInstances (2 points, 2 seeds) on the same database. The sweep must
// recommend a count and print a schedule for the imported preset in the imported time zone.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sweepReport } from "../../src/cli/commands/sweep.ts";
import { type ImportResult, importScenario } from "../../src/import/importScenario.ts";
import { parseScenario, scenarioOrThrow } from "../../src/scenario/load.ts";
import { planSweep } from "../../src/sweep/plan.ts";
import type { SweepResult } from "../../src/sweep/result.ts";
import { runSweepInProcess } from "../../src/sweep/runInProcess.ts";
import { TERMINAL_WIDTH } from "../../src/sweep/sweepTable.ts";
import { type Deployment, runDeployment } from "./deployment.ts";

const DIURNAL_FILE = join(import.meta.dirname, "fixtures/diurnal.yaml");
const DESIRED = "templates.dev.versions.v1.presets.small.desiredInstances";

let d: Deployment;
let imported: ImportResult;
let result: SweepResult;

beforeAll(async () => {
  d = await runDeployment(DIURNAL_FILE);
  const window = { since: d.scenario.start, until: d.scenario.start + d.scenario.duration };
  imported = await importScenario(
    { kind: "session", session: d.driver, label: "the run's database" },
    { ...window, timezone: "Europe/Berlin" },
  );
  // The import has read everything: the sweep may reset the same database for its runs.
  const plan = planSweep({
    scenarioPath: "imported.yaml",
    text: imported.text,
    vary: [`${DESIRED}=1,5`],
    seedsPerPoint: 2,
    target: 0.9,
  });
  result = await runSweepInProcess(plan, { driver: d.driver });
}, 600_000);

afterAll(async () => {
  await d?.driver.close();
});

describe("import → sweep: from a deployment to a recommendation", () => {
  test("the import finds the preset, its pool and the rush by local hour in Europe/Berlin", () => {
    const s = scenarioOrThrow(parseScenario(imported.text, "imported.yaml"));
    const preset = s.templates[0]?.versions[0]?.presets[0];
    expect([preset?.name, preset?.desiredInstances, preset?.scheduling]).toEqual(["small", 2, null]);
    expect(imported.text).toMatch(/# Time zone of the demand: Europe\/Berlin — given \(--timezone\)\./);
    const fit = imported.fitted.presets.find((p) => p.name === "small");
    expect(fit?.diurnal?.significant).toBe(true);
    expect(s.workload.claims.map((c) => c.preset)).toEqual([{ template: "dev", preset: "small" }]);
    expect(imported.text).toMatch(/timezone: Europe\/Berlin\n\s+hours:\n\s+"8": [\d.]+\n\s+"9": [\d.]+/);
  });

  test("the sweep recommends desiredInstances 5 for the imported preset", () => {
    expect(result.focus.preset).toBe("dev/small");
    const best = result.recommendation.best;
    expect(best).not.toBeNull();
    expect(result.points[best as number]?.values).toEqual(["5"]);
    const text = sweepReport(result, "out");
    expect(text).toContain(`Recommended: ${DESIRED}=5 — hit rate`);
  });

  test("and prints a schedule to paste for dev/small in Europe/Berlin, simulated, in 120 columns", () => {
    const advice = result.schedule;
    if (advice?.kind !== "schedule") throw new Error(`expected a schedule, got ${JSON.stringify(advice)}`);
    expect(advice.preset).toEqual({ template: "dev", preset: "small" });
    expect(advice.timezone).toBe("Europe/Berlin");
    const hour = (h: number) => advice.hours.find((x) => x.hour === h)?.instances ?? -1;
    // The rush at 09:00 needs the large pool, and it is there from one lead time before.
    expect(hour(9)).toBe(5);
    expect(hour(8)).toBe(5);
    expect(advice.simulated?.runs.map((r) => r.seed)).toEqual(result.seeds);
    const text = sweepReport(result, "out");
    expect(text).toContain("Recommended schedule for dev/small: for each local hour (Europe/Berlin)");
    expect(text).toContain(advice.yaml.trimEnd());
    expect(advice.yaml).toMatch(
      /scheduling:\n {2}timezone: Europe\/Berlin\n {2}schedules:\n {4}- \{cron: "\* [78]-\d+ \* \* \*", instances: 5\}/,
    );
    expect(text).toMatch(/Simulated with the same seeds \(2\), the schedule's hit rate is \d+\.\d%/);
    expect(text.split("\n").filter((l) => l.length > TERMINAL_WIDTH)).toEqual([]);
  });
});
