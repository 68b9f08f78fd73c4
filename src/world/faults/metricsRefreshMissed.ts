// `metrics-refresh-missed`: the unobserved-state perturbation (issue #13 part 3) of a replica's
// metrics refresher skipping its periodic refresh: the replica's prebuild metrics (upstream's
// cached `coderd_prebuilt_workspaces_*` state) keep their age one more period for each one missed.
// Only the refresher's ticks are missed; a forced refresh still runs.
import { z } from "zod";
import type { Moment, ReplicaRef } from "../../scenario/scenario.ts";
import type { FaultKind } from "./faultKind.ts";
import { kindField, replicaRefField, tickFaultArbitrary, varyWindow } from "./fields.ts";
import { type Selection, selectionFields, selectionOf, selectionParameters } from "./occurrences.ts";
import { injectMissedTicks } from "./tickMissed.ts";

export type MetricsRefreshMissed = {
  readonly kind: "metrics-refresh-missed";
  readonly replica: ReplicaRef;
} & Moment &
  Selection;

const schema = z.strictObject({
  kind: kindField(
    "metrics-refresh-missed",
    "A replica's metrics refresher skips refreshes: its prebuild metrics stay as old as the last one it made.",
  ),
  replica: replicaRefField,
  ...selectionFields("refreshes", "afterRefreshes", "periodic metrics refreshes of the replica"),
});

export const metricsRefreshMissed: FaultKind<"metrics-refresh-missed", MetricsRefreshMissed, typeof schema> =
  {
    kind: "metrics-refresh-missed",
    schema,
    normalise: (f, path, n) => ({
      kind: f.kind,
      replica: n.replicaRef(f.replica, [...path, "replica"]),
      ...selectionOf(f, f.afterRefreshes, path, n),
    }),
    parameters: (f) => ({ replica: f.replica.name, ...selectionParameters(f, "afterRefreshes") }),
    settleEnd: (f) => f.until ?? f.at,
    vary: varyWindow,
    arbitrary: (a) =>
      tickFaultArbitrary(a).map(({ after, ...s }) => ({
        kind: "metrics-refresh-missed" as const,
        ...s,
        afterRefreshes: after,
      })),
    effectWords: { refreshesMissed: ["metrics refresh missed", "metrics refreshes missed"] },
    inject(f, world, schedule) {
      injectMissedTicks(f, "metrics", "refreshesMissed", "metrics refresh", world, schedule);
    },
  };
