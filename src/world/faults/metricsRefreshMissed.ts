// `metrics-refresh-missed`: the unobserved-state perturbation (issue #13 part 3) of a replica's
// metrics refresher skipping its periodic refresh: the replica's prebuild metrics (upstream's
// cached `coderd_prebuilt_workspaces_*` state) keep their age one more period for each one missed.
// Only the refresher's ticks are missed; a forced refresh still runs.
import { z } from "zod";
import type { Moment, ReplicaRef } from "../../scenario/scenario.ts";
import type { FaultKind } from "./faultKind.ts";
import { faultAt, kindField, replicaRefField, varyWindow } from "./fields.ts";
import {
  afterField,
  countField,
  type Selection,
  selectionDuration,
  selectionOf,
  selectionParameters,
} from "./occurrences.ts";
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
  at: faultAt,
  replica: replicaRefField,
  count: countField("refreshes").optional(),
  duration: selectionDuration.optional(),
  afterRefreshes: afterField("periodic metrics refreshes of the replica").optional(),
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
      a.fc.record(
        {
          kind: a.fc.constant("metrics-refresh-missed" as const),
          at: a.at,
          replica: a.replica,
          count: a.fc.integer({ min: 1, max: 3 }),
          afterRefreshes: a.fc.integer({ min: 0, max: 5 }),
        },
        { requiredKeys: ["kind", "at", "replica"] },
      ),
    effectWords: { refreshesMissed: ["metrics refresh missed", "metrics refreshes missed"] },
    inject(f, world, schedule) {
      const noop = `no metrics refresh of ${f.replica.name} was due ${f.until === null ? "from at on" : "inside the window"} (the replica was down, or the run ended)`;
      injectMissedTicks(f, "metrics", "refreshesMissed", noop, world, schedule);
    },
  };
