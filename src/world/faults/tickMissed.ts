// `tick-missed`: the unobserved-state perturbation (issue #13 part 3) of a reconciliation loop that
// misses a tick of its ticker (a stalled process, a host paused): the replica runs no cycle at that
// tick and waits for the next one, so the gap between two of its cycles doubles. The replica's
// ticker is consumed through `SkewedClock` (`world/missableTicks.ts`); the port is untouched.
import { z } from "zod";
import type { Instant } from "../../clock/types.ts";
import type { Moment, ReplicaRef } from "../../scenario/scenario.ts";
import type { TickerName } from "../perturbations.ts";
import type { FaultKind, FaultWorld, Schedule } from "./faultKind.ts";
import { faultAt, kindField, replicaRefField, varyWindow } from "./fields.ts";
import {
  afterField,
  countField,
  Occurrences,
  perturbationsOf,
  type Selection,
  scheduleSelection,
  selectionDuration,
  selectionOf,
  selectionParameters,
} from "./occurrences.ts";

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
  at: faultAt,
  replica: replicaRefField,
  count: countField("ticks").optional(),
  duration: selectionDuration.optional(),
  afterTicks: afterField("ticks of the replica's reconciliation ticker").optional(),
});

/** Misses the selected ticks of `ticker` of the fault's replica; counts them under `key`. */
export function injectMissedTicks(
  f: Moment & Selection & { readonly replica: ReplicaRef },
  ticker: TickerName,
  key: string,
  noop: string,
  world: FaultWorld,
  schedule: Schedule,
): void {
  const taken = new Occurrences(f);
  let last: Instant = f.at;
  const timeline = scheduleSelection(f, world, schedule, () => ({
    effect: { [key]: taken.taken },
    until: last,
    noop,
  }));
  perturbationsOf(world).onTick((replica, name, due) => {
    if (replica !== f.replica.name || name !== ticker || !taken.take(due)) return false;
    timeline.begin();
    last = due;
    if (taken.complete) timeline.settled();
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
    a.fc.record(
      {
        kind: a.fc.constant("tick-missed" as const),
        at: a.at,
        replica: a.replica,
        count: a.fc.integer({ min: 1, max: 3 }),
        afterTicks: a.fc.integer({ min: 0, max: 5 }),
      },
      { requiredKeys: ["kind", "at", "replica"] },
    ),
  effectWords: { ticksMissed: ["reconciler tick missed", "reconciler ticks missed"] },
  inject(f, world, schedule) {
    const noop = `no reconciliation tick of ${f.replica.name} came ${f.until === null ? "from at on" : "inside the window"} (the replica was down, or the run ended)`;
    injectMissedTicks(f, "reconcile", "ticksMissed", noop, world, schedule);
  },
};
