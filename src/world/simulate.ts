// One run: the scenario's deployment on a fresh kernel and a reset database, from `start` until
// `start + duration`, then every task stopped. The same scenario, seed and policy give the same
// trace byte for byte.
//
//   const result = await simulate(scenario, { seed: 7, database: await sharedDriver() });
//   result.trace.hash();  result.claims;  await result.store.getTemplatePresetsWithPrebuilds(null);
//
// What runs: the replicas' reconcilers, the provisioner daemons and the agents they start, the
// people making the workload's claims, the operator's timeline, the fault injector and the
// sampler — each a kernel task, each drawing from its own RNG stream.
import type { Instant } from "../clock/types.ts";
import type { Database } from "../db/database.ts";
import type { SqlDriver } from "../db/driver.ts";
import type { Store } from "../db/store.ts";
import type { SchedulingPolicy, TaskFailure } from "../kernel/index.ts";
import { errorMessage } from "../prebuilds/errors.ts";
import type { Pubsub } from "../prebuilds/pubsub.ts";
import type { Scenario } from "../scenario/scenario.ts";
import type { TimeSeries } from "../trace/timeseries.ts";
import type { Trace } from "../trace/trace.ts";
import type { Catalog } from "./catalog.ts";
import { type Deployment, startDeployment } from "./deployment.ts";
import { type PresetEndValues, readPresetEndValues } from "./endMetrics.ts";
import { CycleLog, type RecordedCycle } from "./faults/cycleLog.ts";
import { MetricsRecorder, type MetricsSeries } from "./metricsRecorder.ts";
import { ProvisionerStats } from "./provisioner.ts";
import { type ReconcilerFactory, Replica, type ReplicaStats } from "./replica.ts";
import type { WorldParameters } from "./settings.ts";
import type { ClaimRecord } from "./users.ts";
import { WORLD_ACTOR, World } from "./world.ts";

export { WORLD_ACTOR } from "./world.ts";

export interface SimulateOptions {
  readonly seed: number;
  /** The process's migrated driver (one PGlite per process); reset before the run. */
  readonly database: SqlDriver;
  /**
   * Makes the run's trace from the simulation's clock (default: a plain `Trace`). Attach
   * listeners (the invariant checker) here: they see every line as it is written.
   */
  readonly trace?: (now: () => Instant) => Trace;
  /** How the kernel picks among tasks runnable at one instant (default "random"; `settings.policy`). */
  readonly policy?: SchedulingPolicy;
  /** The world's other settings (src/world/settings.ts: every default stated there). */
  readonly settings?: WorldParameters;
  /** The deployment's pubsub (default a fresh MemoryPubsub); tests pass one that fails. */
  readonly pubsub?: Pubsub;
  /** Also record every live replica's Prometheus metrics at each sample (`run --metrics-out`). */
  readonly metrics?: boolean;
  /** Builds the replicas' reconcilers (default: the port's); for tests of the checks with broken variants. */
  readonly reconciler?: ReconcilerFactory;
  /** Also record every reconciliation cycle and its statement count (`explore --perturb`); the run is the same. */
  readonly recordCycles?: boolean;
}

/**
 * What only the world knows of the provisioner fleet. Jobs, busy time and the queue as the trace
 * shows it are summary.json's, counted once from the trace (src/check/statistics.ts).
 */
export interface ProvisionerSummary {
  /** From creation to acquisition, for every job a person initiated, in acquisition order. */
  readonly humanQueueWaitsMs: readonly number[];
}

export interface SimulationResult {
  readonly trace: Trace;
  readonly timeseries: TimeSeries;
  /** Tasks that threw (the `no-crash` invariant). */
  readonly failures: readonly TaskFailure[];
  readonly claims: readonly ClaimRecord[];
  readonly provisioner: ProvisionerSummary;
  readonly replicas: readonly ReplicaStats[];
  /** Every preset with a prebuild configuration, as a live replica's metrics show it at the end. */
  readonly presets: readonly PresetEndValues[];
  readonly catalog: Catalog;
  /** The database as the run left it; queries on it run at once (no simulated latency). */
  readonly store: Store;
  readonly database: Database;
  readonly end: Instant;
  /** Tasks still waiting when the run ended (abandoned, never resumed). */
  readonly abandonedTasks: readonly string[];
  /** The replicas' metrics at every sample, when `metrics` was asked for. */
  readonly metrics: MetricsSeries | null;
  /** Every locked reconciliation cycle, when `recordCycles` was asked for. */
  readonly cycles: readonly RecordedCycle[] | null;
}

