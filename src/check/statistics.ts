// The run's numbers for summary.json (SCENARIOS.md §4), counted from the trace: claims and their
// waits, reconcile cycles and their durations, the provisioner queue and how busy the daemons were.

import type { Instant } from "../clock/types.ts";
import { presetKey, splitClaimKey } from "../trace/presetKey.ts";
import type { TraceLine } from "../trace/trace.ts";
import { instantOf, isKind } from "./lines.ts";
import type { RunModel } from "./runModel.ts";

export interface ClaimTally {
  total: number;
  hits: number;
  misses: number;
}

/** Nearest-rank percentile of `values` (0 for none). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] as number;
}

export class RunStatistics {
  readonly claims: ClaimTally = { total: 0, hits: 0, misses: 0 };
  /** preset key (on the version active when the claim was made) → its claims */
  readonly claimsByPreset = new Map<string, ClaimTally>();
  readonly waitsMs: number[] = [];
  readonly cycleDurationsMs: number[] = [];
  cycles = 0;
  lockAcquired = 0;
  jobs = 0;
  #queued = 0;
  maxQueueDepth = 0;
  readonly #acquiredAt = new Map<string, Instant>();
  /** job → still waiting in the queue */
  readonly #pending = new Set<string>();
  busyMs = 0;

  /** Sees each line after the run model applied it. */
  observe(line: TraceLine, model: RunModel): void {
    if (isKind(line, "claim.result")) {
      this.claims.total++;
      if (line.hit) this.claims.hits++;
      else this.claims.misses++;
      const { template, preset } = splitClaimKey(line.preset);
      const version = model.activeVersion(template);
      const key = presetKey(template, String(version), preset);
      const tally = this.claimsByPreset.get(key) ?? { total: 0, hits: 0, misses: 0 };
      tally.total++;
      if (line.hit) tally.hits++;
      else tally.misses++;
      this.claimsByPreset.set(key, tally);
    } else if (isKind(line, "claim.ready")) {
      this.waitsMs.push(line.waitMs);
    } else if (isKind(line, "reconcile.cycle.end")) {
      this.cycles++;
      if (line.lockAcquired) this.lockAcquired++;
      this.cycleDurationsMs.push(line.elapsedMs);
    } else if (isKind(line, "build.create")) {
      this.jobs++;
      this.#pending.add(line.job);
      this.#queued++;
      this.maxQueueDepth = Math.max(this.maxQueueDepth, this.#queued);
    } else if (isKind(line, "job.acquire")) {
      this.#leaveQueue(line.job);
      this.#acquiredAt.set(line.job, instantOf(line));
    } else if (isKind(line, "job.complete") || isKind(line, "job.cancel")) {
      this.#leaveQueue(line.job);
      const started = this.#acquiredAt.get(line.job);
      if (started !== undefined) {
        this.busyMs += instantOf(line) - started;
        this.#acquiredAt.delete(line.job);
      }
    }
  }

  #leaveQueue(job: string): void {
    if (this.#pending.delete(job)) this.#queued--;
  }

  /** Daemon time spent on jobs, including jobs still running at `end`, over all daemons' time. */
  busyFraction(daemons: number, start: Instant, end: Instant): number {
    let busy = this.busyMs;
    for (const t of this.#acquiredAt.values()) busy += end - t;
    const capacity = daemons * (end - start);
    return capacity > 0 ? busy / capacity : 0;
  }
}
