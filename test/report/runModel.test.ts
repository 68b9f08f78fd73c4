import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Violation } from "../../src/check/summary.ts";
import { readRunReportData } from "../../src/report/index.ts";
import {
  CYCLES_CHART_ID,
  LOCK_CHART_ID,
  type RunReportData,
  runReportData,
  slug,
} from "../../src/report/runModel.ts";
import { scenarioFacts } from "../../src/report/scenarioFacts.ts";
import { invariantsTable, presetsTable, replayCommand, runTable } from "../../src/report/summaryTables.ts";
import { TraceDigestBuilder } from "../../src/report/traceDigest.ts";
import { type SyntheticRun, writeSyntheticRun } from "./syntheticRun.ts";

describe("slug", () => {
  it.each([
    ["a preset key", "dev/v1/small", "dev-v1-small"],
    ["a hostile name", "<img src=x onerror=alert(1)>/v1/a", "img-src-x-onerror-alert-1-v1-a"],
    ["nothing usable", "///", "x"],
  ])("%s", (_, text, expected) => {
    expect(slug(text)).toBe(expected);
  });
});

describe("runReportData places each violation on the chart of its subject", () => {
  const T = "2026-03-02T06:00:00.000Z";
  const v = (subject: string, invariant = "create-clamped"): Violation => ({
    invariant,
    at: T,
    subject,
    message: "m",
    traceLines: [1],
  });
  const builder = new TraceDigestBuilder();
  builder.add({ seq: 1, t: T, actor: "replica-0", kind: "lock.acquire", lock: 1, connection: "c" }, 1);
  builder.add(
    {
      seq: 2,
      t: T,
      actor: "replica-0",
      kind: "build.create",
      workspace: "ws-1",
      preset: "dev/v1/small",
      build: "b",
      buildNumber: 1,
      transition: "start",
      initiator: "prebuilds",
      version: "v1",
      job: "j",
      purpose: "prebuild",
      orphan: false,
    },
    2,
  );
  const preset = {
    template: "dev",
    version: "v1",
    preset: "small",
    active: true,
    desired: 1,
    running: 1,
    eligible: 1,
    starting: 0,
    failedWorkspaces: 0,
    created: 1,
    failed: 0,
    claimed: 0,
    convergedAt: null,
    status: "healthy" as const,
    claims: { total: 0, hits: 0, misses: 0 },
  };
  const data: RunReportData = runReportData({
    runDir: "reports/x-1",
    summary: {
      scenario: "x",
      seed: 1,
      version: "prebuildsim 0.1.0",
      traceHash: "sha256:0",
      events: 2,
      start: T,
      end: "2026-03-02T07:00:00.000Z",
      simulatedSeconds: 3600,
      wallSeconds: 0.5,
      ok: false,
      violations: [
        v("dev/v1/small"),
        v("dev/small"),
        v("ws-1"),
        v("replica-0"),
        v("?", "single-lock-holder"),
        v("something-else"),
      ],
      allowed: [v("ws-1", "inactive-drained")],
      warnings: [],
      presets: [preset],
      claims: { total: 0, hits: 0, misses: 0, hitRate: 0, waitSeconds: { p50: 0, p95: 0, max: 0 } },
      reconciler: { cycles: 0, lockAcquired: 0, lockSkipped: 0, durationSeconds: { p50: 0, max: 0 } },
      provisioner: { jobs: 0, maxQueueDepth: 0, busyFraction: 0 },
      probes: {},
      faults: [],
    },
    series: { sampleEvery: 60_000, presets: [], queue: [], lock: [] },
    scenarioText: "name: x\n",
    facts: scenarioFacts("name: x\n", "scenario.yaml"),
    trace: { digest: builder.finish(), quoted: new Map([[1, "{}"]]) },
  });

  it.each([
    ["a preset key", 0, "preset-1-dev-v1-small", undefined],
    ["template/preset of an active preset", 1, "preset-1-dev-v1-small", undefined],
    ["a workspace, through its build's preset", 2, "preset-1-dev-v1-small", undefined],
    ["a replica, in its lane", 3, LOCK_CHART_ID, "replica-0"],
    ["a lock invariant with another subject", 4, LOCK_CHART_ID, undefined],
    ["anything else, on the reconciler's chart", 5, CYCLES_CHART_ID, undefined],
  ])("%s", (_, index, chartId, lane) => {
    expect(data.violations[index]).toMatchObject({
      chartId,
      anchor: `violation-${index + 1}`,
      allowed: false,
    });
    expect(data.violations[index]?.lane).toBe(lane);
  });

  it("numbers allowed breaks apart from violations", () => {
    expect(data.violations[6]).toMatchObject({
      anchor: "allowed-1",
      allowed: true,
      chartId: "preset-1-dev-v1-small",
    });
  });

  it("quotes the replay command so that a shell reads the directory back", () => {
    expect(replayCommand(data)).toBe("prebuildsim replay reports/x-1");
    expect(replayCommand({ ...data, runDir: "runs/it's here" })).toBe(
      `prebuildsim replay 'runs/it'\\''s here'`,
    );
  });
});

describe("summary tables of the synthetic run", () => {
  let work: string;
  let run: SyntheticRun;
  let data: RunReportData;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "prebuildsim-tables-"));
    run = await writeSyntheticRun(join(work, "run"));
    data = await readRunReportData(run.dir);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("judge every invariant: failed, allowed to break, or passed", () => {
    const rows = invariantsTable(data).rows.map((r) => [r[0]?.text, r[2]?.text, r[0]?.anchor ?? null]);
    expect(rows).toContainEqual(["single-lock-holder", "fail (1)", "violation-1"]);
    expect(rows).toContainEqual(["inactive-drained", "allowed (1 break)", "allowed-1"]);
    expect(rows).toContainEqual(["converges", "pass", null]);
    expect(rows).toHaveLength(22);
  });

  it("show each preset's end state and whether convergence applies to it", () => {
    const rows = presetsTable(data).rows.map((r) => [r[0]?.text, r[2]?.text, r[3]?.text, r[13]?.text]);
    expect(rows).toEqual([
      ["dev/v2/small", "yes", "healthy", expect.stringMatching(/^\+2h/)],
      ["dev/v2/large", "yes", "healthy", expect.stringMatching(/^\+2h/)],
      ["ml/v1/gpu", "yes", "hard_limited", "n/a (hard_limited)"],
      ["dev/v1/small", "no, draining", "healthy", "n/a (inactive)"],
    ]);
  });

  it("show the run's facts with the verdict and the wall-clock time from the file", () => {
    const rows = Object.fromEntries(runTable(data).rows.map((r) => [r[0]?.text, r[1]?.text]));
    expect(rows.verdict).toBe("FAIL (1 violation, 1 allowed)");
    expect(rows["virtual time"]).toBe("2026-03-02 06:00 UTC → 2026-03-02 09:00 UTC (3h)");
    expect(rows["wall-clock time"]).toBe("4.2 s (recorded in summary.json when the run was made)");
  });
});
