// When the scenario stops disturbing the system: the liveness invariants (`converges`,
// `inactive-drained`) give the reconciler `expect.convergeWithin` from this instant on.
import type { Instant } from "../clock/types.ts";
import type { Scenario } from "../scenario/scenario.ts";
import { faultModule } from "../world/faults/registry.ts";

/** The end of the last operator event or fault window (the start when there is none). */
export function lastDisturbance(scenario: Scenario): Instant {
  let last = scenario.start;
  for (const e of scenario.events) last = Math.max(last, e.at);
  for (const f of scenario.faults) last = Math.max(last, faultModule(f.kind).settleEnd(f));
  return last;
}

/** The convergence window `(lastDisturbance, lastDisturbance + expect.convergeWithin]`. */
export interface SettleWindow {
  from: Instant;
  deadline: Instant;
}

export function settleWindow(scenario: Scenario): SettleWindow {
  const from = lastDisturbance(scenario);
  return { from, deadline: from + scenario.expect.convergeWithin };
}
