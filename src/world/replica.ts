// A coderd replica (SCENARIOS.md `replicas`): its own StoreReconciler with its own view of time
// (the shared virtual clock read with the replica's skew), Prometheus registry, provision-notify
// queue and database connection (`Database.connect(name)`, so the lock manager sees it as a
// separate session). It can crash — its context is canceled with the cause, its connection lost
// (the lock lease ends at once), its store refuses further work — and restart as a new reconciler
// instance, as a restarted process would: fresh metrics, fresh in-memory state.
import { Registry } from "prom-client";
import type { RandomStream } from "../kernel/index.ts";
import { type ResourceReplacement, StoreNotificationsEnqueuer } from "../prebuilds/notifications.ts";
import { StoreReconciler, type StoreReconcilerOptions } from "../prebuilds/reconciler.ts";
import type { ReconcilerSettings } from "../scenario/scenario.ts";
import { crashableStore } from "./crashableStore.ts";
import { reconcilerHooks } from "./reconcilerHooks.ts";
import { SkewedClock } from "./skewedClock.ts";
import { staleSnapshotStore } from "./staleSnapshotStore.ts";
import { TraceLogger } from "./traceLogger.ts";
import type { World } from "./world.ts";

/**
 * What only the world knows of a replica: its crashes and restarts. Its cycles, lock outcomes and
 * cycle durations are counted once, from the trace (src/check/statistics.ts, summary.json).
 */
export interface ReplicaStats {
  readonly name: string;
  crashes: number;
  restarts: number;
}

/**
 * What a replica uses of the world: the shared virtual clock (read through the replica's skew),
 * the database (its own connection), the run's context (ending it ends every replica), the
 * pubsub and the fault windows its reconciler's hooks ask.
 */
export type ReplicaWorld = Pick<
  World,
  | "kernel"
  | "clock"
  | "database"
  | "ctx"
  | "perturbedPubsub"
  | "perturbations"
  | "faults"
  | "emit"
  | "stream"
  | "traced"
>;

export interface ReplicaOptions {
  /** `replica-N`: its connection, its trace actor, its stream of ids. */
  readonly name: string;
  /** Milliseconds the replica's clock runs ahead (negative: behind) of the shared one. */
  readonly clockSkew: number;
  readonly settings: ReconcilerSettings;
  /** Builds each incarnation's reconciler (default: the port's). Tests inject deliberately broken variants. */
  readonly makeReconciler?: ReconcilerFactory | undefined;
}

export type ReconcilerFactory = (options: StoreReconcilerOptions) => StoreReconciler;

interface Incarnation {
  readonly reconciler: StoreReconciler;
  readonly registry: Registry;
  readonly cancel: (cause?: unknown) => void;
  up: boolean;
}

export class Replica {
  readonly name: string;
  readonly clock: SkewedClock;
  readonly stats: ReplicaStats;
  /** Ids of the replica's workspaces, builds and notifications. */
  readonly #ids: RandomStream;
  #current: Incarnation | null = null;

  constructor(
    private readonly world: ReplicaWorld,
    private readonly options: ReplicaOptions,
  ) {
    const { name } = options;
    this.name = name;
    this.clock = new SkewedClock(world.clock, options.clockSkew, (ticker, due) =>
      world.perturbations.missTick(name, ticker, due),
    );
    this.#ids = world.stream(`replica/${name}`);
    this.stats = {
      name,
      crashes: 0,
      restarts: 0,
    };
  }

  /** Whether the replica's process is running. */
  get up(): boolean {
    return this.#current?.up ?? false;
  }

  /** The running reconciler, or null while the replica is down. */
  get reconciler(): StoreReconciler | null {
    return this.#current?.up === true ? this.#current.reconciler : null;
  }

  /** The running process's metrics registry, or null while the replica is down. */
  get registry(): Registry | null {
    return this.#current?.up === true ? this.#current.registry : null;
  }

  /** Starts a new process: a new reconciler instance running as its own task. */
  start(): void {
    if (this.up) throw new Error(`replica ${this.name}: start while already running`);
    const { kernel, database, ctx, perturbedPubsub: pubsub, faults, emit } = this.world;
    const { settings } = this.options;
    const ids = this.#ids;
    if (this.#current !== null) this.stats.restarts += 1;
    const { ctx: runCtx, cancel } = ctx.withCancel(`${this.name} process`);
    const registry = new Registry();
    const incarnation: { up: boolean } = { up: true };
    const store = staleSnapshotStore(
      this.world.traced(
        crashableStore(database.connect(this.name), this.name, () => incarnation.up),
        this.name,
      ),
      this.name,
      this.world.clock,
      this.world.perturbations,
    );
    const makeReconciler = this.options.makeReconciler ?? ((o) => new StoreReconciler(o));
    const reconciler = makeReconciler({
      kernel,
      store,
      clock: this.clock,
      ids,
      config: {
        reconciliationInterval: settings.reconciliationInterval,
        reconciliationBackoffInterval: settings.reconciliationBackoffInterval,
        reconciliationBackoffLookback: settings.reconciliationBackoffLookback,
        failureHardLimit: settings.failureHardLimit,
      },
      logger: new TraceLogger(this.name, emit),
      name: this.name,
      registry,
      notifier: new StoreNotificationsEnqueuer(store, this.clock, ids),
      pubsub,
      maxDBConnections: settings.maxDBConnections,
      hooks: reconcilerHooks({ actor: this.name, emit, faults, clock: this.world.clock }),
    });
    this.#current = Object.assign(incarnation, { reconciler, registry, cancel });
    kernel.spawn(`${this.name}/reconciler`, () => reconciler.run(runCtx));
  }

  /**
   * The process dies: its tasks are canceled with `cause`, its connection is lost (ending the lock
   * lease mid-cycle if it held it), and its store refuses every further call. Returns the lock
   * leases the lost connection ended.
   */
  crash(cause: Error): number {
    const current = this.#current;
    if (current === null || !current.up) throw new Error(`replica ${this.name}: crash while already down`);
    current.up = false;
    this.stats.crashes += 1;
    current.cancel(cause);
    return this.world.database.loseConnection(this.name);
  }
}

/**
 * Upstream's provisioner server hands a claim's resource replacements to the coderd replica it
 * talks to; here, the first replica that is up. Fire-and-forget, as upstream: its own task.
 */
export function trackResourceReplacement(
  { kernel, emit }: Pick<World, "kernel" | "emit">,
  replicas: readonly Replica[],
  build: { workspaceId: string; id: string },
  replacements: readonly ResourceReplacement[],
): void {
  const reconciler = replicas.find((r) => r.up)?.reconciler ?? null;
  if (reconciler === null) {
    emit({
      actor: "world",
      kind: "log",
      level: "warn",
      msg: "no replica up to track a resource replacement",
      fields: { workspace_id: build.workspaceId },
    });
    return;
  }
  kernel.spawn("track-resource-replacement", () =>
    reconciler.trackResourceReplacement(build.workspaceId, build.id, replacements),
  );
}
