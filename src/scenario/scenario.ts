// The normalised scenario the world is built from: every default applied, every reference checked
// and resolved, every duration in integer milliseconds and every instant in epoch milliseconds.
// Field names follow the scenario file (SCENARIOS.md §1) so a reader can hold the two side by side.
import type { Duration, Instant } from "../clock/types.ts";
import type { DurationDistribution } from "../kernel/rng.ts";

/** The invariant names of SCENARIOS.md §2; `expect.allow` may name only these. */
export const INVARIANT_NAMES = [
  "claimed-never-reconciled",
  "single-lock-holder",
  "create-clamped",
  "hard-limit-respected",
  "one-active-build",
  "paused-means-idle",
  "converges",
  "inactive-drained",
  "no-leaked-prebuilds",
  "no-crash",
  // The reference model's oracles (src/check/reference/), one per rule of the spec.
  "writes-inside-lease",
  "provisioning-bounded",
  "desired-follows-schedule",
  "backoff-respected",
  "oldest-deleted-first",
  "inactive-pending-canceled",
  "expired-deleted-promptly",
  "claim-takes-ready",
  "human-queue-bounded",
  "cancel-pending-only",
  "provisioning-sufficient",
  "deletions-bounded",
] as const;
export type InvariantName = (typeof INVARIANT_NAMES)[number];

// Fault kinds live in their modules (`world/faults/`); the scenario names them here.
export { FAULT_KINDS } from "../world/faults/registry.ts";

import type { Fault } from "../world/faults/registry.ts";

export type { Fault, FaultKindName as FaultKind } from "../world/faults/registry.ts";

/**
 * The coverage probes (`src/check/probes.ts` counts them); `expect.reach` may name only these.
 * Listed here, below the checks, so the scenario schema can validate the names.
 */
export const PROBE_NAMES = [
  "backoff-engaged",
  "hard-limit-reached",
  "lock-contended",
  "lock-lost-overlap",
  "claim-miss",
  "claim-raced-delete",
  "pending-canceled",
  "expired-deleted",
  "drift-on-claim",
  "validation-failed",
  "paused-cycle",
  "agent-reinitialized",
] as const;
export type ProbeName = (typeof PROBE_NAMES)[number];

/** Coder's PrebuildsConfig plus the pool size that sets reconciliation concurrency (spec §1.5, §4.1). */
export interface ReconcilerSettings {
  readonly reconciliationInterval: Duration;
  readonly reconciliationBackoffInterval: Duration;
  readonly reconciliationBackoffLookback: Duration;
  /** 0 disables the hard limit. */
  readonly failureHardLimit: number;
  readonly maxDBConnections: number;
}

export interface Replica {
  /** `replica-0` … for `count: N`, else as written. */
  readonly name: string;
  /** Added to the virtual time this replica's clock reads; may be negative. */
  readonly clockSkew: Duration;
}

export interface Provisioners {
  readonly daemons: number;
  /** Of `daemons`, how many take only prebuild jobs (the rest then take only human jobs); 0 = one shared pool. */
  readonly prebuildDaemons: number;
  /** The acquirer's backup poll per domain of idle daemons (upstream `backupPollDuration`, 30 s). */
  readonly pollInterval: Duration;
  readonly buildTime: DurationDistribution;
  readonly deleteTime: DurationDistribution;
  /** From build success to the agent's lifecycle state `ready`. */
  readonly agentReadyAfter: DurationDistribution;
  /**
   * From a claim build's success to the claimed workspace's agent being `ready` again after its
   * reinitialization; absent = `agentReadyAfter`.
   */
  readonly agentReinitAfter?: DurationDistribution;
  /** Probability that a start build fails. */
  readonly failureRate: number;
}

export interface TemplateParameter {
  readonly name: string;
  readonly required: boolean;
  readonly default: string | null;
  readonly immutable: boolean;
}

export interface PresetParameter {
  readonly name: string;
  readonly value: string;
}

export interface PrebuildSchedule {
  /** A time-range cron spec (spec §3.5.2), passed on as written. */
  readonly cron: string;
  readonly instances: number;
}

export interface PresetScheduling {
  /** Canonical IANA name. */
  readonly timezone: string;
  readonly schedules: readonly PrebuildSchedule[];
}

export interface Preset {
  readonly name: string;
  /** null: the preset has no prebuild configuration (desired_instances IS NULL). */
  readonly desiredInstances: number | null;
  /** Sorted by name. */
  readonly parameters: readonly PresetParameter[];
  /** invalidate_after_secs in ms (whole seconds); null: never expires by age. */
  readonly ttl: Duration | null;
  /** Probability that a start build of this preset fails (the preset's own, else provisioners.failureRate). */
  readonly failureRate: number;
  readonly drift: { readonly replaceOnClaim: number };
  readonly scheduling: PresetScheduling | null;
  /** The preset's own start-build time; absent: provisioners.buildTime. */
  readonly buildTime?: DurationDistribution;
  /** The preset's own delete-build time; absent: provisioners.deleteTime. */
  readonly deleteTime?: DurationDistribution;
  /** The preset's own time from build success to agent ready; absent: provisioners.agentReadyAfter. */
  readonly agentReadyAfter?: DurationDistribution;
}

