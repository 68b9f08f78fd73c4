// What one fault kind is made of (issue #16 part 2): its piece of the scenario grammar (a zod
// mapping with documented fields), how it is checked against the rest of the scenario and
// normalised, what it writes in `fault.start`, when it stops disturbing the system (the settle
// rule), how swarm testing varies it, how property tests generate it, and how it is injected.
// Adding a fault kind is one module implementing this and one line in `registry.ts`.
//
// The declarative half (schema, normalise, settle, wording) is read by `scenario/` and `check/`;
// it imports nothing from the world at run time, so those layers stay below the world.
import type fc from "fast-check";
import type { z } from "zod";
import type { Clock, Duration, Instant } from "../../clock/types.ts";
import type { Database } from "../../db/database.ts";
import type { DataPath } from "../../scenario/problem.ts";
import type { Moment, PresetRef, ReplicaRef } from "../../scenario/scenario.ts";
import type { FaultWindows } from "../faultWindows.ts";
import type { Perturbations } from "../perturbations.ts";
import type { QueueDepth } from "../queueDepth.ts";
import type { Replica } from "../replica.ts";
import type { CycleWatch } from "./cycleWatch.ts";
import type { PerturbationPoint, RunBounds } from "./perturbationPoint.ts";

/** What a fault module may ask of the scenario normaliser (it reports problems at `path`). */
export interface FaultNormaliser {
  /** A point of the run given as an offset from start; it must fall before the end. */
  moment(atOffset: Duration, path: DataPath): Moment;
  /** A window [at, at + length) must end by the end of the run. */
  windowEnd(atOffset: Duration, length: Duration, path: DataPath): void;
  /** A `template/preset` on an active version. */
  presetRef(ref: PresetRef, path: DataPath): PresetRef;
  /** A replica by number or name. */
  replicaRef(ref: number | string, path: DataPath): ReplicaRef;
  report(path: DataPath, message: string): void;
}

/** The scenario file's data of one fault, as swarm testing rewrites it. */
export type FaultData = Record<string, unknown>;

/** The draws a swarm variation makes, in the order each kind asks for them. */
export interface SwarmDraws {
  /** The run's length in milliseconds. */
  readonly total: number;
  /** A uniform draw in [0, 1). */
  next(): number;
  /** A scale factor in [0.5, 2), log-uniform. */
  scale(): number;
}

/** Shared arbitraries of a generated scenario that fault kinds build on. */
export interface FaultArbitraries {
  readonly fc: typeof fc;
  /** `{at, duration}` inside the run, as ISO text. */
  readonly window: fc.Arbitrary<{ at: string; duration: string }>;
  /** An offset inside the run, as ISO text. */
  readonly at: fc.Arbitrary<string>;
  readonly replica: fc.Arbitrary<number | string>;
  readonly probability: fc.Arbitrary<number>;
  readonly presetRefs: readonly string[];
  readonly runSeconds: number;
}

/** What a fault did: counts by what they count (`locksReleased: 1`); all zero means nothing. */
export type FaultEffect = Record<string, number>;

/** What the injector gives a fault kind to act on the world. */
export interface FaultWorld {
  readonly clock: Clock;
  readonly database: Database;
  readonly replicas: readonly Replica[];
  readonly windows: FaultWindows;
  readonly queue: QueueDepth;
  /** Where each replica is in its reconciliation cycle, for faults that strike partway through one. */
  readonly cycles: CycleWatch;
  /** The fault's place in the scenario's `faults`. */
  readonly index: number;
  /** The replica named `name` (the scenario checked that it exists). */
  replica(name: string): Replica;
  /** `fault.start` with the fault's parameters (and `until` for a window). */
  start(until: Instant | null, extra?: Record<string, unknown>): void;
  /** `fault.end`. */
  end(): void;
  /** `fault.armed`: the fault waits for a cycle of `replica` (or of the lock holder). */
  armed(replica: string, afterStatements: number): void;
  /** A `log` warning of the fault actor. */
  warn(msg: string, fields: Record<string, unknown>): void;
  /** A seeded number of statements for a trigger (stream `faults/<kind>/<n>/trigger`, one per fault). */
  drawStatements(): number;
  /** Runs `act` at `at` on a task of its own (acts timed from a strike rather than from `at`). */
  later(at: Instant, act: () => void): void;
  /** Database errors a rule tagged with this fault's index has raised so far. */
  queriesFailed(): number;
  /**
   * The fault's outcome, once: `fault.effect` with what it did and when its disturbance ended (and
   * the `subjects` it took, when it names them), or `fault.noop` with `noopReason` when every count is 0.
   */
  outcome(effect: FaultEffect, until: Instant, noopReason: string, subjects?: readonly string[]): void;
  /** What to report if the run ends before `outcome` was called. */
  onRunEnd(report: () => void): void;
  /** Where the stale- and unobserved-state faults register their rules (the world's wrappers ask them). */
  readonly perturbations?: Perturbations;
}

/** When and what: `phase` 0 for starts and instantaneous acts, 1 for the ends of windows. */
export type Schedule = (at: Instant, phase: 0 | 1, act: () => void) => void;

export interface FaultKind<K extends string, F extends { readonly kind: K } & Moment, S extends z.ZodType> {
  readonly kind: K;
  /** The fault's mapping in the scenario file, `kind` included. */
  readonly schema: S;
  /** Whole-scenario checks and the normalised fault. */
  normalise(parsed: z.output<S>, path: DataPath, n: FaultNormaliser): F;
  /** The fault's own parameters, as `fault.start` records them. */
  parameters(f: F): Record<string, unknown>;
  /** When the fault stops disturbing the system, for the convergence window. */
  settleEnd(f: F): Instant;
  /** Swarm testing: redraws the fault's timing and strength in `data`, in place. */
  vary(data: FaultData, draws: SwarmDraws): void;
  /** Generated faults of this kind, as an author would write them. */
  arbitrary(a: FaultArbitraries): fc.Arbitrary<z.input<S>>;
  /** How each count of the fault's effect reads in the report: singular and plural (`lock lease ended`). */
  readonly effectWords: Readonly<Record<string, readonly [string, string]>>;
  /** Puts the fault's acts on the timeline. */
  inject(f: F, world: FaultWorld, schedule: Schedule): void;
  /**
   * `explore --perturb`: the fault of this kind that strikes the run at `point`, as a scenario
   * file writes it; null, or absent, when it cannot.
   */
  readonly perturbAt?: (point: PerturbationPoint, run: RunBounds) => FaultData | null;
}

/** Unused type parameters are fine here: each module names its own. */
export type AnyFaultKind = FaultKind<string, { readonly kind: string } & Moment, z.ZodType>;
