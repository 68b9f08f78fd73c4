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
import { Database } from "../db/database.ts";
import type { SqlDriver } from "../db/driver.ts";
import type { Store } from "../db/store.ts";
import { Context, Kernel, Rng, type SchedulingPolicy, type TaskFailure } from "../kernel/index.ts";
import { errorMessage } from "../prebuilds/errors.ts";
import type { ResourceReplacement } from "../prebuilds/notifications.ts";
import { MemoryPubsub, type Pubsub } from "../prebuilds/pubsub.ts";
import type { Scenario } from "../scenario/scenario.ts";
import type { TimeSeries } from "../trace/timeseries.ts";
import { Trace, type TraceRecord } from "../trace/trace.ts";
import { AgentStarter } from "./agents.ts";
import type { Catalog, CatalogPreset } from "./catalog.ts";
import { type PresetEndValues, readPresetEndValues } from "./endMetrics.ts";
import { CycleLog, type RecordedCycle } from "./faults/cycleLog.ts";
import { FaultInjector, installDatabaseFaults } from "./faults/injector.ts";
import { FaultWindows } from "./faultWindows.ts";
import { JobOutcomes } from "./jobOutcomes.ts";
import { traceLeases } from "./leaseTrace.ts";
import { MetricsRecorder, type MetricsSeries } from "./metricsRecorder.ts";
import { OPERATOR_ACTOR, runOperator } from "./operator.ts";
import { daemonName, ProvisionerDaemon, ProvisionerStats } from "./provisioner.ts";
import { QueueDepth } from "./queueDepth.ts";
import { type ReconcilerFactory, Replica, type ReplicaStats, trackResourceReplacement } from "./replica.ts";
import { followedPresets, Sampler } from "./sampler.ts";
import { seedWorld } from "./seed.ts";
import { traceTaskErrors } from "./taskErrorTrace.ts";
import { tracedStore } from "./tracedStore.ts";
import { type ClaimRecord, People } from "./users.ts";
import { planClaims } from "./workload.ts";

export const WORLD_ACTOR = "world";

export interface SimulateOptions {
  readonly seed: number;
  /** The process's migrated driver (one PGlite per process); reset before the run. */
  readonly database: SqlDriver;
  /**
   * Makes the run's trace from the simulation's clock (default: a plain `Trace`). Attach
   * listeners (the invariant checker) here: they see every line as it is written.
   */
  readonly trace?: (now: () => Instant) => Trace;
  /** How the kernel picks among tasks runnable at one instant (default "random"). */
  readonly policy?: SchedulingPolicy;
  /** The deployment's pubsub (default a fresh MemoryPubsub); tests pass one that fails. */
  readonly pubsub?: Pubsub;
  /** Also record every live replica's Prometheus metrics at each sample (`run --metrics-out`). */
  readonly metrics?: boolean;
  /** Builds the replicas' reconcilers (default: the port's); for tests of the checks with broken variants. */
  readonly reconciler?: ReconcilerFactory;
  /** Also record every reconciliation cycle and its statement count (`explore --perturb`); the run is the same. */
  readonly recordCycles?: boolean;
}

export interface ProvisionerSummary {
  readonly jobs: number;
  /** Daemon time spent running jobs over all daemons' time. */
  readonly busyFraction: number;
  /** The most jobs ever pending at once (prebuild and human together). */
  readonly maxQueueDepth: number;
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
  const end = scenario.start + scenario.duration;
  const rng = new Rng(options.seed);
  const kernel = new Kernel({
    rng,
    start: scenario.start,
    policy: options.policy ?? "random",
    onTaskFailure: "record",
  });
  const clock = kernel.clock;
  const trace = (options.trace ?? ((now) => new Trace(now)))(() => clock.time);
  const emit = (record: TraceRecord): void => {
    trace.emit(record);
  };

  // After the run the database serves the caller at once: there is no kernel left to park on.
  let simulating = true;
  const database = await Database.open({
    driver: options.database,
    clock: {
      now: (...tags) => clock.now(...tags),
      sleep: (d, ...tags) => (simulating ? clock.sleep(d, ...tags) : Promise.resolve()),
    },
    rng,
    latency: scenario.database.latency,
    // A round trip of 0 ms still yields inside a task, so it stays a park point.
    scheduler: kernel,
  });
  traceLeases(database.locks, emit);
  const cycleLog = options.recordCycles === true ? new CycleLog(database, scenario.start) : null;
  const queue = new QueueDepth();
  trace.listen((line) => queue.observe(line));
  traceTaskErrors(kernel, emit);

  emit({
    actor: WORLD_ACTOR,
    kind: "run.start",
    scenario: scenario.name,
    seed: options.seed,
    start: new Date(scenario.start).toISOString(),
    end: new Date(end).toISOString(),
  });

  const { ctx, cancel } = Context.background(kernel).withCancel("run");
  const pubsub = options.pubsub ?? new MemoryPubsub();
  const faults = new FaultWindows(scenario.faults);
  const outcomes = new JobOutcomes(kernel);
  const provisionerStats = new ProvisionerStats();
  const replicas = scenario.replicas.map(
    (r) =>
      new Replica(
        {
          kernel,
          clock,
          database,
          ctx,
          settings: scenario.settings,
          pubsub,
          faults,
          emit,
          ids: rng.stream(`replica/${r.name}`),
          ...(options.reconciler === undefined ? {} : { makeReconciler: options.reconciler }),
        },
        r.name,
        r.clockSkew,
      ),
  );
  const metrics = options.metrics === true ? new MetricsRecorder(replicas, scenario.sampleEvery) : null;
  // Set once the world task has seeded the database and started everything.
  let built:
    | {
        catalog: Catalog;
        followed: CatalogPreset[];
        sampler: Sampler;
        people: People;
        injector: FaultInjector;
      }
    | undefined;

