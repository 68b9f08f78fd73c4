// `stale-snapshot`: the stale-state perturbation (issue #13 part 3). A replica's reconciliation
// cycle reads its snapshot (spec §4.6) and then, before acting on it, waits `staleBy` — still in
// its lock session, holding the lock, so other replicas stay out as upstream's lock keeps them —
// while claims, builds, expiries and the operator move on. Its actions are then computed from a
// snapshot `staleBy` old: it may create for a deficit that claims already changed, or delete a
// prebuild that was just claimed (the claim race the port guards). The wait is the replica's
// store's (`world/staleSnapshotStore.ts`); the port is untouched.
//
// Why a duration rather than "k writes": the snapshot is one transaction at one instant, and what
// makes it stale is what happens in the world meanwhile; a duration says that in the scenario's
// own terms (the same words as `reconciliationInterval`), and `explore` can place it at a recorded
// cycle with `at` and `afterCycles`.

import { z } from "zod";
import type { Duration } from "../../clock/types.ts";
import { durationField } from "../../scenario/fields.ts";
import type { Moment, ReplicaRef } from "../../scenario/scenario.ts";
import type { FaultKind } from "./faultKind.ts";
import { kindField, replicaOrHolder, replicaOrHolderField, varyDuration, varyWindow } from "./fields.ts";
import {
  perturbation,
  type Selection,
  selectionFields,
  selectionOf,
  selectionParameters,
  selectionWhen,
} from "./occurrences.ts";
import { cycleAtPoint } from "./perturbationPoint.ts";

export type StaleSnapshot = {
  readonly kind: "stale-snapshot";
  /** null: whichever replica holds the lock (takes a cycle's snapshot). */
  readonly replica: ReplicaRef | null;
  readonly staleBy: Duration;
} & Moment &
  Selection;

const schema = z.strictObject({
  kind: kindField(
    "stale-snapshot",
    "A replica's reconciliation cycle acts on its snapshot only `staleBy` after reading it, holding the lock meanwhile.",
  ),
  replica: replicaOrHolderField,
  staleBy: durationField("positive").meta({
    description:
      "How old the snapshot is when the cycle acts on it: the cycle waits this long after reading it.",
    examples: ["PT30S", "PT2M"],
  }),
  ...selectionFields("cycles", "afterCycles", "reconciliation cycles of the replica (or of any holder)"),
});

export const staleSnapshot: FaultKind<"stale-snapshot", StaleSnapshot, typeof schema> = {
  kind: "stale-snapshot",
  schema,
  normalise: (f, path, n) => ({
    kind: f.kind,
    replica: replicaOrHolder(f.replica, [...path, "replica"], n),
    staleBy: f.staleBy,
    ...selectionOf(f, f.afterCycles, path, n),
  }),
  parameters: (f) => ({
    replica: f.replica?.name ?? "holder",
    staleBy: f.staleBy,
    ...selectionParameters(f, "afterCycles"),
  }),
  settleEnd: (f) => (f.until ?? f.at) + f.staleBy,
  vary(data, draws) {
    varyWindow(data, draws);
    varyDuration(data, "staleBy", draws);
  },
  arbitrary: (a) =>
    a.fc.record(
      {
        kind: a.fc.constant("stale-snapshot" as const),
        at: a.at,
        replica: a.fc.oneof(a.replica, a.fc.constant("holder")),
        staleBy: a.fc.constantFrom("PT10S", "PT30S", "PT2M"),
        count: a.fc.integer({ min: 1, max: 3 }),
        afterCycles: a.fc.integer({ min: 0, max: 5 }),
      },
      { requiredKeys: ["kind", "at", "replica", "staleBy"] },
    ),
  effectWords: { staleSnapshots: ["cycle acted on a stale snapshot", "cycles acted on stale snapshots"] },
  inject(f, world, schedule) {
    const noop =
      f.replica === null
        ? `no replica took a reconciliation snapshot ${selectionWhen(f)}`
        : `${f.replica.name} took no reconciliation snapshot ${selectionWhen(f)}`;
    const p = perturbation(f, world, schedule, "staleSnapshots", noop);
    p.rules.onSnapshot((replica) => {
      const now = world.clock.now();
      if ((f.replica !== null && replica !== f.replica.name) || !p.take(now, now + f.staleBy)) return 0;
      world.warn("cycle acts on a stale snapshot", { replica, stale_by_ms: f.staleBy, index: world.index });
      if (p.complete) world.later(now + f.staleBy, p.settled);
      return f.staleBy;
    });
  },
  perturbAt(point, run) {
    const selection = cycleAtPoint(point, run);
    // Half a default reconciliation interval: claims and builds move on meanwhile.
    return selection === null ? null : { kind: "stale-snapshot", staleBy: "PT30S", ...selection };
  },
};
