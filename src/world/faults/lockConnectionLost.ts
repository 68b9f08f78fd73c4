// `lock-connection-lost`: a replica's database connection breaks; the reconciliation lock it
// held through it is released at once (spec §10.1.1) while its cycle may still be running.
import { z } from "zod";
import type { Moment, ReplicaRef } from "../../scenario/scenario.ts";
import type { FaultKind } from "./faultKind.ts";
import { faultAt, kindField, replicaRefField, varyAt } from "./fields.ts";

export type LockConnectionLost = {
  readonly kind: "lock-connection-lost";
  readonly replica: ReplicaRef;
} & Moment;

const schema = z.strictObject({
  kind: kindField("lock-connection-lost", "A replica's database connection breaks and its lock lease ends."),
  at: faultAt,
  replica: replicaRefField,
});

export const lockConnectionLost: FaultKind<"lock-connection-lost", LockConnectionLost, typeof schema> = {
  kind: "lock-connection-lost",
  schema,
  normalise: (f, path, n) => ({
    kind: f.kind,
    ...n.moment(f.at, [...path, "at"]),
    replica: n.replicaRef(f.replica, [...path, "replica"]),
  }),
  parameters: (f) => ({ replica: f.replica.name }),
  settleEnd: (f) => f.at,
  vary: varyAt,
  arbitrary: (a) =>
    a.fc.record({ kind: a.fc.constant("lock-connection-lost" as const), at: a.at, replica: a.replica }),
  inject(f, world, schedule) {
    schedule(f.at, 0, () => {
      world.start(null);
      world.database.loseConnection(f.replica.name);
    });
  },
};
