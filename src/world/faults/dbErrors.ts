// `db-errors`: a named query (or every query) fails with `rate` inside a window. The db layer's
// fault rules do the failing (each rule checks its own window); this module installs them once
// the world is seeded and marks the window in the trace.
import { z } from "zod";
import type { Database } from "../../db/database.ts";
import { QUERY_NAMES, type QueryName } from "../../db/queries/names.ts";
import type { FaultWindow } from "../../scenario/scenario.ts";
import type { FaultKind } from "./faultKind.ts";
import { faultAt, faultDuration, faultRate, kindField, roundRate, varyWindow, windowOf } from "./fields.ts";

export type DbErrors = {
  readonly kind: "db-errors";
  /** Probability that a matching query fails inside the window. */
  readonly rate: number;
  /** Upstream query name (the store's fault hooks know exactly these); null: every query. */
  readonly query: QueryName | null;
} & FaultWindow;

const schema = z.strictObject({
  kind: kindField("db-errors", "Database queries fail with the given probability inside the window."),
  at: faultAt,
  duration: faultDuration,
  rate: faultRate("Probability that a matching query fails inside the window."),
  query: z
    .enum(QUERY_NAMES, { error: "expected a query name of the store, like GetRunningPrebuiltWorkspaces" })
    .meta({
      description: "Only this query (upstream's name); every query when absent.",
      examples: ["GetRunningPrebuiltWorkspaces"],
    })
    .optional(),
});

export const dbErrors: FaultKind<"db-errors", DbErrors, typeof schema> = {
  kind: "db-errors",
  schema,
  normalise: (f, path, n) => ({
    kind: f.kind,
    ...windowOf(f, path, n),
    rate: f.rate,
    query: f.query ?? null,
  }),
  parameters: (f) => ({ rate: f.rate, query: f.query }),
  settleEnd: (f) => f.until,
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
  inject(f, world, schedule) {
    schedule(f.at, 0, () => world.start(f.until));
    schedule(f.until, 1, () => world.end());
  },
};

/** Installs the database-error windows as db-layer fault rules (they check their windows themselves). */
export function installDbErrors(database: Database, f: DbErrors): void {
  database.faults.add({ query: f.query ?? "*", probability: f.rate, from: f.at, until: f.until });
}
