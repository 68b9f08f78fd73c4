// The verdict of a run: every invariant of SCENARIOS.md §2 and the coverage probes, fed the trace
// line by line (live through `Trace.listen`, or from trace.jsonl on replay), then the database at
// the end. Violations of invariants the scenario lists under `expect.allow` are known upstream
// behaviour: they are reported as `allowed` and do not fail the run.
import type { Instant } from "../clock/types.ts";
import type { Scenario } from "../scenario/scenario.ts";
import type { TraceLine } from "../trace/trace.ts";
import type { EndState } from "./endState.ts";
import { FaultOutcomes } from "./faultOutcomes.ts";
import type { InvariantChecker } from "./invariant.ts";
import { BackoffRespected } from "./invariants/backoffRespected.ts";
import { CancelPendingOnly } from "./invariants/cancelPendingOnly.ts";
import { ClaimedNeverReconciled } from "./invariants/claimedNeverReconciled.ts";
import { ClaimTakesReady } from "./invariants/claimTakesReady.ts";
import { Converges } from "./invariants/converges.ts";
import { CreateClamped } from "./invariants/createClamped.ts";
import { DeletionsBounded } from "./invariants/deletionsBounded.ts";
import { DesiredFollowsSchedule } from "./invariants/desiredFollowsSchedule.ts";
import { ExpiredDeletedPromptly } from "./invariants/expiredDeletedPromptly.ts";
import { HardLimitRespected } from "./invariants/hardLimitRespected.ts";
import { HumanQueueBounded } from "./invariants/humanQueueBounded.ts";
import { InactiveDrained } from "./invariants/inactiveDrained.ts";
import { InactivePendingCanceled } from "./invariants/inactivePendingCanceled.ts";
import { NoCrash } from "./invariants/noCrash.ts";
import { NoLeakedPrebuilds } from "./invariants/noLeakedPrebuilds.ts";
import { OldestDeletedFirst } from "./invariants/oldestDeletedFirst.ts";
import { OneActiveBuild } from "./invariants/oneActiveBuild.ts";
import { PausedMeansIdle } from "./invariants/pausedMeansIdle.ts";
import { ProvisioningBounded } from "./invariants/provisioningBounded.ts";
import { ProvisioningSufficient } from "./invariants/provisioningSufficient.ts";
import { SingleLockHolder } from "./invariants/singleLockHolder.ts";
import { WritesInsideLease } from "./invariants/writesInsideLease.ts";
import { CoverageProbes, type ProbeName, unreachedProbes } from "./probes.ts";
import { ReferenceModel } from "./reference/referenceModel.ts";
import { RunModel } from "./runModel.ts";
import type { FaultSummary, Violation, Warning } from "./summary.ts";
import { ReconcilerWarnings } from "./warnings.ts";

export interface CheckOutcome {
  /** Violations of invariants the scenario does not allow: any one fails the run. */
  violations: Violation[];
  /** Violations of invariants listed in `expect.allow`. */
  allowed: Violation[];
  probes: Record<ProbeName, number>;
  /** What the reconciler logged as an error and worked around. */
  warnings: Warning[];
  /** preset key → the first sample in the settle window at which it converged, or null. */
  convergedAt: Map<string, Instant | null>;
  /** What each fault did. */
  faults: FaultSummary[];
}

export class RunChecker {
  readonly model: RunModel;
  /** What upstream's rules require, recomputed from the trace (the oracles' model). */
  readonly reference: ReferenceModel;
  readonly #converges = new Converges();
  readonly #invariants: InvariantChecker[];
  readonly #probes = new CoverageProbes();
  readonly #warnings = new ReconcilerWarnings();
  readonly #faults = new FaultOutcomes();
  #lastSeq = 0;

  readonly #judgeReach: boolean;

  /** `judgeReach: false` leaves `expect.reach` unjudged (explored and swept seeds). */
  constructor(
    readonly scenario: Scenario,
    options: { judgeReach?: boolean } = {},
  ) {
    this.#judgeReach = options.judgeReach ?? true;
    this.model = new RunModel(scenario);
    this.reference = new ReferenceModel(scenario, this.model);
    const reference = this.reference;
    this.#invariants = [
      new ClaimedNeverReconciled(),
      new SingleLockHolder(),
      new CreateClamped(),
      new HardLimitRespected(),
      new OneActiveBuild(),
      new PausedMeansIdle(),
      this.#converges,
      new InactiveDrained(),
      new NoLeakedPrebuilds(),
      new NoCrash(),
      new WritesInsideLease(reference),
      new ProvisioningBounded(reference),
      new DesiredFollowsSchedule(reference),
      new BackoffRespected(reference),
      new OldestDeletedFirst(reference),
      new InactivePendingCanceled(reference),
      new ExpiredDeletedPromptly(reference),
      new ClaimTakesReady(reference),
      new HumanQueueBounded(),
      new CancelPendingOnly(reference),
      new ProvisioningSufficient(reference),
      new DeletionsBounded(reference),
    ];
  }

  /** Feeds one line; lines must come in trace order (a `Trace.listen` listener). */
  observe(line: TraceLine): void {
    if (line.seq !== this.#lastSeq + 1)
      throw new Error(
        `checks: trace line ${line.seq} arrived after line ${this.#lastSeq}; lines must come in order`,
      );
    this.#lastSeq = line.seq;
    for (const invariant of this.#invariants) invariant.observe(line, this.model);
    this.#probes.observe(line, this.model);
    this.#warnings.observe(line);
    this.#faults.observe(line);
    this.model.apply(line);
    this.reference.apply(line);
  }

  /** Judges the end state; call once, after the last line. */
  finish(end: EndState): CheckOutcome {
    for (const invariant of this.#invariants) invariant.finish(end, this.model);
    const allow = new Set<string>(this.scenario.expect.allow);
    const violations: Violation[] = [];
    const allowed: Violation[] = [];
    for (const invariant of this.#invariants)
      for (const v of invariant.violations) (allow.has(v.invariant) ? allowed : violations).push(v);
    const probes = this.#probes.counts();
    if (this.#judgeReach) violations.push(...unreachedProbes(this.scenario, probes, end.end));
    return {
      violations,
      allowed,
      probes,
      warnings: this.#warnings.finish(this.model),
      convergedAt: this.#converges.convergedAt,
      faults: this.#faults.summaries(),
    };
  }
}
