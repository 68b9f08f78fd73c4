// The state machine of one preset (spec §3.4-§3.8): from the rows of one cycle, the counts that
// describe the pool and the ordered actions that move it toward the desired size. Pure: no I/O,
// time comes from the injected clock.
import type { Clock, Duration, Instant } from "../clock/types.ts";
import type {
  InProgressPrebuildRow,
  PresetBackoffRow,
  PresetPrebuildScheduleRow,
  RunningPrebuildRow,
  TemplatePresetRow,
} from "../db/rows.ts";
import type { Logger } from "./logger.ts";
import {
  backoffAction,
  cancelPendingAction,
  createAction,
  deleteAction,
  type ReconciliationActions,
} from "./reconciliationActions.ts";
import { calculateScheduledTarget } from "./schedule.ts";

/** The snapshot only ever asks the clock for the time. */
export type SnapshotClock = Pick<Clock, "now">;

/** Counts derived from a snapshot (upstream's `ReconciliationState`). */
export interface ReconciliationState {
  /** Running prebuilds, expired ones included. */
  readonly actual: number;
  /** Running prebuilds past their TTL or invalidated. */
  readonly expired: number;
  /** Target pool size now; 0 for an inactive preset. */
  readonly desired: number;
  /** Ready (claimable) non-expired running prebuilds; 0 for an inactive preset. */
  readonly eligible: number;
  /** Non-expired running prebuilds beyond `desired`; 0 for an inactive preset. */
  readonly extraneous: number;
  readonly starting: number;
  readonly stopping: number;
  readonly deleting: number;
}

export interface PresetSnapshotInit {
  readonly preset: TemplatePresetRow;
  readonly prebuildSchedules: readonly PresetPrebuildScheduleRow[];
  /** Non-expired running prebuilds. Choosing the oldest sorts this very array, as upstream does. */
  readonly running: RunningPrebuildRow[];
  readonly expired: readonly RunningPrebuildRow[];
  readonly inProgress: readonly InProgressPrebuildRow[];
  readonly pendingCount: number;
  readonly backoff: PresetBackoffRow | null;
  readonly isHardLimited: boolean;
  readonly clock: SnapshotClock;
  readonly logger: Logger;
}

export class PresetSnapshot {
  readonly preset: TemplatePresetRow;
  readonly prebuildSchedules: readonly PresetPrebuildScheduleRow[];
  readonly running: RunningPrebuildRow[];
  readonly expired: readonly RunningPrebuildRow[];
  readonly inProgress: readonly InProgressPrebuildRow[];
  readonly pendingCount: number;
  readonly backoff: PresetBackoffRow | null;
  readonly isHardLimited: boolean;
  readonly #clock: SnapshotClock;
  readonly #logger: Logger;

  constructor(init: PresetSnapshotInit) {
    this.preset = init.preset;
    this.prebuildSchedules = init.prebuildSchedules;
    this.running = init.running;
    this.expired = init.expired;
    this.inProgress = init.inProgress;
    this.pendingCount = init.pendingCount;
    this.backoff = init.backoff;
    this.isHardLimited = init.isHardLimited;
    this.#clock = init.clock;
    this.#logger = init.logger;
  }

  /**
   * Whether the cycle may skip this preset without starting a task: only an inactive preset with
   * nothing to delete, cancel or wait for. In-progress builds, schedules and the hard limit are
   * not consulted (they only matter for active presets). If this is true, every action of
   * `calculateActions` is a no-op.
   */
  canSkipReconciliation(): boolean {
    if (this.isActive()) return false;
    if (this.running.length > 0) return false;
    if (this.expired.length > 0) return false;
    if (this.pendingCount > 0) return false;
    if (this.backoff !== null) return false;
    return true;
  }

  /**
   * Active: the preset's version is its template's active version, and the template is neither
   * soft-deleted nor deprecated. Inactive presets are drained.
   */
  isActive(): boolean {
    return this.preset.usingActiveVersion && !this.preset.deleted && !this.preset.deprecated;
  }

