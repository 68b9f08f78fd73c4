// `tick-missed`: the unobserved-state perturbation (issue #13 part 3) of a reconciliation loop that
// misses a tick of its ticker (a stalled process, a host paused): the replica runs no cycle at that
// tick and waits for the next one, so the gap between two of its cycles doubles. The replica's
// ticker is consumed through `SkewedClock` (`world/missableTicks.ts`); the port is untouched.

import { z } from "zod";
import type { Moment, ReplicaRef } from "../../scenario/scenario.ts";
import type { TickerName } from "../perturbations.ts";
import type { FaultKind, FaultWorld, Schedule } from "./faultKind.ts";
import { kindField, replicaRefField, tickFaultArbitrary, varyWindow } from "./fields.ts";
import {
  perturbation,
  type Selection,
  selectionFields,
  selectionOf,
  selectionParameters,
  selectionWhen,
} from "./occurrences.ts";
import { cycleAtPoint } from "./perturbationPoint.ts";

export type TickMissed = {
  readonly kind: "tick-missed";
  readonly replica: ReplicaRef;
} & Moment &
  Selection;

const schema = z.strictObject({
  kind: kindField(
    "tick-missed",
    "A replica's reconciliation loop misses ticks of its ticker: no cycle runs at them.",
  ),
  replica: replicaRefField,
  ...selectionFields("ticks", "afterTicks", "ticks of the replica's reconciliation ticker"),
});

/** Misses the selected ticks of `ticker` of the fault's replica; counts them under `key`. */
export function injectMissedTicks(
  f: Moment & Selection & { readonly replica: ReplicaRef },
  ticker: TickerName,
  key: string,
  what: string,
  world: FaultWorld,
  schedule: Schedule,
): void {
  const noop = `no ${what} of ${f.replica.name} came ${selectionWhen(f)} (the replica was down, or the run ended)`;
  const p = perturbation(f, world, schedule, key, noop);
  p.rules.onTick((replica, name, due) => {
    if (replica !== f.replica.name || name !== ticker || !p.take(due)) return false;
    if (p.complete) p.settled();
    return true;
  });
}

export const tickMissed: FaultKind<"tick-missed", TickMissed, typeof schema> = {
  kind: "tick-missed",
  schema,
  normalise: (f, path, n) => ({
    kind: f.kind,
    replica: n.replicaRef(f.replica, [...path, "replica"]),
    ...selectionOf(f, f.afterTicks, path, n),
  }),
  parameters: (f) => ({ replica: f.replica.name, ...selectionParameters(f, "afterTicks") }),
  settleEnd: (f) => f.until ?? f.at,
  vary: varyWindow,
  arbitrary: (a) =>
    tickFaultArbitrary(a).map(({ after, ...s }) => ({
      kind: "tick-missed" as const,
      ...s,
      afterTicks: after,
    })),
  effectWords: { ticksMissed: ["reconciler tick missed", "reconciler ticks missed"] },
  inject(f, world, schedule) {
    injectMissedTicks(f, "reconcile", "ticksMissed", "reconciliation tick", world, schedule);
  },
  perturbAt(point, run) {
    const selection = cycleAtPoint(point, run);
    return selection === null ? null : { kind: "tick-missed", ...selection };
  },
};
