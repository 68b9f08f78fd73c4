// When the scenario stops disturbing the system: the liveness invariants (`converges`,
// `inactive-drained`) give the reconciler `expect.convergeWithin` from this instant on. Faults
// count by what they did, so the window is known once the trace has been read to its end.
import type { Instant } from "../clock/types.ts";
import type { Scenario } from "../scenario/scenario.ts";
import { faultModule } from "../world/faults/registry.ts";

/**
 * Per fault index, when the fault's disturbance ended as the run reported it (`fault.effect`), or
 * null when it had no effect (`fault.noop`).
 */
export type DisturbanceEnds = ReadonlyMap<number, Instant | null>;

/**
 * The end of the last operator event or fault (the start when there is none). Only faults that
 * had an effect count, at the instant their disturbance ended (issue #13 part 6): a lost lock
 * never held again restarts nothing. A fault the run did not report on counts as the scenario
 * times it (each kind's `settleEnd`).
 */
export function lastDisturbance(scenario: Scenario, ends: DisturbanceEnds = new Map()): Instant {
  let last = scenario.start;
  for (const e of scenario.events) last = Math.max(last, e.at);
  scenario.faults.forEach((f, index) => {
    const reported = ends.get(index);
    if (reported === null) return;
    last = Math.max(last, reported ?? faultModule(f.kind).settleEnd(f));
  });
  return last;
}

/** The convergence window `(lastDisturbance, lastDisturbance + expect.convergeWithin]`. */
export interface SettleWindow {
  from: Instant;
  deadline: Instant;
}

export function settleWindow(scenario: Scenario, ends?: DisturbanceEnds): SettleWindow {
  const from = lastDisturbance(scenario, ends);
  return { from, deadline: from + scenario.expect.convergeWithin };
}
