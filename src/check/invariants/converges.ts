// `converges` (liveness): after the last operator event or fault, every active preset that is not
// hard-limited or validation-failed reaches running == eligible == desired in at least one sample
// within `expect.convergeWithin`. Samples come from the database (the sampler), statuses from the
// database at the end.
//
// Claims are demand, not disturbance (SCENARIOS.md: "claims may drain it again afterwards"): under
// a steady claim rate a pool can be refilled on time at every cycle and still never be full at a
// sample, because each claim takes a prebuild before the last replacement is ready (issue #13: the
// library's swarm seeds steady-state 12, drift-on-claim 77, incident-17 24, incident-18 9 and 85,
// pause-resume 43). So a sample also counts when the pool is full but for replacements still
// building: every creation owed has been issued (running + starting == desired), every running
// prebuild is ready, and the ones building are no more than the claims that took a prebuild of the
// preset inside the window by then. And they must be building, not stuck: none older than the
// longest build of the preset that had finished by then (a replacement whose job no daemon takes
// would otherwise count as "full but for replacements" for ever). Under heavy demand a claim can
// also land after the preset's last reconciliation and before the sample: the reconciler has not
// seen it yet (test/sweep/erlang-pool.yaml, 2 claims a minute, seed 2), so creations still owed
// count as replacements too, up to the claims made since that reconciliation — and only while the
// reconciler is alive: that reconciliation no more than two reconciliation intervals before the
// sample (a stopped reconciler would otherwise be excused every claim after its last cycle).
import type { Instant } from "../../clock/types.ts";
import type { PresetSample } from "../../trace/timeseries.ts";
import type { TraceLine } from "../../trace/trace.ts";
import type { EndState } from "../endState.ts";
import type { InvariantChecker } from "../invariant.ts";
import { isoInstant, ViolationLog } from "../invariant.ts";
import { instantOf, isKind, PREBUILDS_INITIATOR } from "../lines.ts";
import type { RunModel } from "../runModel.ts";
import type { SettleWindow } from "../settle.ts";
import { firstSampleWithin, isConverged, SettleWatch, sampleAt, windowEnd } from "./liveness.ts";

