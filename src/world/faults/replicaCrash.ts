// `replica-crash`: a replica's process dies — its tasks are canceled, its connection lost — and,
// with `restartAfter`, comes back as a fresh process.
import { z } from "zod";
import type { Duration } from "../../clock/types.ts";
import { durationField } from "../../scenario/fields.ts";
import type { Moment, ReplicaRef } from "../../scenario/scenario.ts";
import type { FaultKind } from "./faultKind.ts";
import { faultAt, kindField, replicaRefField, varyAt, varyDuration } from "./fields.ts";

export type ReplicaCrash = {
  readonly kind: "replica-crash";
  readonly replica: ReplicaRef;
  /** null: the replica stays down. */
  readonly restartAfter: Duration | null;
} & Moment;

const schema = z.strictObject({
  kind: kindField("replica-crash", "A replica's process dies; it restarts after `restartAfter`, if given."),
  at: faultAt,
  replica: replicaRefField,
  restartAfter: durationField("positive")
    .meta({
      description: "When the replica comes back, after the crash; it stays down when absent.",
      examples: ["PT5M"],
    })
    .optional(),
});

export const replicaCrash: FaultKind<"replica-crash", ReplicaCrash, typeof schema> = {
  kind: "replica-crash",
  schema,
  normalise(f, path, n) {
    const moment = n.moment(f.at, [...path, "at"]);
    if (f.restartAfter !== undefined) n.windowEnd(f.at, f.restartAfter, [...path, "restartAfter"]);
    return {
      kind: f.kind,
      ...moment,
      replica: n.replicaRef(f.replica, [...path, "replica"]),
      restartAfter: f.restartAfter ?? null,
    };
  },
  parameters: (f) => ({ replica: f.replica.name, restartAfter: f.restartAfter }),
  // A replica that never restarts stops disturbing at the crash; one that does, at its restart.
  settleEnd: (f) => f.at + (f.restartAfter ?? 0),
  vary(data, draws) {
    varyAt(data, draws);
    varyDuration(data, "restartAfter", draws);
  },
  arbitrary: (a) =>
    a.fc.integer({ min: 0, max: a.runSeconds - 2 }).chain((atS) =>
      a.fc.record({
        kind: a.fc.constant("replica-crash" as const),
        at: a.fc.constant(`PT${atS}S`),
        replica: a.replica,
        restartAfter: a.fc.integer({ min: 1, max: a.runSeconds - atS }).map((s) => `PT${s}S`),
      }),
    ),
  inject(f, world, schedule) {
    const restartAt = f.restartAfter === null ? null : f.at + f.restartAfter;
    schedule(f.at, 0, () => {
      world.start(restartAt);
      const replica = world.replica(f.replica.name);
      if (!replica.up) {
        world.warn("replica already down; crash fault has no effect", { replica: replica.name });
        return;
      }
      replica.crash(new Error(`replica-crash fault at ${new Date(f.at).toISOString()}`));
    });
    if (restartAt === null) return;
    schedule(restartAt, 1, () => {
      const replica = world.replica(f.replica.name);
      if (replica.up) world.warn("replica already running; restart has no effect", { replica: replica.name });
      else replica.start();
      world.end();
    });
  },
};
