// Colours of the charts: the Okabe–Ito palette, distinguishable with the common colour-vision
// deficiencies, with one meaning per colour across all charts (blue is always "running"/"held").

export const COLORS = {
  ink: "#222222",
  axis: "#555555",
  grid: "#e6e6e6",
  muted: "#777777",
  desired: "#000000",
  running: "#0072B2",
  eligible: "#009E73",
  starting: "#E69F00",
  deleting: "#CC79A7",
  failed: "#D55E00",
  hit: "#009E73",
  miss: "#D55E00",
  prebuildJobs: "#E69F00",
  humanJobs: "#0072B2",
  executing: "#333333",
  lockHeld: "#0072B2",
  refused: "#E69F00",
  cycle: "#999999",
  lost: "#D55E00",
  fault: "#fbe3d6",
  faultLabel: "#a4410b",
  backoff: "#E69F00",
  inactive: "#8a8a8a",
  operator: "#555555",
  hardLimit: "#882255",
  converged: "#009E73",
  violation: "#c00000",
  allowed: "#b07d00",
  overProvisioned: "#D55E00",
  underProvisioned: "#56B4E9",
} as const;

/** Colours for one series per replica, in lane order; repeats after eight. */
export const REPLICA_COLORS = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#000000",
  "#F0E442",
];

export function replicaColor(index: number): string {
  return REPLICA_COLORS[index % REPLICA_COLORS.length] as string;
}