export class Converges implements InvariantChecker {
  readonly name = "converges";
  readonly kind = "liveness";
  readonly #log = new ViolationLog(this.name);
  readonly #watch = new SettleWatch();
  /** Per preset key, the instants at which a claim took one of its prebuilds, in trace order. */
  readonly #claimed = new Map<string, Instant[]>();
  /** Per preset key, its prebuilds' creation builds: created, and ended (job finished or canceled). */
  readonly #builds = new Map<string, BuildSpan[]>();
  readonly #open = new Map<string, BuildSpan>();
  /** preset key → the instant it converged, for every preset judged */
  readonly convergedAt = new Map<string, number | null>();

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    this.#watch.observe(line, model);
    this.#observeBuild(line, model);
    if (!isKind(line, "claim.result") || !line.hit) return;
    // The model has not applied this line yet: the workspace is still the prebuilds user's.
    const ws = model.workspace(line.workspace);
    const preset = ws?.builds[0]?.preset;
    if (ws === undefined || !ws.prebuild || ws.owner !== PREBUILDS_INITIATOR || preset == null) return;
    const instants = this.#claimed.get(preset) ?? [];
    if (instants.length === 0) this.#claimed.set(preset, instants);
    instants.push(instantOf(line));
  }

  #observeBuild(line: TraceLine, model: RunModel): void {
    if (isKind(line, "build.create")) {
      // The line names the preset by id; the samples and the end state by key.
      const preset = model.presetKey(line.preset);
      if (line.initiator !== PREBUILDS_INITIATOR || line.transition !== "start" || preset === null) return;
      const span: BuildSpan = { created: instantOf(line), ended: Number.POSITIVE_INFINITY };
      const spans = this.#builds.get(preset) ?? [];
      if (spans.length === 0) this.#builds.set(preset, spans);
      spans.push(span);
      this.#open.set(line.job, span);
    } else if (isKind(line, "job.complete") || isKind(line, "job.cancel")) {
      const span = this.#open.get(line.job);
      if (span === undefined) return;
      span.ended = instantOf(line);
      this.#open.delete(line.job);
    }
  }

  finish(end: EndState, model: RunModel): void {
    const window = this.#watch.window(model);
    const closes = windowEnd(window, end.end);
    const alive = 2 * model.scenario.settings.reconciliationInterval;
    for (const preset of end.presets) {
      const series = end.timeseries.presets.find((s) => s.key === preset.key);
      const claimed = this.#claimed.get(preset.key) ?? [];
      const builds = this.#builds.get(preset.key) ?? [];
      /** Claims since the preset's last reconciliation by `t`, while the reconciler is alive. */
      const unseen = (t: Instant): number => {
        const last = this.#watch.lastReconciledAt(preset.key, t);
        if (last === undefined || t - last > alive) return 0;
        return claimsTaken(claimed, { from: Math.max(last, window.from) }, t);
      };
      const hit = firstSampleWithin(
        series,
        window,
        end.end,
        (s) =>
          isConvergedButForClaims(s, claimsTaken(claimed, window, s.t), unseen(s.t)) &&
          (isConverged(s) || stillBuilding(builds, s.t)),
      );
      this.convergedAt.set(preset.key, hit?.t ?? null);
      if (!preset.active || preset.status !== "healthy" || hit !== undefined) continue;
      const last = sampleAt(series, closes.at);
      const seen =
        last === undefined
          ? "no sample of it was taken"
          : `at ${isoInstant(last.t)} desired ${last.desired}, running ${last.running}, eligible ${last.eligible}, starting ${last.starting}`;
      const taken = claimsTaken(claimed, window, closes.at);
      const claims =
        taken === 0
          ? ""
          : ` (nor that but for replacements of the ${taken} prebuild(s) claimed in the window)`;
      this.#log.add(
        closes.at,
        preset.key,
        `${preset.key} did not reach running == eligible == desired${claims} between ${isoInstant(window.from)} and ${isoInstant(closes.at)}${closes.note}; ${seen}`,
        [this.#watch.lastReconcileOf(preset.key, model)],
      );
    }
  }
}

/** A prebuild's creation build: from its build line to its job's end (infinity while it runs). */
interface BuildSpan {
  readonly created: Instant;
  ended: Instant;
}

/**
 * Whether the creation builds running at `t` are all no older than the longest one that had
 * finished by `t` (and one had): replacements on their way, not jobs that nothing runs.
 */
export function stillBuilding(builds: readonly BuildSpan[], t: Instant): boolean {
  let longest = -1;
  let oldest = 0;
  for (const b of builds) {
    if (b.created > t) break;
    if (b.ended <= t) longest = Math.max(longest, b.ended - b.created);
    else oldest = Math.max(oldest, t - b.created);
  }
  return longest >= 0 && oldest <= longest;
}

/** Claims that took a prebuild after `window.from`, by `t`. */
function claimsTaken(claimed: readonly Instant[], window: Pick<SettleWindow, "from">, t: Instant): number {
  return claimed.filter((c) => c > window.from && c <= t).length;
}

/**
 * Converged, or converged but for replacements of claimed prebuilds: every running prebuild ready,
 * no more building than claims took, and every creation issued but for the claims the reconciler
 * has not seen yet (`unseen`: made since it last reconciled the preset).
 */
export function isConvergedButForClaims(s: PresetSample, claimsTaken: number, unseen = 0): boolean {
  if (isConverged(s)) return true;
  const owed = s.desired - s.running - s.starting;
  return (
    s.running === s.eligible &&
    owed >= 0 &&
    owed <= unseen &&
    s.starting + owed > 0 &&
    s.starting <= claimsTaken
  );
}