  /** The scheduled target at `at` (spec §3.5.1), whether or not the preset is active. */
  calculateDesiredInstances(at: Instant): number {
    return calculateScheduledTarget(this.preset, this.prebuildSchedules, at, this.#logger);
  }

  calculateState(): ReconciliationState {
    const actual = this.running.length + this.expired.length;
    const expired = this.expired.length;
    let desired = 0;
    let eligible = 0;
    let extraneous = 0;
    if (this.isActive()) {
      desired = this.calculateDesiredInstances(this.#clock.now());
      eligible = this.#countEligible();
      extraneous = Math.max(actual - expired - desired, 0);
    }
    const { starting, stopping, deleting } = this.#countInProgress();
    return { actual, expired, desired, eligible, extraneous, starting, stopping, deleting };
  }

  /**
   * The ordered actions for this cycle: a pending backoff suppresses everything else; an
   * inactive preset cancels pending creations and deletes its non-expired prebuilds; an active one
   * deletes expired prebuilds, then the oldest extraneous ones, then creates what is missing.
   */
  calculateActions(backoffInterval: Duration): ReconciliationActions[] {
    const backoff = this.#needsBackoffPeriod(backoffInterval);
    if (backoff !== null) return [backoff];
    if (!this.isActive()) return this.#handleInactiveTemplateVersion();
    return this.#handleActiveTemplateVersion();
  }

  #handleActiveTemplateVersion(): ReconciliationActions[] {
    const state = this.calculateState();
    const actions: ReconciliationActions[] = [];
    // Expired ones go first, in running-query order (by workspace id), not by age.
    if (state.expired > 0) actions.push(deleteAction(this.expired.map((p) => p.id)));
    if (state.extraneous > 0) actions.push(deleteAction(this.#getOldestPrebuildIds(state.extraneous)));
    // Starting prebuilds will join the pool; stopping and deleting ones will not.
    const runningValid = state.actual - state.expired;
    const toCreate = Math.max(state.desired - runningValid - state.starting, 0);
    if (toCreate > 0) actions.push(createAction(toCreate));
    return actions;
  }

  /**
   * Expired prebuilds of an inactive preset are in neither list handled here, so they linger
   * (spec §10.2 quirk 1, kept for fidelity).
   */
  #handleInactiveTemplateVersion(): ReconciliationActions[] {
    const actions: ReconciliationActions[] = [];
    if (this.pendingCount > 0) actions.push(cancelPendingAction());
    const deleteIds = this.#getOldestPrebuildIds(this.running.length);
    if (deleteIds.length > 0) actions.push(deleteAction(deleteIds));
    return actions;
  }

  /** A backoff action while `now` is not strictly after `lastBuildAt + numFailed × interval`. */
  #needsBackoffPeriod(backoffInterval: Duration): ReconciliationActions | null {
    if (this.backoff === null || this.backoff.numFailed === 0) return null;
    const backoffUntil = this.backoff.lastBuildAt + this.backoff.numFailed * backoffInterval;
    if (this.#clock.now() > backoffUntil) return null;
    return backoffAction(backoffUntil);
  }

  #countEligible(): number {
    return this.running.filter((p) => p.ready).length;
  }

  #countInProgress(): { starting: number; stopping: number; deleting: number } {
    let starting = 0;
    let stopping = 0;
    let deleting = 0;
    for (const progress of this.inProgress) {
      if (progress.transition === "start") starting += progress.count;
      else if (progress.transition === "stop") stopping += progress.count;
      else if (progress.transition === "delete") deleting += progress.count;
    }
    return { starting, stopping, deleting };
  }

  /**
   * The ids of the `n` oldest non-expired prebuilds. Sorts `running` in place by creation time,
   * as upstream does. The sort is stable, so equal creation times keep running-query order
   * (workspace id), which is also what Go's sort gives for the small lists it sees (≤ 12 rows are
   * insertion-sorted).
   */
  #getOldestPrebuildIds(n: number): string[] {
    // deviation: ties keep workspace-id order (README Fidelity: deterministic order)
    this.running.sort((a, b) => a.createdAt - b.createdAt);
    return this.running.slice(0, Math.min(n, this.running.length)).map((p) => p.id);
  }
}
