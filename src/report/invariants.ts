// The invariants a run is judged by (SCENARIOS.md §2), in the order the report lists them, with a
// short reading of each for people who see the table without the design documents at hand.
// Names are the stable contract; a violation naming one not listed here is still reported.

export interface InvariantInfo {
  name: string;
  kind: "safety" | "liveness";
  meaning: string;
}

export const INVARIANTS: readonly InvariantInfo[] = [
  {
    name: "claimed-never-reconciled",
    kind: "safety",
    meaning: "the reconciler never builds a claimed workspace",
  },
  {
    name: "single-lock-holder",
    kind: "safety",
    meaning: "at most one replica holds the reconciliation lock",
  },
  { name: "create-clamped", kind: "safety", meaning: "no cycle creates more prebuilds than desired" },
  { name: "hard-limit-respected", kind: "safety", meaning: "no new prebuild once a preset is hard-limited" },
  {
    name: "one-active-build",
    kind: "safety",
    meaning: "one pending or running job per workspace; build numbers 1..n",
  },
  { name: "paused-means-idle", kind: "safety", meaning: "no reconciler-initiated build starts while paused" },
  {
    name: "converges",
    kind: "liveness",
    meaning: "active presets reach running = eligible = desired in time",
  },
  {
    name: "inactive-drained",
    kind: "liveness",
    meaning: "prebuilds of inactive versions reach zero in time",
  },
  {
    name: "no-leaked-prebuilds",
    kind: "liveness",
    meaning: "no prebuild left behind by a failed or stuck delete",
  },
  { name: "no-crash", kind: "safety", meaning: "no task threw an unexpected error" },
];
