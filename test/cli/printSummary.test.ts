// run's short summary with warnings: counted on the verdict line, then one `! warning:` line each.
import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/check/summary.ts";
import { shortSummary } from "../../src/cli/printSummary.ts";
import { summary } from "../sweep/runFiles.ts";

const START = Date.parse("2026-03-02T06:00:00Z");

describe("shortSummary", () => {
  it("no warnings: the verdict line as before", () => {
    const out = shortSummary(summary(START, START + 3_600_000), undefined);
    expect(out.split("\n")[0]).toBe("sweep-measure seed 3: PASS — every invariant holds");
    expect(out).not.toContain("warning");
  });

  it("counts warnings on the verdict line and prints each with its subject and trace lines", () => {
    const warnings: RunSummary["warnings"] = [
      {
        at: "2026-03-02T06:01:00.000Z",
        subject: "dev/v1/small",
        message: "schedules are invalid or overlap with each other: x — ignored",
        occurrences: 12,
        traceLines: [4, 9],
      },
      {
        at: "2026-03-02T06:02:00.000Z",
        subject: "dev/v1/bare",
        message: "prebuilds of this preset fail validation",
        occurrences: 1,
        traceLines: [20],
      },
    ];
    const lines = shortSummary(summary(START, START + 3_600_000, { warnings }), undefined).split("\n");
    expect(lines[0]).toBe("sweep-measure seed 3: PASS — every invariant holds; 2 warnings");
    expect(lines.filter((l) => l.startsWith("  ! warning: "))).toEqual([
      "  ! warning: dev/v1/small from 2026-03-02T06:01:00.000Z: schedules are invalid or overlap with each other: x — ignored (trace lines 4, 9, 12 times)",
      "  ! warning: dev/v1/bare from 2026-03-02T06:02:00.000Z: prebuilds of this preset fail validation (trace line 20)",
    ]);
  });
});
