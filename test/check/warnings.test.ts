// Warnings: what the reconciler logs as an error and works around, read from the trace — grouped
// per preset and message, named by the preset's key once the run has named it, first lines cited.
import { describe, expect, it } from "vitest";
import { RunModel } from "../../src/check/runModel.ts";
import { ReconcilerWarnings } from "../../src/check/warnings.ts";
import { Lines, scenario } from "./fixtures.ts";

const PRESET_ID = "11111111-1111-4111-8111-111111111111";

function warningsOf(lines: Lines) {
  const warnings = new ReconcilerWarnings();
  const model = new RunModel(scenario());
  for (const line of lines.lines) {
    warnings.observe(line);
    model.apply(line);
  }
  return warnings.finish(model);
}

function reconciled(lines: Lines, minutes: number): number {
  return lines.at(minutes, "replica-0", "reconcile.preset", {
    preset: "dev/v1/small",
    presetId: PRESET_ID,
    state: {},
    actions: [],
  });
}

describe("ReconcilerWarnings", () => {
  it("groups a repeated invalid-schedules error into one warning, named by the preset's key", () => {
    const lines = new Lines();
    const fields = { preset_id: PRESET_ID, cron_specs: ["a", "b"], error: "schedules overlap: a and b" };
    const first = lines.at(1, "replica-0", "log", {
      level: "error",
      msg: "schedules are invalid or overlap with each other",
      fields,
    });
    reconciled(lines, 1);
    const second = lines.at(2, "replica-1", "log", {
      level: "error",
      msg: "schedules are invalid or overlap with each other",
      fields,
    });
    expect(warningsOf(lines)).toEqual([
      {
        at: "2026-03-02T06:01:00.000Z",
        subject: "dev/v1/small",
        message:
          "schedules are invalid or overlap with each other: schedules overlap: a and b — the preset's schedules are ignored every cycle; desiredInstances applies instead",
        occurrences: 2,
        traceLines: [first, second],
      },
    ]);
  });

  it("a skipped cron names the spec, and different errors are different warnings", () => {
    const lines = new Lines();
    lines.at(1, "replica-0", "log", {
      level: "error",
      msg: "cron expression is invalid",
      fields: { preset_id: PRESET_ID, cron_expression: "CRON_TZ=UTC 30 9 * * 1", error: "e1" },
    });
    lines.at(1, "replica-0", "log", {
      level: "error",
      msg: "timezone is not set in prebuild scheduling configuration",
      fields: { preset_id: PRESET_ID, timezone: "" },
    });
    reconciled(lines, 1);
    expect(warningsOf(lines).map((w) => w.message)).toEqual([
      "cron expression is invalid: e1 (CRON_TZ=UTC 30 9 * * 1) — this schedule is skipped every cycle; the preset's other schedules still apply",
      "timezone is not set in prebuild scheduling configuration — the preset's schedules are ignored every cycle; desiredInstances applies instead",
    ]);
  });

  it("a preset marked validation_failed warns with the create error that caused it", () => {
    const lines = new Lines();
    const cause = lines.at(3, "replica-0", "log", {
      level: "error",
      msg: "failed to create prebuild",
      fields: { preset_id: PRESET_ID, error: 'parameter "cpu" is required' },
    });
    const status = lines.at(3, "replica-0", "preset.status", {
      preset: "dev/v1/small",
      presetId: PRESET_ID,
      status: "validation_failed",
    });
    expect(warningsOf(lines)).toEqual([
      {
        at: "2026-03-02T06:03:00.000Z",
        subject: "dev/v1/small",
        message:
          'prebuilds of this preset fail validation and are never created again (status validation_failed): parameter "cpu" is required',
        occurrences: 1,
        traceLines: [cause, status],
      },
    ]);
  });

  it("transient errors and warnings are not warnings of the run", () => {
    const lines = new Lines();
    lines.at(1, "replica-0", "log", {
      level: "error",
      msg: "failed to reconcile",
      fields: { error: "db down" },
    });
    lines.at(1, "replica-0", "log", {
      level: "warn",
      msg: "skipping hard limited preset for create operation",
      fields: { preset_id: PRESET_ID },
    });
    expect(warningsOf(lines)).toEqual([]);
  });

  it("cites at most ten lines and counts them all", () => {
    const lines = new Lines();
    for (let i = 0; i < 25; i++)
      lines.at(i, "replica-0", "log", {
        level: "error",
        msg: "invalid timezone in prebuild scheduling configuration",
        fields: { preset_id: PRESET_ID, timezone: "Mars/Base", error: "unknown time zone Mars/Base" },
      });
    const [w] = warningsOf(lines);
    expect(w?.occurrences).toBe(25);
    expect(w?.traceLines).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(w?.subject).toBe(PRESET_ID);
  });
});
