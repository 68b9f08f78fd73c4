// Vitest matchers for run summaries, for regression suites written against the library:
//
//   import { expect, test } from "vitest";
//   import { runScenario } from "prebuildsim";
//   import "prebuildsim/testing";
//
//   test("the pool survives a lost lock", async () => {
//     const summary = await runScenario("scenarios/multi-replica-lock-lost.yaml", { seed: 3 });
//     expect(summary).toHaveNoViolations();
//     expect(summary).toConverge();
//     expect(summary).toHoldInvariant("single-lock-holder");
//   });
//
// Failure messages list the violations with their trace lines, so the test output alone says
// where to look.

import { expect } from "vitest";
import type { RunSummary, Violation } from "./check/summary.ts";
import { INVARIANT_NAMES, type InvariantName } from "./scenario/scenario.ts";
import { presetKey } from "./trace/presetKey.ts";

interface SummaryMatchers<R = unknown> {
  /** Every active, healthy preset converged in the settle window (no `converges` violation, allowed or not). */
  toConverge(): R;
  /** The named invariant held: no violation of it, allowed or not. */
  toHoldInvariant(name: InvariantName): R;
  /** `ok`: no violation other than of the invariants the scenario allows. */
  toHaveNoViolations(): R;
}

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: the declaration must repeat vitest's own type parameter exactly
  interface Matchers<T = any> extends SummaryMatchers<T> {}
}

function isSummary(value: unknown): value is RunSummary {
  const s = value as Partial<RunSummary> | null;
  return s !== null && typeof s === "object" && Array.isArray(s.violations) && Array.isArray(s.allowed);
}

function describe(violations: readonly Violation[]): string {
  return violations
    .map(
      (v) =>
        `  ${v.invariant} at ${v.at} [${v.subject}]: ${v.message} (trace lines ${v.traceLines.join(", ") || "none"})`,
    )
    .join("\n");
}

function notASummary(received: unknown) {
  return { pass: false, message: () => `expected a RunSummary (from runScenario), got ${typeof received}` };
}

function unconverged(s: RunSummary): string[] {
  return s.presets
    .filter((p) => p.active && p.status === "healthy" && p.convergedAt === null)
    .map((p) => presetKey(p.template, p.version, p.preset));
}

expect.extend({
  toConverge(received: unknown) {
    if (!isSummary(received)) return notASummary(received);
    const broken = [...received.violations, ...received.allowed].filter((v) => v.invariant === "converges");
    const pass = broken.length === 0;
    return {
      pass,
      message: () =>
        pass
          ? `expected ${received.scenario} seed ${received.seed} not to converge, but every active preset did`
          : `expected ${received.scenario} seed ${received.seed} to converge; did not: ${unconverged(received).join(", ")}\n${describe(broken)}`,
    };
  },
  toHoldInvariant(received: unknown, name: InvariantName) {
    if (!isSummary(received)) return notASummary(received);
    if (!(INVARIANT_NAMES as readonly string[]).includes(name))
      return {
        pass: false,
        message: () => `${name} is not an invariant; known: ${INVARIANT_NAMES.join(", ")}`,
      };
    const broken = [...received.violations, ...received.allowed].filter((v) => v.invariant === name);
    const pass = broken.length === 0;
    return {
      pass,
      message: () =>
        pass
          ? `expected ${name} to break in ${received.scenario} seed ${received.seed}, but it held`
          : `expected ${name} to hold in ${received.scenario} seed ${received.seed}:\n${describe(broken)}`,
    };
  },
  toHaveNoViolations(received: unknown) {
    if (!isSummary(received)) return notASummary(received);
    const pass = received.violations.length === 0;
    return {
      pass,
      message: () =>
        pass
          ? `expected violations in ${received.scenario} seed ${received.seed}, found none`
          : `expected no violations in ${received.scenario} seed ${received.seed}, found ${received.violations.length}:\n${describe(received.violations)}`,
    };
  },
});
