// The simulated deployment's shared parts, owned in one place: the kernel and its virtual clock,
// the run's context, the trace and its emitter, the seeded streams, the database, the resolved
// settings, and what several actors share (pubsub, fault windows, job outcomes, the queue's
// depth). Every component takes `(world, itsOwnOptions)`: it reads what it needs from the world
// and is told only what is its own. A component's `world` parameter is typed with the parts it
// uses (`Pick<World, …>`), so a test can hand it a few of them.
//
//   const world = await World.open(scenario.start, { seed: 7, database, faults: scenario.faults });
//   world.kernel.spawn("x", …);  await world.runUntil(end);
import type { Instant } from "../clock/types.ts";
import type { VirtualClock } from "../clock/virtual-clock.ts";
import { Database } from "../db/database.ts";
import type { SqlDriver } from "../db/driver.ts";
import type { Store } from "../db/store.ts";
import { Context, type DurationDistribution, Kernel, type RandomStream, Rng } from "../kernel/index.ts";
import { MemoryPubsub, type Pubsub } from "../prebuilds/pubsub.ts";
import type { Fault } from "../scenario/scenario.ts";
import { Trace, type TraceRecord } from "../trace/trace.ts";
import { FaultWindows } from "./faultWindows.ts";
import { JobOutcomes } from "./jobOutcomes.ts";
import { traceLeases } from "./leaseTrace.ts";
import { PerturbablePubsub } from "./perturbablePubsub.ts";
import { Perturbations } from "./perturbations.ts";
import { QueueDepth } from "./queueDepth.ts";
import { resolveWorldSettings, type WorldParameters, type WorldSettings } from "./settings.ts";
import { traceTaskErrors } from "./taskErrorTrace.ts";
import { tracedStore } from "./tracedStore.ts";

/** The actor of the world's own trace lines (`run.start`, `run.end`) and of its setup task. */
export const WORLD_ACTOR = "world";

export interface WorldOptions {
  readonly seed: number;
  /** The process's migrated driver (one PGlite per process); reset when the database opens. */
  readonly database: SqlDriver;
  /** The scenario's database latency. */
  readonly latency: DurationDistribution;
  /** The scenario's faults: their windows are known before the run starts. */
  readonly faults: readonly Fault[];
  /** Makes the run's trace from the simulation's clock (default: a plain `Trace`). */
  readonly trace?: (now: () => Instant) => Trace;
  /** The deployment's pubsub (default a fresh MemoryPubsub). */
  readonly pubsub?: Pubsub;
  /** What the caller changes of the world's settings (src/world/settings.ts). */
  readonly settings?: WorldParameters;
}

export class World {
  /** Writes one trace line (a property, so it can be handed on as a function). */
  readonly emit = (record: TraceRecord): void => {
    this.trace.emit(record);
  };
  #simulating = true;
  readonly #cancel: (cause?: unknown) => void;

  private constructor(
    readonly settings: WorldSettings,
    readonly rng: Rng,
    readonly kernel: Kernel,
    readonly trace: Trace,
    readonly database: Database,
    /** The run's context: ending it ends every task of the deployment. */
    readonly ctx: Context,
    cancel: (cause?: unknown) => void,
    readonly pubsub: Pubsub,
    /** The scenario's windowed faults, as questions about an instant. */
    readonly faults: FaultWindows,
    /** How people's jobs end, for the people waiting on them. */
    readonly outcomes: JobOutcomes,
    /** The provisioner queue's depth, kept by the traced stores. */
    readonly queue: QueueDepth,
    /** The stale- and unobserved-state faults' rules (snapshots, ticks, refreshes, notifications). */
    readonly perturbations: Perturbations,
  ) {
    this.#cancel = cancel;
    this.perturbedPubsub = new PerturbablePubsub(pubsub, perturbations);
  }

  /**
   * The pubsub as the reconcilers and the provisioner daemons publish on it: their job postings and
   * claim events pass the notification faults (people's own postings use `pubsub`).
   */
  readonly perturbedPubsub: Pubsub;

  /** A fresh world at `start`: kernel, clock, trace, a reset database, nothing running yet. */
  static async open(start: Instant, options: WorldOptions): Promise<World> {
    const settings = resolveWorldSettings(options.settings);
    const rng = new Rng(options.seed);
    const kernel = new Kernel({
      rng,
      start,
      policy: settings.policy,
      onTaskFailure: settings.onTaskFailure,
      watchdog: settings.watchdog,
      maxSwitchesPerInstant: settings.maxSwitchesPerInstant,
    });
    const clock = kernel.clock;
    const trace = (options.trace ?? ((now) => new Trace(now)))(() => clock.time);
    const holder: { world?: World } = {};
    const database = await Database.open({
      driver: options.database,
      clock: {
        now: (...tags) => clock.now(...tags),
        sleep: (d, ...tags) =>
          holder.world?.simulating === false ? Promise.resolve() : clock.sleep(d, ...tags),
      },
      rng,
      latency: options.latency,
      // A round trip of 0 ms still yields inside a task, so it stays a park point.
      scheduler: kernel,
    });
    const emit = (record: TraceRecord): void => {
      trace.emit(record);
    };
    traceLeases(database.locks, emit);
    traceTaskErrors(kernel, emit);
    const { ctx, cancel } = Context.background(kernel).withCancel("run");
    const world = new World(
      settings,
      rng,
      kernel,
      trace,
      database,
      ctx,
      cancel,
      options.pubsub ?? new MemoryPubsub(),
      new FaultWindows(options.faults),
      new JobOutcomes(kernel),
      new QueueDepth(),
      new Perturbations(),
    );
    holder.world = world;
    return world;
  }

  /** False once the run is over: the database then answers at once (there is no kernel left to park on). */
  get simulating(): boolean {
    return this.#simulating;
  }

  /** The shared virtual clock (replicas read it through their own skew). */
  get clock(): VirtualClock {
    return this.kernel.clock;
  }

  /** The seeded stream `name`: a component's own draws, unaffected by anyone else's. */
  stream(name: string): RandomStream {
    return this.rng.stream(name);
  }

  /** `store`, its committed writes recorded in the trace as `actor` and counted in the queue. */
  traced(store: Store, actor: string): Store {
    return tracedStore(store, actor, this);
  }

  /**
   * Runs the deployment until `end`, then ends the run's context, lets every task wind down and
   * stops the kernel. Returns the tasks still waiting then (abandoned, never resumed).
   */
  async runUntil(end: Instant): Promise<string[]> {
    await this.kernel.run({ until: end });
    this.#cancel(new Error(`run ended at ${new Date(end).toISOString()}`));
    await this.kernel.runUntilIdle();
    const abandoned = this.kernel.stop().map((t) => t.name);
    this.#simulating = false;
    this.database.faults.clear();
    return abandoned;
  }
}
