// The deployments the day and scale benchmarks run, by name, so one of them can also be run alone
// (under the profiler, or to compare trace hashes before and after a change):
//   node --import tsx bench/measure/runPoint.ts backlog-1000
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/measure/runPoint.ts backlog-1000 --no-split
import { type DeploymentShape, REFERENCE_SHAPE } from "../e2e.bench.ts";

export interface Point {
  describe: string;
  duration: string;
  shape: Partial<DeploymentShape>;
}

/** One replica, pools filled and steady (no claims), `presets`/4 daemons, one virtual hour. */
function presetScaling(presets: number): Point {
  return {
    describe: `${presets} presets × 5, 1 replica, ${presets / 4} daemons, 1 h`,
    duration: "PT1H",
    shape: { replicas: 1, presets, daemons: presets / 4, claimsPerHour: 0 },
  };
}

/** The same builds through 50 daemons for 30 virtual minutes: the provisioner queue grows. */
function backlog(presets: number): Point {
  return {
    describe: `${presets} presets × 5 through 50 daemons, 1 replica, 30 min`,
    duration: "PT30M",
    shape: { replicas: 1, presets, daemons: 50, claimsPerHour: 0 },
  };
}

export const SCALING_PRESETS = [100, 400, 1000] as const;

export const POINTS: Record<string, Point> = {
  "reference-day": {
    describe: "reference day: 3 replicas, 10×5, 2 claims/h per preset, 8 daemons, 24 h",
    duration: "PT24H",
    shape: REFERENCE_SHAPE,
  },
  "claim-day": {
    describe: "claim-heavy day: 3 replicas, 10×5, 6 claims/h per preset, 10 daemons, 24 h",
    duration: "PT24H",
    shape: { claimsPerHour: 6, daemons: 10 },
  },
  ...Object.fromEntries(SCALING_PRESETS.map((n) => [`presets-${n}`, presetScaling(n)])),
  ...Object.fromEntries(SCALING_PRESETS.map((n) => [`backlog-${n}`, backlog(n)])),
};
