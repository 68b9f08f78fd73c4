// The simulated prebuild pool against queueing theory. One preset, Poisson claims, no failures, a
// fixed build time, one replica and provisioners to spare: the pool is a lost-sales inventory with
// base stock `desiredInstances` whose replenishment lead time is L ≈ half a reconcile interval (the
// wait for the next tick) + build time + agent ready time. Its miss probability is then Erlang B
// with `desired` servers and offered load a = λ·L, whatever the lead-time distribution.
//
// Tolerance, per point, with n the claims of the run and B the Erlang B value:
//   |simulated miss rate − B| ≤ |m − B| + 3·√(D·B(1−B)/n)
// - 3·√(B(1−B)/n) is three binomial standard errors over the run's claims, widened by the variance
//   inflation D of autocorrelated misses (a drained pool makes consecutive claims miss together, a
//   just-refilled one makes them hit together). D is measured, not guessed: it is the variance of
//   the miss rate over 400 replications of the idealised pool (`idealPool.ts`) with the same n,
//   divided by the binomial variance. It comes out between 0.3 (desired 1: hits alternate with
//   misses) and 1.5 (desired 4); the crude bound 1 + 2a = 5 would pass too but test far less.
// - m is the idealised pool's mean miss rate over those replications. |m − B| is the known bias of
//   the setting: re-orders wait for a periodic tick (not an independent delay, as Erlang assumes),
//   and the run starts with an empty pool. Together they stay below about 0.015 here.
// Parameters (erlang-pool.yaml: 120 claims/h, ticks every 30 s, 35 s builds, agents ready 10 s
// later) keep the wall time modest — about 360 claims per point, well under a minute in all — while
// L is twice the reconcile interval, so that m stays close to B. With n = 360 the band is ±0.05
// to ±0.08.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDriver } from "../../src/db/backend.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import { Rng } from "../../src/kernel/rng.ts";
import { planSweep, type SweepPlan } from "../../src/sweep/plan.ts";
import type { SweepResult } from "../../src/sweep/result.ts";
import { runSweepInProcess } from "../../src/sweep/runInProcess.ts";
import { erlangB, type IdealPool, idealPoolMisses } from "./idealPool.ts";

const SCENARIO_PATH = join(import.meta.dirname, "erlang-pool.yaml");
const DESIRED = [1, 2, 3, 4];
const REPLICATIONS = 400;

interface Scatter {
  mean: number;
  inflation: number;
}

/** The pool as the scenario sets it up: claim rate, reconcile interval, build and agent ready times. */
function idealPool(plan: SweepPlan, desired: number): IdealPool {
  const { scenario } = plan;
  const stream = scenario.workload.claims[0]?.arrivals;
  const { buildTime, agentReadyAfter } = scenario.provisioners;
  if (
    stream?.kind !== "poisson" ||
    stream.diurnal !== null ||
    !("fixed" in buildTime) ||
    !("fixed" in agentReadyAfter)
  )
    throw new Error(
      "erlang-pool.yaml: expected one steady Poisson claim stream and fixed build and agent ready times",
    );
  return {
    rate: stream.perHour / 3_600_000,
    reconcileEvery: scenario.settings.reconciliationInterval,
    readyAfter: buildTime.fixed + agentReadyAfter.fixed,
    desired,
  };
}

/** Offered load: claims per ms × lead time, the lead time being half a tick + build + agent ready. */
function offeredLoad(pool: IdealPool): number {
  return pool.rate * (pool.reconcileEvery / 2 + pool.readyAfter);
}

/** The idealised pool's miss rate over `claims` claims: mean and variance inflation over replications. */
function idealScatter(pool: IdealPool, claims: number): Scatter {
  const rng = new Rng(pool.desired);
  const rates = Array.from(
    { length: REPLICATIONS },
    (_, i) => idealPoolMisses(pool, claims, rng.stream(`replication-${i}`)) / claims,
  );
  const mean = rates.reduce((s, r) => s + r, 0) / rates.length;
  const variance = rates.reduce((s, r) => s + (r - mean) ** 2, 0) / (rates.length - 1);
  return { mean, inflation: variance / ((mean * (1 - mean)) / claims) };
}

describe("the prebuild pool is an Erlang loss system", () => {
  let driver: SqlDriver;
  let plan: SweepPlan;
  let result: SweepResult;
  beforeAll(async () => {
    driver = await openDriver();
    plan = planSweep({
      scenarioPath: SCENARIO_PATH,
      text: await readFile(SCENARIO_PATH, "utf8"),
      vary: [`templates.pool.versions.v1.presets.small.desiredInstances=${DESIRED.join(",")}`],
      seedsPerPoint: 1,
      target: 0.9,
    });
    result = await runSweepInProcess(plan, { driver });
  }, 600_000);
  afterAll(async () => {
    await driver?.close();
  });

  it("the offered load is 2 erlangs", () => {
    expect(offeredLoad(idealPool(plan, 1))).toBeCloseTo(2, 12);
  });

  it.each(DESIRED)("desired %i: the simulated miss rate is Erlang B within the run's scatter", (desired) => {
    const point = result.points.find((p) => p.numbers[0] === desired);
    const run = point?.runs[0];
    if (run === undefined) throw new Error(`no run for desired ${desired}`);
    // Claims keep draining the pool, so it never rests at desired; nothing else may break.
    expect(run.broken.filter((b) => b !== "converges")).toEqual([]);
    const n = run.claims;
    const simulated = 1 - run.hits / n;
    const pool = idealPool(plan, desired);
    const load = offeredLoad(pool);
    const b = erlangB(desired, load);
    const ideal = idealScatter(pool, n);
    const tolerance = Math.abs(ideal.mean - b) + 3 * Math.sqrt((ideal.inflation * b * (1 - b)) / n);
    expect(n).toBeGreaterThan(200);
    expect(Math.abs(simulated - b)).toBeLessThanOrEqual(tolerance);
    // The check has teeth: Erlang B of a pool one prebuild smaller lies outside the band.
    if (desired > 1) expect(erlangB(desired - 1, load) - b).toBeGreaterThan(tolerance);
  });
});
