// Coverage probes: how often a run reached the rare situations the scenario library exists to
// exercise. A probe that stays at zero over a whole exploration says the scenario never got there,
// which is as important to know as a violation. Every probe is always reported, zero included.
import { NotificationTemplateId } from "../db/constants.ts";
import type { TraceLine } from "../trace/trace.ts";
import { isoInstant } from "./invariant.ts";
import { isKind, PREBUILDS_INITIATOR } from "./lines.ts";
import type { RunModel } from "./runModel.ts";
import type { Violation } from "./summary.ts";

/** What `expect.reach` failures are filed under: not an invariant, so `expect.allow` cannot hide them. */
export const EXPECT_REACH = "expect-reach";

/** A violation-like failure for every probe of `expect.reach` that the run left at zero. */
export function unreachedProbes(
  scenario: Scenario,
  counts: Record<ProbeName, number>,
  end: Instant,
): Violation[] {
  return scenario.expect.reach
    .filter((probe) => counts[probe] === 0)
    .map((probe) => ({
      invariant: EXPECT_REACH,
      at: isoInstant(end),
      subject: probe,
      message: `probe ${probe} never reached: the scenario's expect.reach promises it`,
      traceLines: [],
    }));
}

import type { Instant } from "../clock/types.ts";
import { PROBE_NAMES, type ProbeName, type Scenario } from "../scenario/scenario.ts";

export { PROBE_NAMES, type ProbeName };

export class CoverageProbes {
  readonly #counts = new Map<ProbeName, number>(PROBE_NAMES.map((n) => [n, 0]));
  /** presets whose latest reconcile.preset line was a backoff */
  readonly #inBackoff = new Set<string>();
  /** replicas that lost their lock connection while their cycle was still running */
  readonly #lostMidCycle = new Set<string>();
  /** workspace → the replica whose open cycle planned its deletion, until a build for it is written */
  readonly #plannedDeletes = new Map<string, string>();
  readonly #drifted = new Set<string>();

  #count(name: ProbeName, by = 1): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + by);
  }

  /** Sees each line before the model applies it. */
  observe(line: TraceLine, model: RunModel): void {
    if (isKind(line, "reconcile.preset")) {
      const backoff = line.actions.some((a) => a.type === "backoff");
      if (backoff && !this.#inBackoff.has(line.preset)) this.#count("backoff-engaged");
      if (backoff) this.#inBackoff.add(line.preset);
      else this.#inBackoff.delete(line.preset);
      const firstDelete = line.actions.find((a) => a.type === "delete");
      const expired = typeof line.state.expired === "number" ? line.state.expired : 0;
      // For an active preset the expired prebuilds are the first delete action (spec §3.7 step 3).
      if (expired > 0 && firstDelete?.deleteIds !== undefined && model.isActive(line.preset))
        this.#count("expired-deleted", Math.min(expired, firstDelete.deleteIds.length));
      for (const a of line.actions)
        for (const id of a.deleteIds ?? []) this.#plannedDeletes.set(id, line.actor);
    } else if (isKind(line, "preset.status")) {
      if (line.status === "hard_limited") this.#count("hard-limit-reached");
      if (line.status === "validation_failed") this.#count("validation-failed");
    } else if (isKind(line, "lock.refused")) {
      this.#count("lock-contended");
    } else if (isKind(line, "lock.lost")) {
      if (model.cycle(line.actor) !== undefined) this.#lostMidCycle.add(line.actor);
    } else if (isKind(line, "lock.acquire")) {
      for (const actor of this.#lostMidCycle) {
        if (actor === line.actor) continue;
        if (model.cycle(actor) !== undefined) this.#count("lock-lost-overlap");
        this.#lostMidCycle.delete(actor);
      }
    } else if (isKind(line, "reconcile.cycle.end")) {
      this.#lostMidCycle.delete(line.actor);
      if (line.paused) this.#count("paused-cycle");
      for (const [id, actor] of this.#plannedDeletes)
        if (actor === line.actor) this.#plannedDeletes.delete(id);
    } else if (isKind(line, "build.create")) {
      // The reconciler's own delete ends the window; a claim's build (written just before its
      // claim.result) does not.
      if (line.initiator === PREBUILDS_INITIATOR) this.#plannedDeletes.delete(line.workspace);
    } else if (isKind(line, "claim.result")) {
      if (!line.hit) this.#count("claim-miss");
      else if (this.#plannedDeletes.has(line.workspace)) this.#count("claim-raced-delete");
    } else if (isKind(line, "job.cancel")) {
      this.#count("pending-canceled");
    } else if (isKind(line, "notification")) {
      // Template admins are notified once each per replacing claim build: count the workspaces.
      if (
        line.template === NotificationTemplateId.WorkspaceResourceReplaced &&
        !this.#drifted.has(line.workspace)
      ) {
        this.#drifted.add(line.workspace);
        this.#count("drift-on-claim");
      }
    } else if (isKind(line, "agent.reinit")) {
      // A claimed prebuild's agent is ready again as its new owner's.
      this.#count("agent-reinitialized");
    }
  }

  counts(): Record<ProbeName, number> {
    return Object.fromEntries(PROBE_NAMES.map((n) => [n, this.#counts.get(n) ?? 0])) as Record<
      ProbeName,
      number
    >;
  }
}
