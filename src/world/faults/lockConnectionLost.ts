// `lock-connection-lost`: a replica's database connection breaks; the reconciliation lock it
// held through it is released at once (spec §10.1.1) while its cycle may still be running. A
// replica that does not hold the lock at `at` is struck partway through its next cycle, after
// `afterStatements` of its store operations (drawn from the seed when absent); `replica: holder`
// strikes whichever replica holds the lock.
import { z } from "zod";
import type { Moment, ReplicaRef } from "../../scenario/scenario.ts";
import { armCycleStrike, neverHeldReason, strikeAtPoint } from "./cycleStrike.ts";
import type { FaultKind } from "./faultKind.ts";
import {
  afterStatementsField,
  faultAt,
  kindField,
  replicaOrHolder,
  replicaOrHolderField,
  varyAt,
} from "./fields.ts";

export type LockConnectionLost = {
  readonly kind: "lock-connection-lost";
  /** null: whichever replica holds the lock. */
  readonly replica: ReplicaRef | null;
  /** null: at once if the replica holds the lock at `at`, else after a drawn count. */
  readonly afterStatements: number | null;
} & Moment;

const schema = z.strictObject({
  kind: kindField(
    "lock-connection-lost",
    "A replica's database connection breaks while it holds the reconciliation lock; the lease ends at once.",
  ),
  at: faultAt,
  replica: replicaOrHolderField,
  afterStatements: afterStatementsField.optional(),
});

export const lockConnectionLost: FaultKind<"lock-connection-lost", LockConnectionLost, typeof schema> = {
  kind: "lock-connection-lost",
  schema,
  normalise: (f, path, n) => ({
    kind: f.kind,
    ...n.moment(f.at, [...path, "at"]),
    replica: replicaOrHolder(f.replica, [...path, "replica"], n),
    afterStatements: f.afterStatements ?? null,
  }),
  parameters: (f) => ({
    replica: f.replica?.name ?? "holder",
    ...(f.afterStatements === null ? {} : { afterStatements: f.afterStatements }),
  }),
  settleEnd: (f) => f.at,
  vary: varyAt,
  arbitrary: (a) =>
    a.fc.record(
      {
        kind: a.fc.constant("lock-connection-lost" as const),
        at: a.at,
        replica: a.fc.oneof(a.replica, a.fc.constant("holder")),
        afterStatements: a.fc.integer({ min: 0, max: 30 }),
      },
      { requiredKeys: ["kind", "at", "replica"] },
    ),
  effectWords: { locksReleased: ["lock lease ended", "lock leases ended"] },
  inject(f, world, schedule) {
    const strike = (replica: string, armed: boolean) => {
      world.start(null, armed ? { replica, armedAt: new Date(f.at).toISOString() } : {});
      const locksReleased = world.database.loseConnection(replica);
      const now = world.clock.now();
      world.outcome({ locksReleased }, now, `${replica} held no lock when its connection broke`);
    };
    schedule(f.at, 0, () => {
      const holder = world.cycles.holder;
      const target = f.replica?.name ?? holder;
      if (f.afterStatements === null && target !== null && target === holder) {
        strike(target, false);
        return;
      }
      armCycleStrike(world, {
        replica: f.replica,
        afterStatements: f.afterStatements,
        strike: (replica) => strike(replica, true),
      });
      world.onRunEnd(() => world.outcome({}, f.at, neverHeldReason(f.replica)));
    });
  },
  perturbAt(point, run) {
    const strike = strikeAtPoint(point, run);
    return strike === null ? null : { at: strike.at, kind: "lock-connection-lost", ...strike };
  },
};
