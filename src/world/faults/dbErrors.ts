// `db-errors`: a named query (or every query) fails with `rate` inside a window. The db layer's
// fault rules do the failing (each rule checks its own window); windows are installed once the
// world is seeded. With `during: cycle` the window is a reconciliation cycle instead: the next
// one at or after `at` of `replica` (or of whichever replica holds the lock), from its
// `afterStatements`-th store operation on (drawn from the seed when absent) until it releases
// the lock; only that replica's queries fail.
import { z } from "zod";
import type { Duration, Instant } from "../../clock/types.ts";
import type { Database } from "../../db/database.ts";
import { QUERY_NAMES, type QueryName } from "../../db/queries/names.ts";
import type { Moment, ReplicaRef } from "../../scenario/scenario.ts";
import { armCycleStrike, neverHeldReason } from "./cycleStrike.ts";
import type { FaultKind } from "./faultKind.ts";
import {
  afterStatementsField,
  duringField,
  faultAt,
  faultDuration,
  faultRate,
  kindField,
  replicaOrHolder,
  replicaOrHolderField,
  roundRate,
  varyWindow,
  windowOf,
} from "./fields.ts";

interface DbErrorsCommon {
  readonly kind: "db-errors";
  /** Probability that a matching query fails inside the window. */
  readonly rate: number;
  /** Upstream query name (the store's fault hooks know exactly these); null: every query. */
  readonly query: QueryName | null;
}

export type DbErrors = DbErrorsCommon &
  Moment &
  (
    | { readonly during: null; readonly duration: Duration; readonly until: Instant }
    | {
        readonly during: "cycle";
        /** null: whichever replica holds the lock. */
        readonly replica: ReplicaRef | null;
        /** null: drawn from the seed. */
        readonly afterStatements: number | null;
      }
  );

const schema = z.strictObject({
  kind: kindField("db-errors", "Database queries fail with the given probability inside the window."),
  at: faultAt,
  duration: faultDuration.optional(),
  rate: faultRate("Probability that a matching query fails inside the window."),
  query: z
    .enum(QUERY_NAMES, { error: "expected a query name of the store, like GetRunningPrebuiltWorkspaces" })
    .meta({
      description: "Only this query (upstream's name); every query when absent.",
      examples: ["GetRunningPrebuiltWorkspaces"],
    })
    .optional(),
  during: duringField.optional(),
  replica: replicaOrHolderField.optional(),
  afterStatements: afterStatementsField.optional(),
});

export const dbErrors: FaultKind<"db-errors", DbErrors, typeof schema> = {
  kind: "db-errors",
  schema,
  normalise(f, path, n) {
    const common = { kind: f.kind, rate: f.rate, query: f.query ?? null };
    if (f.during === undefined) {
      if (f.replica !== undefined) n.report([...path, "replica"], "expected during: cycle beside replica");
      if (f.afterStatements !== undefined)
        n.report([...path, "afterStatements"], "expected during: cycle beside afterStatements");
      if (f.duration === undefined) {
        n.report(path, "expected a duration (or during: cycle)");
        return { ...common, ...n.moment(f.at, [...path, "at"]), during: null, duration: 0, until: 0 };
      }
      return { ...common, ...windowOf({ at: f.at, duration: f.duration }, path, n), during: null };
    }
    if (f.duration !== undefined) n.report([...path, "duration"], "expected no duration with during: cycle");
    return {
      ...common,
      ...n.moment(f.at, [...path, "at"]),
      during: "cycle",
      replica: f.replica === undefined ? null : replicaOrHolder(f.replica, [...path, "replica"], n),
      afterStatements: f.afterStatements ?? null,
    };
  },
  parameters: (f) =>
    f.during === null
      ? { rate: f.rate, query: f.query }
      : {
          rate: f.rate,
          query: f.query,
          during: f.during,
          replica: f.replica?.name ?? "holder",
          ...(f.afterStatements === null ? {} : { afterStatements: f.afterStatements }),
        },
  settleEnd: (f) => (f.during === null ? f.until : f.at),
  vary(data, draws) {
    varyWindow(data, draws);
    if (typeof data.rate === "number")
      data.rate = roundRate(Math.min(1, data.rate * draws.scale() * draws.scale()));
  },
  arbitrary: (a) =>
    a.fc
      .tuple(
        a.window,
        a.probability,
        a.fc.constantFrom("GetRunningPrebuiltWorkspaces" as const, "GetPresetsBackoff" as const),
      )
      .map(([w, rate, query]) => ({ kind: "db-errors" as const, ...w, rate, query })),
  effectWords: { queriesFailed: ["query failed", "queries failed"] },
  inject(f, world, schedule) {
    if (f.during === null) {
      schedule(f.at, 0, () => world.start(f.until));
      schedule(f.until, 1, () => {
        world.end();
        world.outcome(
          { queriesFailed: world.queriesFailed() },
          f.until,
          "no matching query failed inside the window",
        );
      });
      return;
    }
    schedule(f.at, 0, () => {
      armCycleStrike(world, {
        replica: f.replica,
        afterStatements: f.afterStatements,
        strike: (replica) => {
          world.start(null, { replica, armedAt: new Date(f.at).toISOString() });
          const remove = world.database.faults.add({
            query: f.query ?? "*",
            probability: f.rate,
            from: world.clock.now(),
            until: Number.MAX_SAFE_INTEGER,
            connection: replica,
            tag: world.index,
          });
          world.cycles.afterCycle(() => {
            remove();
            world.end();
            const reason = `no matching query of ${replica} failed in the cycle`;
            world.outcome({ queriesFailed: world.queriesFailed() }, world.clock.now(), reason);
          });
        },
      });
      world.onRunEnd(() =>
        world.outcome({ queriesFailed: world.queriesFailed() }, f.at, neverHeldReason(f.replica)),
      );
    });
  },
};

/** Installs a windowed database-error fault as a db-layer fault rule, tagged with its index. */
export function installDbErrors(database: Database, f: DbErrors, index: number): void {
  if (f.during !== null) return;
  database.faults.add({ query: f.query ?? "*", probability: f.rate, from: f.at, until: f.until, tag: index });
}
