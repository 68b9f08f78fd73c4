// `replica-crash`: a replica's process dies — its tasks are canceled, its connection lost — and,
// with `restartAfter`, comes back as a fresh process. With `during: cycle` it dies partway
// through its next reconciliation cycle at or after `at`, after `afterStatements` of the cycle's
// store operations (drawn from the seed when absent); `replica: holder` (only with `during:
// cycle`) kills whichever replica holds the lock. `restartAfter` then counts from the crash.
import { z } from "zod";
import type { Duration, Instant } from "../../clock/types.ts";
import { durationField } from "../../scenario/fields.ts";
import { formatIsoDuration } from "../../scenario/isoTime.ts";
import type { Moment, ReplicaRef } from "../../scenario/scenario.ts";
import { armCycleStrike, neverHeldReason, strikeAtPoint } from "./cycleStrike.ts";
import type { FaultKind, FaultWorld } from "./faultKind.ts";
import {
  afterStatementsField,
  duringField,
  faultAt,
  kindField,
  replicaOrHolder,
  replicaOrHolderField,
  varyAt,
  varyDuration,
} from "./fields.ts";

export type ReplicaCrash = {
  readonly kind: "replica-crash";
  /** null: whichever replica holds the lock (only with `during: cycle`). */
  readonly replica: ReplicaRef | null;
  /** null: the replica stays down. */
  readonly restartAfter: Duration | null;
  /** `cycle`: partway through the replica's next cycle; null: at `at`. */
  readonly during: "cycle" | null;
  /** With `during: cycle`; null: drawn from the seed. */
  readonly afterStatements: number | null;
} & Moment;

const schema = z.strictObject({
  kind: kindField("replica-crash", "A replica's process dies; it restarts after `restartAfter`, if given."),
  at: faultAt,
  replica: replicaOrHolderField,
  restartAfter: durationField("positive")
    .meta({
      description: "When the replica comes back, after the crash; it stays down when absent.",
      examples: ["PT5M"],
    })
    .optional(),
  during: duringField.optional(),
  afterStatements: afterStatementsField.optional(),
});

/**
 * A perturbing crash's replica comes back this long after it died, as a supervisor would restart
 * it (when that is before the end of the run).
 */
export const PERTURBATION_RESTART_AFTER_MS = 60_000;

function iso(t: Instant): string {
  return new Date(t).toISOString();
}

/** Crashes `name` now; restarts it `restartAfter` later (through `schedule` or a task of its own). */
function crashNow(
  f: ReplicaCrash,
  world: FaultWorld,
  name: string,
  restart: (at: Instant, act: () => void) => void,
  startExtra: Record<string, unknown>,
): void {
  const now = world.clock.now();
  const restartAt = f.restartAfter === null ? null : now + f.restartAfter;
  world.start(restartAt, startExtra);
  const replica = world.replica(name);
  let crashed = 0;
  let locksReleased = 0;
  if (!replica.up) {
    world.warn("replica already down; crash fault has no effect", { replica: name });
  } else {
    crashed = 1;
    locksReleased = replica.crash(new Error(`replica-crash fault at ${iso(now)}`));
  }
  const reason = `${name} was already down`;
  if (restartAt === null) {
    world.outcome({ crashed, locksReleased }, now, reason);
    return;
  }
  world.onRunEnd(() => world.outcome({ crashed, locksReleased, restarted: 0 }, restartAt, reason));
  restart(restartAt, () => {
    let restarted = 0;
    if (replica.up) world.warn("replica already running; restart has no effect", { replica: name });
    else {
      replica.start();
      restarted = 1;
    }
    world.end();
    world.outcome({ crashed, locksReleased, restarted }, restartAt, reason);
  });
}

export const replicaCrash: FaultKind<"replica-crash", ReplicaCrash, typeof schema> = {
  kind: "replica-crash",
  schema,
  normalise(f, path, n) {
    const moment = n.moment(f.at, [...path, "at"]);
    if (f.restartAfter !== undefined && f.during === undefined)
      n.windowEnd(f.at, f.restartAfter, [...path, "restartAfter"]);
    if (f.during === undefined && f.replica === "holder")
      n.report([...path, "replica"], "expected a replica number or name (holder needs during: cycle)");
    if (f.during === undefined && f.afterStatements !== undefined)
      n.report([...path, "afterStatements"], "expected during: cycle beside afterStatements");
    return {
      kind: f.kind,
      ...moment,
      replica: replicaOrHolder(f.replica, [...path, "replica"], n),
      restartAfter: f.restartAfter ?? null,
      during: f.during ?? null,
      afterStatements: f.afterStatements ?? null,
    };
  },
  parameters: (f) => ({
    replica: f.replica?.name ?? "holder",
    restartAfter: f.restartAfter,
    ...(f.during === null ? {} : { during: f.during }),
    ...(f.afterStatements === null ? {} : { afterStatements: f.afterStatements }),
  }),
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
  effectWords: {
    crashed: ["process crashed", "processes crashed"],
    locksReleased: ["lock lease ended", "lock leases ended"],
    restarted: ["process restarted", "processes restarted"],
  },
  inject(f, world, schedule) {
    if (f.during === null) {
      // `replica: holder` needs `during: cycle` (the scenario checks), so a replica is named here.
      const name = f.replica?.name ?? "";
      let restart: (() => void) | undefined;
      schedule(f.at, 0, () =>
        crashNow(
          f,
          world,
          name,
          (_at, act) => {
            restart = act;
          },
          {},
        ),
      );
      if (f.restartAfter !== null) schedule(f.at + f.restartAfter, 1, () => restart?.());
      return;
    }
    schedule(f.at, 0, () => {
      let struck = false;
      armCycleStrike(world, {
        replica: f.replica,
        afterStatements: f.afterStatements,
        strike: (replica) => {
          struck = true;
          crashNow(f, world, replica, (at, act) => world.later(at, act), { replica, armedAt: iso(f.at) });
        },
      });
      world.onRunEnd(() => {
        if (!struck) world.outcome({}, f.at, neverHeldReason(f.replica));
      });
    });
  },
  perturbAt(point, run) {
    const strike = strikeAtPoint(point, run);
    if (strike === null || point.type !== "cycle-statement") return null;
    // A restart after the end would change nothing but the convergence window, pushed past the end.
    const restarts = Date.parse(point.acquiredAt) + PERTURBATION_RESTART_AFTER_MS < run.end;
    return {
      at: strike.at,
      kind: "replica-crash",
      replica: strike.replica,
      during: "cycle",
      afterStatements: strike.afterStatements,
      ...(restarts ? { restartAfter: formatIsoDuration(PERTURBATION_RESTART_AFTER_MS) } : {}),
    };
  },
};
