// `hard-limit-respected` (safety): once a preset's last `failureHardLimit` prebuilds all failed (spec
// §2.8) and a reconcile cycle has seen it so, no later cycle creates a prebuild for it while that
// stays true. The limit is recomputed from the builds and jobs in the trace at every cycle start,
// not read from the reconciler's `prebuild_status` bookkeeping.
import { presetKey } from "../../trace/presetKey.ts";
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind } from "../lines.ts";
import { latestBuild, type RunModel } from "../runModel.ts";
import { isPrebuildCreation } from "./createClamped.ts";

/**
 * Whether the `limit` most recent prebuilds of an active preset (by their latest start build, spec
 * §2.8) all failed; returns the build lines that show it, or undefined.
 */
export function hardLimitEvidence(model: RunModel, key: string, limit: number): number[] | undefined {
  if (limit <= 0 || !model.isActive(key)) return undefined;
  const latest = model
    .livePrebuilds(key)
    .map(latestBuild)
    .filter((b) => b !== undefined && b.transition === "start" && b.preset === key)
    .map((b) => b!)
    // Same instant: the later-created is the newer, as upstream's microsecond created_at ranks them.
    .sort((a, b) => b.at - a.at || b.line - a.line)
    .slice(0, limit);
  if (latest.length < limit || latest.some((b) => b.job.state !== "failed")) return undefined;
  return latest.map((b) => b.job.line);
}

interface Detection {
  /** The end line of the first reconciling cycle that started with the preset at its limit. */
  cycleEndLine: number;
  evidence: number[];
}

export class HardLimitRespected implements InvariantChecker {
  readonly name = "hard-limit-respected";
  readonly kind = "safety";
  readonly #log = new ViolationLog(this.name);
  /** actor → presets at their limit when that actor's open cycle started */
  readonly #limitedAtStart = new Map<string, Map<string, number[]>>();
  readonly #detected = new Map<string, Detection>();
  readonly #reported = new Set<string>();

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    const limit = model.scenario.settings.failureHardLimit;
    if (limit <= 0) return;
    if (isKind(line, "reconcile.cycle.start")) {
      const limited = new Map<string, number[]>();
      for (const key of this.#presetKeys(model)) {
        const evidence = hardLimitEvidence(model, key, limit);
        if (evidence !== undefined) limited.set(key, evidence);
        else this.#detected.delete(key);
      }
      this.#limitedAtStart.set(line.actor, limited);
    } else if (isKind(line, "reconcile.cycle.end")) {
      const limited = this.#limitedAtStart.get(line.actor);
      this.#limitedAtStart.delete(line.actor);
      if (limited === undefined || !line.lockAcquired || line.paused) return;
      for (const [key, evidence] of limited)
        if (!this.#detected.has(key) && hardLimitEvidence(model, key, limit) !== undefined)
          this.#detected.set(key, { cycleEndLine: line.seq, evidence });
    } else if (isKind(line, "build.create") && isPrebuildCreation(line)) {
      const key = model.presetKey(line.preset);
      const cycle = model.cycle(line.actor);
      if (key === null || cycle === undefined || this.#reported.has(`${key}@${cycle.startLine}`)) return;
      const detected = this.#detected.get(key);
      const atStart = this.#limitedAtStart.get(line.actor)?.get(key);
      if (detected === undefined || atStart === undefined || detected.cycleEndLine > cycle.startLine) return;
      this.#reported.add(`${key}@${cycle.startLine}`);
      this.#log.add(
        instantOf(line),
        key,
        `${line.actor} created a prebuild for ${key} although its last ${limit} prebuilds had all failed (hard limit seen by the cycle ending at line ${detected.cycleEndLine})`,
        [...atStart, detected.cycleEndLine, cycle.startLine, line.seq],
      );
    }
  }

  #presetKeys(model: RunModel): string[] {
    const keys: string[] = [];
    for (const t of model.scenario.templates)
      for (const v of t.versions) for (const p of v.presets) keys.push(presetKey(t.name, v.name, p.name));
    return keys;
  }

  finish(): void {}
}
