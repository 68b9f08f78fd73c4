// `summary.json` (SCENARIOS.md §4): the contract users' scripts and dashboards read. Keep the keys.

export interface Violation {
  invariant: string;
  /** ISO instant (virtual time) */
  at: string;
  /** `template/version/preset`, a replica name or a workspace id */
  subject: string;
  message: string;
  /** 1-based line numbers of trace.jsonl that show it */
  traceLines: number[];
}

/**
 * A state the reconciler logs as an error and works around without failing (see check/warnings.ts):
 * the run still passes, but a real deployment would be quietly doing something else than configured.
 */
export interface Warning {
  /** ISO instant (virtual time) of the first occurrence */
  at: string;
  /** `template/version/preset` */
  subject: string;
  /** What upstream logs (message and error) and what follows from it */
  message: string;
  /** How many times it was logged or reached in the run */
  occurrences: number;
  /** 1-based line numbers of trace.jsonl that show it (the first few) */
  traceLines: number[];
}

export interface ClaimCounts {
  total: number;
  hits: number;
  misses: number;
}

export interface PresetSummary {
  template: string;
  version: string;
  preset: string;
  active: boolean;
  desired: number;
  running: number;
  eligible: number;
  starting: number;
  failedWorkspaces: number;
  created: number;
  failed: number;
  claimed: number;
  /** ISO instant of the first sample after the last event/fault at which running == eligible == desired */
  convergedAt: string | null;
  status: "healthy" | "hard_limited" | "validation_failed";
  claims: ClaimCounts;
  /**
   * Prebuild-minutes with running above desired, and the largest excess (`provisioning.ts`). Always
   * written; optional for summaries written before it existed.
   */
  overProvisioned?: { minutes: number; peak: number };
  /** Prebuild-minutes with running below desired, and the largest shortfall. */
  underProvisioned?: { minutes: number; peak: number };
}

/** What one fault of the scenario did (issue #13 part 2). */
export interface FaultSummary {
  /** Its place in the scenario's `faults`. */
  index: number;
  kind: string;
  /** ISO instant it struck (or, when it never did, when it was armed). */
  at: string;
  /** The replica it struck (or waited for: `holder` for whichever held the lock). */
  replica?: string;
  /** `template/preset` it was aimed at. */
  preset?: string;
  /** Counts of what it did, by what they count (`locksReleased`, `buildsFailed`…); empty when nothing. */
  effect: Record<string, number>;
  /** It changed nothing. */
  noop: boolean;
  /** Why it changed nothing. */
  reason?: string;
  /** 1-based line numbers of its `fault.*` lines in trace.jsonl. */
  traceLines: number[];
}

export interface RunSummary {
  scenario: string;
  seed: number;
  version: string;
  traceHash: string;
  events: number;
  start: string;
  end: string;
  simulatedSeconds: number;
  wallSeconds: number;
  ok: boolean;
  violations: Violation[];
  allowed: Violation[];
  /** States the reconciler only logs and skips; they do not fail the run. */
  warnings: Warning[];
  presets: PresetSummary[];
  claims: ClaimCounts & {
    hitRate: number;
    waitSeconds: { p50: number; p95: number; max: number };
  };
  reconciler: {
    cycles: number;
    lockAcquired: number;
    lockSkipped: number;
    durationSeconds: { p50: number; max: number };
  };
  provisioner: { jobs: number; maxQueueDepth: number; busyFraction: number };
  probes: Record<string, number>;
  /** Every fault of the scenario, with what it did. */
  faults: FaultSummary[];
}