  kernel.spawn(WORLD_ACTOR, async () => {
    const seeded = await seedWorld(
      database.connect(WORLD_ACTOR),
      scenario,
      rng.stream("seed"),
      scenario.start,
    );
    // After seeding: the deployment exists before anything can go wrong with it.
    installDatabaseFaults(database, scenario.faults);
    const followed = followedPresets(seeded, scenario.events);
    const sampler = new Sampler(
      database.driver,
      database.locks,
      scenario.sampleEvery,
      followed,
      metrics === null ? undefined : (t) => metrics.record(t),
    );
    // An observer task: however often it samples, the other tasks interleave exactly as without it.
    kernel.spawnObserver("sampler", () => sampler.run(kernel, ctx, clock, scenario.start));

    const agents = new AgentStarter({
      kernel,
      ctx,
      clock,
      store: database.connect("agents"),
      pubsub,
      readyAfter: scenario.provisioners.agentReadyAfter,
      // Upstream's reinitialised agent goes through the same start path as a first start.
      reinitAfter: scenario.provisioners.agentReinitAfter ?? scenario.provisioners.agentReadyAfter,
      stream: rng.stream("agents"),
      reinitStream: rng.stream("agents/reinit"),
      outcomes,
      emit,
      retryEvery: scenario.provisioners.pollInterval,
    });
    const provisionerIds = rng.stream("provisioner/ids");
    const provisionerDeps = {
      kernel,
      clock,
      config: scenario.provisioners,
      catalog: seeded,
      pubsub,
      faults,
      outcomes,
      agents,
      stats: provisionerStats,
      queue,
      emit,
      streams: {
        ids: provisionerIds,
        buildTime: rng.stream("provisioner/buildTime"),
        deleteTime: rng.stream("provisioner/deleteTime"),
        failures: rng.stream("provisioner/failures"),
        drift: rng.stream("provisioner/drift"),
      },
      onResourceReplacement: (
        build: { workspaceId: string; id: string },
        replacements: readonly ResourceReplacement[],
      ) => trackResourceReplacement(replicas, kernel, emit, build, replacements),
    };
    const provisionerd = database.connect("provisionerd");
    for (let i = 0; i < scenario.provisioners.daemons; i++) {
      const store = tracedStore(provisionerd, daemonName(i), emit);
      const daemon = new ProvisionerDaemon(provisionerDeps, i, provisionerIds.uuid(), store);
      kernel.spawn(daemon.name, () => daemon.run(ctx));
    }

    for (const replica of replicas) replica.start();

    const people = new People({
      kernel,
      clock,
      store: database.connect("api"),
      catalog: seeded,
      pubsub,
      outcomes,
      emit,
      choose: rng.stream("users/choose"),
      ids: rng.stream("users/ids"),
    });
    kernel.spawn("workload", () => people.run(ctx, planClaims(scenario, rng)));

    const operatorStore = tracedStore(database.connect(OPERATOR_ACTOR), OPERATOR_ACTOR, emit);
    kernel.spawn(OPERATOR_ACTOR, () =>
      runOperator(kernel, ctx, scenario.events, scenario.provisioners.pollInterval, {
        store: operatorStore,
        clock,
        catalog: seeded,
        emit,
      }),
    );
    const injector = new FaultInjector({
      kernel,
      ctx,
      clock,
      database,
      replicas,
      windows: faults,
      queue,
      emit,
      trigger: rng.stream("faults/trigger"),
    });
    kernel.spawn("faults", () => injector.run(scenario.faults));
    built = { catalog: seeded, followed, sampler, people, injector };
  });

  await kernel.run({ until: end });
  cancel(new Error(`run ended at ${new Date(end).toISOString()}`));
  await kernel.runUntilIdle();
  const abandoned = kernel.stop().map((t) => t.name);
  simulating = false;
  database.faults.clear();

  if (built === undefined) {
    const setup = kernel.failures.find((f) => f.task === WORLD_ACTOR);
    throw new Error(`simulate ${scenario.name}: setting up the world failed: ${errorMessage(setup?.error)}`, {
      cause: setup?.error,
    });
  }
  built.injector.finish();
  emit({ actor: WORLD_ACTOR, kind: "run.end", tasksFailed: kernel.failures.length });

  const registry = replicas.find((r) => r.up)?.registry ?? null;
  const presets = await readPresetEndValues(database.driver, registry, built.followed);
  const daemonTime = scenario.provisioners.daemons * scenario.duration;
  return {
    trace,
    timeseries: built.sampler.timeseries,
    failures: kernel.failures,
    claims: built.people.claims,
    provisioner: {
      jobs: provisionerStats.jobs,
      busyFraction: daemonTime > 0 ? provisionerStats.busyMs / daemonTime : 0,
      maxQueueDepth: queue.max,
      humanQueueWaitsMs: provisionerStats.humanQueueWaitsMs,
    },
    replicas: replicas.map((r) => r.stats),
    presets,
    catalog: built.catalog,
    store: database.connect("results"),
    database,
    end,
    abandonedTasks: abandoned,
    metrics: metrics?.series ?? null,
    cycles: cycleLog?.cycles ?? null,
  };
}
