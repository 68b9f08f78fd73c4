// One small sweep end to end, in process on PGlite: a diurnal workload, two swept counts, two
// seeds, one virtual hour. The schedule advice is run with the sweep's own seeds, and its hit
// rate per local hour is reported beside the constant recommendation's in every output.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepReport } from "../../src/cli/commands/sweep.ts";
import { openDriver } from "../../src/db/backend.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import { parseScenario } from "../../src/scenario/load.ts";
import { planSweep } from "../../src/sweep/plan.ts";
import type { SweepResult } from "../../src/sweep/result.ts";
import { runSweepInProcess } from "../../src/sweep/runInProcess.ts";
import { scheduleCsv } from "../../src/sweep/scheduleTable.ts";
import { renderSweepMarkdown } from "../../src/sweep/sweepDocuments.ts";
import { TERMINAL_WIDTH } from "../../src/sweep/sweepTable.ts";

// 08:40–09:40 Berlin: the end of a quiet hour, then a rush.
const MORNING = `name: advice-e2e
seed: 3
start: 2026-03-02T07:40:00Z
duration: PT1H
provisioners:
  daemons: 4
  buildTime: {fixed: PT1M}
  agentReadyAfter: {fixed: PT10S}
users: {count: 20}
templates:
  - name: dev
    versions:
      - name: v1
        presets:
          - {name: small, desiredInstances: 1}
workload:
  claims:
    - preset: dev/small
      rate: 20/h
      timezone: Europe/Berlin
      hours: {"9": 3.0, "*": 0.2}
`;
const DESIRED = "templates.dev.versions.v1.presets.small.desiredInstances";

describe("the schedule advice, simulated", () => {
  let driver: SqlDriver;
  let result: SweepResult;
  beforeAll(async () => {
    driver = await openDriver();
    const plan = planSweep({
      scenarioPath: "morning.yaml",
      text: MORNING,
      vary: [`${DESIRED}=1,4`],
      seedsPerPoint: 2,
      target: 0.6,
    });
    result = await runSweepInProcess(plan, { driver });
  }, 600_000);
  afterAll(async () => {
    await driver?.close();
  });

  it("runs the advice pasted into the scenario with the sweep's seeds", () => {
    const advice = result.schedule;
    if (advice?.kind !== "schedule") throw new Error(`expected a schedule, got ${JSON.stringify(advice)}`);
    const sim = advice.simulated;
    if (sim === null) throw new Error("the advice was not simulated");
    expect(sim.runs.map((r) => r.seed)).toEqual(result.seeds);
    const loaded = parseScenario(sim.scenarioText, "advice.yaml");
    if (!loaded.ok) throw new Error("the advice's scenario does not load");
    const preset = loaded.scenario.templates[0]?.versions[0]?.presets[0];
    expect(preset?.desiredInstances).toBe(advice.desiredInstances);
    expect(preset?.scheduling?.schedules ?? []).toEqual(advice.schedules);
    // The same people claim at the same instants as in the grid.
    expect(sim.runs.map((r) => r.claims)).toEqual(result.points[0]?.runs.map((r) => r.claims));
    // Hour 9 local has the rush: the schedule's hit rate there is measured.
    expect(sim.stats.hourlyHitRate[9]?.claims).toBeGreaterThan(0);
  });

  it("reports the advice's hit rate per hour beside the constant one's, in 120 columns", () => {
    const text = sweepReport(result, "out");
    expect(text.split("\n").filter((l) => l.length > TERMINAL_WIDTH)).toEqual([]);
    expect(text).toMatch(/Simulated with the same seeds \(2\), the schedule's hit rate is \d+\.\d%/);
    const hours = text.split("\n").find((l) => l.startsWith("local hour"));
    expect(hours).toMatch(
      /local hour +prebuilds +own need +raised for +basis +schedule: hit rate +lower bound +constant/,
    );
    const nine = text.split("\n").find((l) => /^ +9 /.test(l));
    expect(nine).toMatch(/\d+\.\d% of \d+ .* \d+\.\d% of \d+$/);
    expect(text).toContain("± intervals: not enough seeds (2 per point");
    const md = renderSweepMarkdown(result, []);
    expect(md).toContain("| local hour | prebuilds | own need |");
    const csv = scheduleCsv(
      result,
      result.schedule as Extract<SweepResult["schedule"], { kind: "schedule" }>,
    );
    const [head, ...rows] = csv.trimEnd().split("\n");
    expect(rows).toHaveLength(24);
    const columns = head?.split(",") ?? [];
    const row9 = rows[9]?.split(",") ?? [];
    expect(Number(row9[columns.indexOf("schedule_claims")])).toBeGreaterThan(0);
    expect(row9[columns.indexOf("schedule_hit_rate")]).toMatch(/^[01](\.\d+)?$/);
    expect(row9[columns.indexOf("constant_hit_rate")]).toMatch(/^[01](\.\d+)?$/);
  });
});
