// A reconciler that releases its lock before its preset tasks finish (a deliberately broken variant
// of the port, injected through `simulate({reconciler})`): the run completes — no watchdog, no
// crash — and the checks report the writes made outside the lease.
import { expect, it } from "vitest";
import { readEndState } from "../../src/check/endState.ts";
import { RunChecker } from "../../src/check/runChecker.ts";
import { MINUTE } from "../../src/clock/types.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../../src/db/constants.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import { Trace } from "../../src/trace/trace.ts";
import type { ReconcilerFactory } from "../../src/world/replica.ts";
import { simulate } from "../../src/world/simulate.ts";
import { DroppedWaitReconciler, EarlyReleaseReconciler } from "./brokenReconcilers.ts";
import { driverOf, useWorldDatabase } from "./harness.ts";
import { devTemplate, preset, scenario } from "./scenarioFixture.ts";

useWorldDatabase();

async function checkedRun(driver: SqlDriver, reconciler?: ReconcilerFactory) {
  const s = scenario(
    {
      templates: [devTemplate(preset("small", 3))],
      replicas: [
        { name: "replica-0", clockSkew: 0 },
        { name: "replica-1", clockSkew: 0 },
      ],
    },
    20 * MINUTE,
  );
  const checker = new RunChecker(s);
  const result = await simulate(s, {
    seed: 3,
    database: driver,
    trace: (now) => {
      const trace = new Trace(now);
      trace.listen((line) => checker.observe(line));
      return trace;
    },
    ...(reconciler === undefined ? {} : { reconciler }),
  });
  const end = await readEndState(driver, PREBUILDS_SYSTEM_USER_ID, result.end, result.timeseries);
  return { result, outcome: checker.finish(end) };
}

/** The run completed (no task failure, no crash) and flagged a write made after its lease ended, with evidence. */
function expectWritesOutsideLease({ result, outcome }: Awaited<ReturnType<typeof checkedRun>>) {
  expect(result.failures).toEqual([]);
  const names = new Set(outcome.violations.map((v) => v.invariant));
  expect(names).toContain("writes-inside-lease");
  expect(names).not.toContain("no-crash");
  const v = outcome.violations.find((x) => x.invariant === "writes-inside-lease");
  expect(v?.message).toMatch(/^replica-\d wrote \(workspace\.create\) after its lease ended at line \d+/);
  expect(v?.traceLines.length ?? 0).toBeGreaterThanOrEqual(2);
}

it("a reconciler releasing its lock before its preset tasks finish yields writes-inside-lease, and the run completes", async () => {
  expectWritesOutsideLease(await checkedRun(driverOf(), (o) => new EarlyReleaseReconciler(o)));
}, 120_000);

// The detection benchmark's lock-released-early mutant (`void group.wait()`): a dropped kernel wait used
// to leave its task running without the baton, and the watchdog ended the run with exit 3.
it("preset work whose wait is dropped (the lock-released-early mutant's shape) yields writes-inside-lease, not a crash", async () => {
  expectWritesOutsideLease(await checkedRun(driverOf(), (o) => new DroppedWaitReconciler(o)));
}, 120_000);

it("the port itself keeps every write inside its lease on the same scenario", async () => {
  const { outcome } = await checkedRun(driverOf());
  expect(outcome.violations).toEqual([]);
}, 120_000);
