// World tests run whole simulations on PGlite: one driver per test file (PGlite costs seconds and
// hundreds of MB to start), reset by every `simulate`. Helpers read the trace back as typed lines.
import { afterAll, beforeAll } from "vitest";
import { openDriver } from "../../src/db/backend.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import type { SchedulingPolicy } from "../../src/kernel/index.ts";
import type { Scenario } from "../../src/scenario/scenario.ts";
import type { TraceKind, TraceKinds } from "../../src/trace/events.ts";
import type { TraceLine } from "../../src/trace/trace.ts";
import { type SimulationResult, simulate } from "../../src/world/simulate.ts";

let driver: SqlDriver | undefined;

/** Opens this file's driver before its tests and closes it after. */
export function useWorldDatabase(): void {
  beforeAll(async () => {
    driver = await openDriver();
  });
  afterAll(async () => {
    await driver?.close();
    driver = undefined;
  });
}

/** This file's driver (after `useWorldDatabase()` opened it). */
export function driverOf(): SqlDriver {
  if (driver === undefined) throw new Error("world test: call useWorldDatabase() in the test file");
  return driver;
}

export function run(
  scenario: Scenario,
  seed = 1,
  policy: SchedulingPolicy = "random",
): Promise<SimulationResult> {
  if (driver === undefined) throw new Error("world test: call useWorldDatabase() in the test file");
  return simulate(scenario, { seed, database: driver, policy });
}

/** A trace line of one kind, with its fields typed. */
export type Line<K extends TraceKind> = TraceLine & { kind: K } & TraceKinds[K];

export function lines<K extends TraceKind>(result: SimulationResult, kind: K): Line<K>[] {
  return result.trace
    .lines()
    .map((text) => JSON.parse(text) as TraceLine)
    .filter((l): l is Line<K> => l.kind === kind);
}

/** The virtual instant of a trace line. */
export function at(line: TraceLine): number {
  return Date.parse(line.t);
}

/** The samples of one preset series (`template/version/preset`). */
export function samples(result: SimulationResult, key: string) {
  const series = result.timeseries.presets.find((p) => p.key === key);
  if (series === undefined) throw new Error(`no series ${key}`);
  return series.samples;
}

/** The last sample of a preset series. */
export function lastSample(result: SimulationResult, key: string) {
  const s = samples(result, key);
  const last = s[s.length - 1];
  if (last === undefined) throw new Error(`series ${key} has no samples`);
  return last;
}

/** Prebuild creations (build #1, start, by the prebuilds user) of a preset id. */
export function prebuildCreations(result: SimulationResult, presetId: string): Line<"build.create">[] {
  return lines(result, "build.create").filter(
    (l) =>
      l.initiator === "prebuilds" && l.buildNumber === 1 && l.transition === "start" && l.preset === presetId,
  );
}
