// The run's claims, planned before it starts: every claim stream of the scenario's workload gives
// its arrival instants from its own RNG stream (`workload/<index>`, or the number its `stream` field
// names, so a stream keeps its claims when an earlier one is removed), and the plan merges them in
// time order (streams in file order at equal instants). Planning up front keeps the workload
// independent of everything the simulation does, so two runs that differ only in the reconciler
// face exactly the same people. People's ordinary builds (`workload.builds`) are planned the same
// way from streams of their own (`workload/builds/<index>`), so they shift no claim.
import type { Instant } from "../clock/types.ts";
import type { Rng } from "../kernel/rng.ts";
import type { PresetRef, Scenario } from "../scenario/scenario.ts";
import { claimArrivals } from "./arrivals.ts";

export interface PlannedClaim {
  readonly at: Instant;
  /** Index of the claim stream in `workload.claims`. */
  readonly stream: number;
  readonly preset: PresetRef;
}

export function planClaims(scenario: Scenario, rng: Rng): PlannedClaim[] {
  const end = scenario.start + scenario.duration;
  const planned: PlannedClaim[] = [];
  scenario.workload.claims.forEach((claim, stream) => {
    for (const at of claimArrivals(
      claim.arrivals,
      rng.stream(`workload/${claim.randomStream ?? stream}`),
      scenario.start,
      end,
    )) {
      planned.push({ at, stream, preset: claim.preset });
    }
  });
  return planned.sort((a, b) => a.at - b.at || a.stream - b.stream);
}

export interface PlannedBuild {
  readonly at: Instant;
  /** Index of the build stream in `workload.builds`. */
  readonly stream: number;
  /** The template whose active version the person builds. */
  readonly template: string;
}

export function planBuilds(scenario: Scenario, rng: Rng): PlannedBuild[] {
  const end = scenario.start + scenario.duration;
  const planned: PlannedBuild[] = [];
  (scenario.workload.builds ?? []).forEach((build, stream) => {
    const s = rng.stream(`workload/builds/${build.randomStream ?? stream}`);
    for (const at of claimArrivals(build.arrivals, s, scenario.start, end))
      planned.push({ at, stream, template: build.template });
  });
  return planned.sort((a, b) => a.at - b.at || a.stream - b.stream);
}