export interface TemplateVersion {
  readonly name: string;
  /** Exactly one version of a template is active. */
  readonly active: boolean;
  readonly parameters: readonly TemplateParameter[];
  readonly presets: readonly Preset[];
}

export interface Template {
  readonly name: string;
  readonly organization: string;
  readonly versions: readonly TemplateVersion[];
}

/**
 * A preset as claims and faults name it: `template/preset` is the preset on the template's active
 * version (claims follow the active version as it changes); a `version` pins it to that version.
 */
export interface PresetRef {
  readonly template: string;
  /** Absent: the template's active version (claims) or any version (faults). */
  readonly version?: string;
  readonly preset: string;
}

/** A point of the run: its offset from `start` as written, and the absolute instant. */
export interface Moment {
  readonly atOffset: Duration;
  readonly at: Instant;
}

export interface DiurnalShape {
  /** Canonical IANA name the hours are local to. */
  readonly timezone: string;
  /** 24 rate multipliers, index = local hour. */
  readonly multipliers: readonly number[];
  /** 24 multipliers for Saturdays and Sundays in `timezone`; absent: every day is shaped by `multipliers`. */
  readonly weekend?: readonly number[];
}

export type ClaimArrivals =
  | {
      readonly kind: "poisson";
      readonly perHour: number;
      /** null: the same rate at every hour. */
      readonly diurnal: DiurnalShape | null;
    }
  | { readonly kind: "every"; readonly every: Duration }
  | { readonly kind: "at"; readonly times: readonly Moment[] };

export interface ClaimStream {
  readonly preset: PresetRef;
  readonly arrivals: ClaimArrivals;
  /**
   * The random stream its arrivals are drawn from, `workload/<randomStream>`: the file's `stream`,
   * else (and when absent) its index in `workload.claims`.
   */
  readonly randomStream?: number;
}

/** People's ordinary workspace builds on a template (SCENARIOS.md §1 `workload.builds`). */
export interface BuildStream {
  /** The template whose active version people build, without a preset. */
  readonly template: string;
  readonly arrivals: ClaimArrivals;
  /** The random stream its arrivals are drawn from, `workload/builds/<randomStream>` (absent: its index). */
  readonly randomStream?: number;
}

/** What an operator does (SCENARIOS.md §1 `events`). */
export type OperatorAction =
  | { readonly kind: "promote"; readonly template: string; readonly version: string }
  | {
      readonly kind: "setDesired";
      readonly template: string;
      readonly version: string;
      readonly preset: string;
      readonly instances: number;
    }
  | { readonly kind: "pause"; readonly paused: boolean }
  | { readonly kind: "invalidate"; readonly template: string }
  | { readonly kind: "deprecate"; readonly template: string; readonly message: string }
  | { readonly kind: "deleteTemplate"; readonly template: string };

export type OperatorEvent = Moment & OperatorAction;
export type OperatorEventKind = OperatorEvent["kind"];

export interface ReplicaRef {
  readonly index: number;
  readonly name: string;
}

/** A fault with a window [at, until). */
export interface FaultWindow extends Moment {
  readonly duration: Duration;
  readonly until: Instant;
}

export interface Expectations {
  readonly convergeWithin: Duration;
  readonly allow: readonly InvariantName[];
  /** Probes the run must reach (count > 0); a probe left at zero fails the run. */
  readonly reach: readonly ProbeName[];
  /** The longest a person's build may wait in the provisioner queue (`human-queue-bounded`). */
  readonly maxHumanQueueWait: Duration;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The default seed; the command line's --seed overrides it. */
  readonly seed: number;
  readonly start: Instant;
  readonly duration: Duration;
  readonly sampleEvery: Duration;
  readonly settings: ReconcilerSettings;
  readonly database: { readonly latency: DurationDistribution };
  readonly replicas: readonly Replica[];
  readonly provisioners: Provisioners;
  /** Always contains `default`, first. */
  readonly organizations: readonly string[];
  readonly templates: readonly Template[];
  /** Simulated people, besides the template admin that is always created. */
  readonly users: { readonly count: number };
  readonly workload: {
    readonly claims: readonly ClaimStream[];
    /** People's ordinary builds; absent or empty: none. */
    readonly builds?: readonly BuildStream[];
  };
  /** In file order; two events at the same instant happen in that order. */
  readonly events: readonly OperatorEvent[];
  /** In file order. */
  readonly faults: readonly Fault[];
  readonly expect: Expectations;
}