export async function simulate(scenario: Scenario, options: SimulateOptions): Promise<SimulationResult> {
  if (scenario.users.count === 0 && scenario.workload.claims.length > 0) {
    throw new Error(`simulate ${scenario.name}: the workload makes claims but users.count is 0`);
  }
  if (scenario.users.count === 0 && (scenario.workload.builds ?? []).length > 0) {
    throw new Error(`simulate ${scenario.name}: the workload makes builds but users.count is 0`);
  }
  const end = scenario.start + scenario.duration;
  const world = await buildWorld(scenario, options);
  // A listener that draws nothing and never parks: recording leaves the run as it is.
  const cycleLog = options.recordCycles === true ? new CycleLog(world.database, scenario.start) : null;
  const provisionerStats = new ProvisionerStats();
  const replicas = scenario.replicas.map(
    (r) =>
      new Replica(world, {
        name: r.name,
        clockSkew: r.clockSkew,
        settings: scenario.settings,
        makeReconciler: options.reconciler,
      }),
  );
  const metrics = options.metrics === true ? new MetricsRecorder(replicas, scenario.sampleEvery) : null;

  // Set once the world task has seeded the database and started everything.
  let deployment: Deployment | undefined;
  world.kernel.spawn(WORLD_ACTOR, async () => {
    deployment = await startDeployment(world, scenario, { replicas, provisionerStats, metrics });
  });
  const abandoned = await world.runUntil(end);

  if (deployment === undefined) {
    const setup = world.kernel.failures.find((f) => f.task === WORLD_ACTOR);
    throw new Error(`simulate ${scenario.name}: setting up the world failed: ${errorMessage(setup?.error)}`, {
      cause: setup?.error,
    });
  }
  deployment.injector.finish();
  world.emit({ actor: WORLD_ACTOR, kind: "run.end", tasksFailed: world.kernel.failures.length });
  return collect(world, scenario, { deployment, replicas, provisionerStats, metrics, abandoned, cycleLog });
}

/** A fresh world for the scenario, its first trace line written. */
async function buildWorld(scenario: Scenario, options: SimulateOptions): Promise<World> {
  const world = await World.open(scenario.start, {
    seed: options.seed,
    database: options.database,
    latency: scenario.database.latency,
    faults: scenario.faults,
    ...(options.trace === undefined ? {} : { trace: options.trace }),
    ...(options.pubsub === undefined ? {} : { pubsub: options.pubsub }),
    settings: { ...options.settings, ...(options.policy === undefined ? {} : { policy: options.policy }) },
  });
  world.emit({
    actor: WORLD_ACTOR,
    kind: "run.start",
    scenario: scenario.name,
    seed: options.seed,
    start: new Date(scenario.start).toISOString(),
    end: new Date(scenario.start + scenario.duration).toISOString(),
  });
  return world;
}

/** The run's results, read from what the world kept and from the database as the run left it. */
async function collect(
  world: World,
  scenario: Scenario,
  run: {
    readonly deployment: Deployment;
    readonly replicas: readonly Replica[];
    readonly provisionerStats: ProvisionerStats;
    readonly metrics: MetricsRecorder | null;
    readonly abandoned: readonly string[];
    readonly cycleLog: CycleLog | null;
  },
): Promise<SimulationResult> {
  const { deployment, replicas, provisionerStats } = run;
  const registry = replicas.find((r) => r.up)?.registry ?? null;
  const presets = await readPresetEndValues(world.database.driver, registry, deployment.followed);
  return {
    trace: world.trace,
    timeseries: deployment.sampler.timeseries,
    failures: world.kernel.failures,
    claims: deployment.people.claims,
    provisioner: {
      humanQueueWaitsMs: provisionerStats.humanQueueWaitsMs,
    },
    replicas: replicas.map((r) => r.stats),
    presets,
    catalog: deployment.catalog,
    store: world.database.connect("results"),
    database: world.database,
    end: scenario.start + scenario.duration,
    abandonedTasks: run.abandoned,
    metrics: run.metrics?.series ?? null,
    cycles: run.cycleLog?.cycles ?? null,
  };
}
