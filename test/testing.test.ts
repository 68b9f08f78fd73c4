// The vitest matchers over summaries: what passes, what fails, and what the failure says.
import { describe, expect, it } from "vitest";
import type { RunSummary, Violation } from "../src/check/summary.ts";
import "../src/testing.ts";

function summary(violations: Violation[], allowed: Violation[] = []): RunSummary {
  return {
    scenario: "fixture",
    seed: 9,
    ok: violations.length === 0,
    violations,
    allowed,
    presets: [
      {
        template: "dev",
        version: "v1",
        preset: "small",
        active: true,
        convergedAt: [...violations, ...allowed].some((v) => v.invariant === "converges")
          ? null
          : "2026-03-02T08:05:00.000Z",
        status: "healthy",
      },
    ],
  } as RunSummary;
}

const converges: Violation = {
  invariant: "converges",
  at: "2026-03-02T08:30:00.000Z",
  subject: "dev/v1/small",
  message: "dev/v1/small did not reach running == eligible == desired",
  traceLines: [120],
};
const lock: Violation = {
  ...converges,
  invariant: "single-lock-holder",
  subject: "replica-1",
  message: "two holders",
  traceLines: [7, 9],
};

describe("summary matchers", () => {
  it("toHaveNoViolations passes for an ok summary and lists the violations otherwise", () => {
    expect(summary([], [converges])).toHaveNoViolations();
    expect(() => expect(summary([lock])).toHaveNoViolations()).toThrow(
      "expected no violations in fixture seed 9, found 1:\n  single-lock-holder at 2026-03-02T08:30:00.000Z [replica-1]: two holders (trace lines 7, 9)",
    );
  });

  it("toConverge fails on a converges violation, allowed or not, naming the presets", () => {
    expect(summary([])).toConverge();
    expect(() => expect(summary([], [converges])).toConverge()).toThrow(
      /expected fixture seed 9 to converge; did not: dev\/v1\/small\n {2}converges at/,
    );
  });

  it("toHoldInvariant checks one invariant and refuses unknown names", () => {
    expect(summary([lock])).toHoldInvariant("converges");
    expect(() => expect(summary([lock])).toHoldInvariant("single-lock-holder")).toThrow(
      /expected single-lock-holder to hold/,
    );
    expect(summary([lock])).not.toHoldInvariant("single-lock-holder");
    expect(() => expect(summary([])).toHoldInvariant("no-such" as "converges")).toThrow(
      /no-such is not an invariant/,
    );
  });

  it("says what it got when given something else than a summary", () => {
    expect(() => expect(42).toHaveNoViolations()).toThrow(
      "expected a RunSummary (from runScenario), got number",
    );
  });
});
