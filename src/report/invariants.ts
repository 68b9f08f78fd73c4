// The invariants a run is judged by (SCENARIOS.md §2), in the contract's order, with a short
// reading of each for people who see the table without the design documents at hand. The names
// come from the scenario contract, so a new invariant cannot be left out of the report unnoticed;
// a violation naming one not listed here is still reported.
import { INVARIANT_NAMES, type InvariantName } from "../scenario/scenario.ts";

export interface InvariantInfo {
  name: InvariantName;
  kind: "safety" | "liveness";
  meaning: string;
}

const ABOUT: Record<InvariantName, Omit<InvariantInfo, "name">> = {
  "claimed-never-reconciled": { kind: "safety", meaning: "the reconciler never builds a claimed workspace" },
  "single-lock-holder": { kind: "safety", meaning: "at most one replica holds the reconciliation lock" },
  "create-clamped": { kind: "safety", meaning: "no cycle creates more prebuilds than desired" },
  "hard-limit-respected": { kind: "safety", meaning: "no new prebuild once a preset is hard-limited" },
  "one-active-build": {
    kind: "safety",
    meaning: "one pending or running job per workspace; build numbers 1..n",
  },
  "paused-means-idle": { kind: "safety", meaning: "no reconciler-initiated build starts while paused" },
  converges: {
    kind: "liveness",
    meaning:
      "active presets reach running = eligible = desired in time (or are full but for replacements, still building, of prebuilds claimed in the window)",
  },
  "inactive-drained": { kind: "liveness", meaning: "prebuilds of inactive versions reach zero in time" },
  "no-leaked-prebuilds": { kind: "liveness", meaning: "no prebuild left behind by a failed or stuck delete" },
  "no-crash": { kind: "safety", meaning: "no task threw an unexpected error" },
  "writes-inside-lease": {
    kind: "safety",
    meaning: "every reconciler write lies inside its replica's lock lease (or the cycle that lost it)",
  },
  "provisioning-bounded": {
    kind: "safety",
    meaning: "a cycle creates at most desired − running − starting, as its snapshot saw them",
  },
  "desired-follows-schedule": {
    kind: "safety",
    meaning: "the desired count each cycle acts on is the one the preset's schedules give",
  },
  "backoff-respected": {
    kind: "safety",
    meaning: "no prebuild created for a preset inside its backoff window",
  },
  "oldest-deleted-first": { kind: "safety", meaning: "extraneous prebuilds are deleted oldest first" },
  "inactive-pending-canceled": {
    kind: "liveness",
    meaning: "pending creations of inactive versions are canceled by the next cycle",
  },
  "expired-deleted-promptly": {
    kind: "liveness",
    meaning: "expired and invalidated prebuilds are deleted by the next cycle",
  },
  "claim-takes-ready": {
    kind: "safety",
    meaning: "a claim takes only a running, ready prebuild of its preset",
  },
  "human-queue-bounded": {
    kind: "liveness",
    meaning: "a person's build waits behind prebuild jobs no longer than expect.maxHumanQueueWait",
  },
  "cancel-pending-only": {
    kind: "safety",
    meaning: "the reconciler cancels only jobs still pending that no provisioner has taken",
  },
  "provisioning-sufficient": {
    kind: "liveness",
    meaning: "a cycle outside backoff and the hard limit creates desired − running − starting",
  },
  "deletions-bounded": {
    kind: "safety",
    meaning: "a cycle deletes at most the expired prebuilds and the surplus of valid ones",
  },
};

export const INVARIANTS: readonly InvariantInfo[] = INVARIANT_NAMES.map((name) => ({ name, ...ABOUT[name] }));
