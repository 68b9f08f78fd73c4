// Where a perturbation can land (issue #13 part 4, after Sieve): a point of an unperturbed run's
// history that `explore --perturb` strikes with one fault. Each fault kind says, through its
// optional `perturbAt`, which points it can strike and as what scenario fault; kinds that cannot
// strike a point leave it to others.
import { formatIsoDuration } from "../../scenario/isoTime.ts";

/** Before the statement `afterStatements` (0-based) of a replica's `cycle`-th locked cycle. */
export interface CycleStatementPoint {
  readonly type: "cycle-statement";
  readonly replica: string;
  /** 1 for the replica's first locked cycle of the run. */
  readonly cycle: number;
  /** When the cycle's lease began (ISO instant). */
  readonly acquiredAt: string;
  /** When the replica's previous locked cycle ended, or the run started (ISO instant). */
  readonly previousEnd: string;
  readonly afterStatements: number;
  /** The cycle's statements in the unperturbed run. */
  readonly statements: number;
}

/** A notification the trace shows: a job posted to the provisioners, a claim's reinit event, a user notification. */
export interface NotificationPoint {
  readonly type: "notification";
  readonly channel: "job" | "claim" | "user";
  /** The trace line that shows it. */
  readonly seq: number;
  readonly at: string;
  /** What it is about: the job, the workspace. */
  readonly subject: string;
  /**
   * Whether a notification fault can reach it: the reconcilers' job postings and the claim events
   * pass the notification faults; people's own job postings and user notifications do not.
   */
  readonly perturbable: boolean;
  /** Perturbable notifications of the same channel shown earlier at the same instant. */
  readonly sameInstantBefore: number;
}

export type PerturbationPoint = CycleStatementPoint | NotificationPoint;

/** The perturbed run's start and end (epoch ms): faults are offsets from the start. */
export interface RunBounds {
  readonly start: number;
  readonly end: number;
}

/** The point in a few words, for listings. */
export function describePoint(p: PerturbationPoint): string {
  return p.type === "cycle-statement"
    ? `${p.replica} cycle ${p.cycle} after ${p.afterStatements} of ${p.statements} statements`
    : `${p.channel} notification ${p.subject} (trace line ${p.seq})`;
}

/**
 * The `at` of a fault armed for a cycle: just before its lease began (1 ms), but never before
 * the same replica's previous cycle ended, so that earlier cycle cannot take the strike. An
 * offset from `start`, as the scenario file writes it.
 */
export function armingOffset(p: CycleStatementPoint, start: number): string {
  const at = Math.max(Date.parse(p.previousEnd), Date.parse(p.acquiredAt) - 1, start);
  return formatIsoDuration(at - start);
}

/** The notification faults' channel for a point's channel, or null when none reaches it. */
function faultChannel(p: NotificationPoint): "jobs" | "claims" | null {
  if (!p.perturbable) return null;
  return p.channel === "job" ? "jobs" : p.channel === "claim" ? "claims" : null;
}

/**
 * A notification fault's selection of exactly this notification: armed 1 ms before it, skipping
 * the perturbable notifications of its channel shown earlier at the same instant.
 */
export function notificationAtPoint(p: PerturbationPoint, run: RunBounds): Record<string, unknown> | null {
  if (p.type !== "notification") return null;
  const channel = faultChannel(p);
  if (channel === null) return null;
  const at = Math.max(Date.parse(p.at) - 1, run.start);
  return {
    at: formatIsoDuration(at - run.start),
    channel,
    count: 1,
    ...(p.sameInstantBefore > 0 ? { afterNotifications: p.sameInstantBefore } : {}),
  };
}

/** A fault that takes the next cycle (or tick) of the point's replica: at a cycle's first statement only. */
export function cycleAtPoint(p: PerturbationPoint, run: RunBounds): Record<string, unknown> | null {
  if (p.type !== "cycle-statement" || p.afterStatements !== 0) return null;
  return { at: armingOffset(p, run.start), replica: p.replica, count: 1 };
}
