// Reconciler tests run under the kernel, on the file's one PGlite (reset before every test): the
// reconciler's tasks, channels and task groups need a scheduler, and its clock is the kernel's
// virtual clock. With the default zero database latency, Store calls never park, so fixtures can be
// written from the test body; code that waits runs inside `runTask`.
import { Registry } from "prom-client";
import { beforeEach } from "vitest";
import type { Duration } from "../../src/clock/types.ts";
import type { VirtualClock } from "../../src/clock/virtual-clock.ts";
import { Database } from "../../src/db/database.ts";
import { DbFixtures } from "../../src/db/fixtures.ts";
import type { Store } from "../../src/db/store.ts";
import { Context, Kernel, type SchedulingPolicy } from "../../src/kernel/index.ts";
import type { DurationDistribution, RandomStream } from "../../src/kernel/rng.ts";
import type { PrebuildsConfig } from "../../src/prebuilds/config.ts";
import { MemoryLogger } from "../../src/prebuilds/logger.ts";
import type { NotificationsEnqueuer } from "../../src/prebuilds/notifications.ts";
import { StoreNotificationsEnqueuer } from "../../src/prebuilds/notifications.ts";
import type { Pubsub } from "../../src/prebuilds/pubsub.ts";
import { MemoryPubsub } from "../../src/prebuilds/pubsub.ts";
import { StoreReconciler, type StoreReconcilerOptions } from "../../src/prebuilds/reconciler.ts";
import { T0, useDriver } from "./harness.ts";

export interface SimulationOptions {
  seed?: number | string;
  policy?: SchedulingPolicy;
  latency?: DurationDistribution;
}

export interface SimContext {
  readonly kernel: Kernel;
  readonly clock: VirtualClock;
  readonly db: Database;
  /** The root store of connection "replica-0". */
  readonly store: Store;
  readonly fx: DbFixtures;
  readonly ids: RandomStream;
  readonly logger: MemoryLogger;
  readonly background: Context;
  readonly pubsub: MemoryPubsub;
  /** A reconciler on `store` (or another connection), with a fresh registry unless told. */
  newReconciler(options?: ReconcilerTestOptions): StoreReconciler;
  /** Spawns `fn` as a task and drives the kernel until it has finished; returns or throws its result. */
  runTask<T>(fn: () => Promise<T>, options?: { step?: Duration }): Promise<T>;
  /** Starts `reconciler.run` as a task; `stop` stops it and checks that the loop ended. */
  newRunLoop(reconciler: StoreReconciler): RunLoop;
}

export interface RunLoop {
  readonly finished: () => boolean;
  stop(cause?: unknown): Promise<void>;
}

export interface ReconcilerTestOptions {
  config?: Partial<PrebuildsConfig>;
  connection?: string;
  /** Replaces the connection's root store (e.g. a wrapper that fails some writes). */
  store?: Store;
  registry?: Registry | null;
  pubsub?: Pubsub | null;
  notifier?: NotificationsEnqueuer | null;
  hooks?: StoreReconcilerOptions["hooks"];
  maxDBConnections?: number;
  notifyFailureLimitReached?: boolean;
}

export function useSimulation(options: SimulationOptions = {}): () => SimContext {
  const driver = useDriver();
  let current: SimContext | undefined;
  beforeEach(async () => {
    current = await newSimulation(driver(), options);
  });
  return () => {
    if (current === undefined) throw new Error("kernel harness: context used outside a test");
    return current;
  };
}

async function newSimulation(
  driver: Parameters<typeof Database.open>[0]["driver"],
  options: SimulationOptions,
): Promise<SimContext> {
  const kernel = new Kernel({ seed: options.seed ?? 1, policy: options.policy ?? "fifo", start: T0 });
  const clock = kernel.clock;
  const db = await Database.open({
    driver,
    clock,
    rng: kernel.rng,
    ...(options.latency === undefined ? {} : { latency: options.latency }),
  });
  const store = db.connect("replica-0");
  const fx = new DbFixtures(store, { ids: kernel.rng.stream("fixtures"), now: () => clock.now() });
  const logger = new MemoryLogger();
  const pubsub = new MemoryPubsub();
  const background = Context.background(kernel);
  let reconcilers = 0;

  const runTask = async <T>(fn: () => Promise<T>, runOptions: { step?: Duration } = {}): Promise<T> => {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    kernel.spawn("test", async () => {
      try {
        outcome = { ok: true, value: await fn() };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
    const step = runOptions.step ?? 0;
    while (outcome === undefined) {
      const before = clock.now();
      await kernel.run({ until: before + step });
      if (outcome === undefined && step === 0) {
        throw new Error("runTask: the task waits for virtual time to pass; give a step");
      }
    }
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  };

  const newReconciler = (o: ReconcilerTestOptions = {}): StoreReconciler => {
    const connection = o.connection ?? "replica-0";
    const reconcilerStore = o.store ?? db.connect(connection);
    const ids = kernel.rng.stream(`reconciler-${reconcilers++}`);
    return new StoreReconciler({
      kernel,
      store: reconcilerStore,
      clock,
      ids,
      name: connection,
      logger,
      config: o.config ?? {},
      registry: o.registry === undefined ? new Registry() : o.registry,
      pubsub: o.pubsub === undefined ? pubsub : o.pubsub,
      notifier:
        o.notifier === undefined
          ? new StoreNotificationsEnqueuer(
              reconcilerStore,
              clock,
              kernel.rng.stream(`notifications-${connection}`),
            )
          : o.notifier,
      ...(o.hooks === undefined ? {} : { hooks: o.hooks }),
      ...(o.maxDBConnections === undefined ? {} : { maxDBConnections: o.maxDBConnections }),
      ...(o.notifyFailureLimitReached === undefined
        ? {}
        : { notifyFailureLimitReached: o.notifyFailureLimitReached }),
    });
  };

  const newRunLoop = (reconciler: StoreReconciler): RunLoop => {
    let finished = false;
    kernel.spawn("run loop", async () => {
      await reconciler.run(background);
      finished = true;
    });
    return {
      finished: () => finished,
      async stop(cause?: unknown) {
        await runTask(() => reconciler.stop(background, cause));
        if (!finished) throw new Error("run loop: stop returned but the loop has not ended");
      },
    };
  };

  return {
    kernel,
    clock,
    db,
    store,
    fx,
    ids: kernel.rng.stream("test-ids"),
    logger,
    background,
    pubsub,
    newReconciler,
    runTask,
    newRunLoop,
  };
}
