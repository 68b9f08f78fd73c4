// The order reductions are tried in (issue #18): the disturbances first (faults, operator events,
// claim streams, people's build streams), then the deployment's parts the failure does not need (presets and templates,
// replicas, users, provisioner daemons), then the run's length, then randomness, and the seed last.
import type { Reduction } from "../reduction.ts";
import { buildStreamReductions, claimReductions } from "./claims.ts";
import { daemonReductions, replicaReductions, userReductions } from "./deployment.ts";
import { distributionReductions } from "./distributions.ts";
import { durationReductions } from "./duration.ts";
import { eventReductions } from "./events.ts";
import { faultReductions } from "./faults.ts";
import { presetReductions } from "./presets.ts";
import { seedReductions } from "./seed.ts";

export const REDUCTIONS: readonly Reduction[] = [
  faultReductions,
  eventReductions,
  claimReductions,
  buildStreamReductions,
  presetReductions,
  replicaReductions,
  userReductions,
  daemonReductions,
  durationReductions,
  distributionReductions,
  seedReductions,
];
