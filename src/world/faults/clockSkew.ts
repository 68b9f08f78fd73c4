// `clock-skew`: from `at` on, a replica's clock reads `offset` ahead (negative: behind) of the
// shared virtual time.
import { z } from "zod";
import type { Duration } from "../../clock/types.ts";
import { durationField } from "../../scenario/fields.ts";
import { formatIsoDuration } from "../../scenario/isoTime.ts";
import type { Moment, ReplicaRef } from "../../scenario/scenario.ts";
import type { FaultKind } from "./faultKind.ts";
import { faultAt, kindField, replicaRefField, varyAt, varySignedDuration } from "./fields.ts";

export type ClockSkew = {
  readonly kind: "clock-skew";
  readonly replica: ReplicaRef;
  /** The replica's clock reads this much ahead (negative: behind) from `at` on. */
  readonly offset: Duration;
} & Moment;

const schema = z.strictObject({
  kind: kindField("clock-skew", "A replica's clock reads ahead of (or behind) the shared time from now on."),
  at: faultAt,
  replica: replicaRefField,
  offset: durationField("signed").meta({
    description: "How far ahead the replica's clock reads; negative reads behind.",
    examples: ["PT30S", "-PT2M"],
  }),
});

export const clockSkew: FaultKind<"clock-skew", ClockSkew, typeof schema> = {
  kind: "clock-skew",
  schema,
  normalise: (f, path, n) => ({
    kind: f.kind,
    ...n.moment(f.at, [...path, "at"]),
    replica: n.replicaRef(f.replica, [...path, "replica"]),
    offset: f.offset,
  }),
  parameters: (f) => ({ replica: f.replica.name, offset: f.offset }),
  settleEnd: (f) => f.at,
  vary(data, draws) {
    varyAt(data, draws);
    varySignedDuration(data, "offset", draws);
  },
  arbitrary: (a) =>
    a.fc.record({
      kind: a.fc.constant("clock-skew" as const),
      at: a.at,
      replica: a.replica,
      offset: a.fc.integer({ min: -60, max: 60 }).map((s) => formatIsoDuration(s * 1000)),
    }),
  effectWords: { offsetChangedMs: ["ms of clock change", "ms of clock change"] },
  inject(f, world, schedule) {
    schedule(f.at, 0, () => {
      world.start(null);
      const clock = world.replica(f.replica.name).clock;
      const before = clock.offset;
      clock.setOffset(f.offset);
      const reason = `${f.replica.name}'s clock already read ${f.offset} ms off`;
      world.outcome({ offsetChangedMs: Math.abs(f.offset - before) }, f.at, reason);
    });
  },
};
