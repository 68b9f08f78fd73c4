// A coderd replica (SCENARIOS.md `replicas`): its own StoreReconciler with its own view of time
// (the shared virtual clock read with the replica's skew), Prometheus registry, provision-notify
// queue and database connection (`Database.connect(name)`, so the lock manager sees it as a
// separate session). It can crash — its context is canceled with the cause, its connection lost
// (the lock lease ends at once), its store refuses further work — and restart as a new reconciler
// instance, as a restarted process would: fresh metrics, fresh in-memory state.
import { Registry } from "prom-client";
import type { Clock } from "../clock/types.ts";
import type { Database } from "../db/database.ts";
import type { Context, Kernel, RandomStream } from "../kernel/index.ts";
import { type ResourceReplacement, StoreNotificationsEnqueuer } from "../prebuilds/notifications.ts";
import type { ReconcilerObserver } from "../prebuilds/observer.ts";
import type { Pubsub } from "../prebuilds/pubsub.ts";
import { StoreReconciler, type StoreReconcilerOptions } from "../prebuilds/reconciler.ts";
import type { ReconcilerSettings } from "../scenario/scenario.ts";
import type { TraceRecord } from "../trace/trace.ts";
import { crashableStore } from "./crashableStore.ts";
import type { FaultWindows } from "./faultWindows.ts";
import type { Perturbations } from "./perturbations.ts";
import { SkewedClock } from "./skewedClock.ts";
import { staleSnapshotStore } from "./staleSnapshotStore.ts";
import { tracedStore } from "./tracedStore.ts";
import { TraceLogger } from "./traceLogger.ts";

/** What the replica's reconciler did, across its restarts. */
export interface ReplicaStats {
  readonly name: string;
  cycles: number;
  lockAcquired: number;
  /** Cycles that found the lock held by another replica. */
  lockSkipped: number;
  /** Cycles that ended with an error. */
  failedCycles: number;
  /** Virtual duration of every cycle, in order. */
  readonly cycleDurationsMs: number[];
  crashes: number;
  restarts: number;
}

export interface ReplicaDeps {
  readonly kernel: Kernel;
  /** The shared virtual clock; the replica reads it through its own skew. */
  readonly clock: Clock;
  readonly database: Database;
  /** The run's context: ending it ends every replica. */
  readonly ctx: Context;
  readonly settings: ReconcilerSettings;
  readonly pubsub: Pubsub;
  readonly faults: FaultWindows;
  /** The stale- and unobserved-state faults' rules (ticks, snapshots); the pubsub above carries the notification ones. */
  readonly perturbations: Perturbations;
  readonly emit: (record: TraceRecord) => void;
  /** Ids of the replica's workspaces, builds and notifications. */
  readonly ids: RandomStream;
  /** Builds each incarnation's reconciler (default: the port's). Tests inject deliberately broken variants. */
  readonly makeReconciler?: ReconcilerFactory;
}

export type ReconcilerFactory = (options: StoreReconcilerOptions) => StoreReconciler;

interface Incarnation {
  readonly reconciler: StoreReconciler;
  readonly registry: Registry;
  readonly cancel: (cause?: unknown) => void;
  up: boolean;
}

export class Replica {
  readonly clock: SkewedClock;
  readonly stats: ReplicaStats;
  #current: Incarnation | null = null;

  constructor(
    private readonly deps: ReplicaDeps,
    readonly name: string,
    clockSkew: number,
  ) {
    this.clock = new SkewedClock(deps.clock, clockSkew, (ticker, due) =>
      deps.perturbations.missTick(name, ticker, due),
    );
    this.stats = {
      name,
      cycles: 0,
      lockAcquired: 0,
      lockSkipped: 0,
      failedCycles: 0,
      cycleDurationsMs: [],
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
    const { kernel, database, ctx, settings, pubsub, faults, emit, ids } = this.deps;
    if (this.#current !== null) this.stats.restarts += 1;
    const { ctx: runCtx, cancel } = ctx.withCancel(`${this.name} process`);
    const registry = new Registry();
    const incarnation: { up: boolean } = { up: true };
    const store = staleSnapshotStore(
      tracedStore(
        crashableStore(database.connect(this.name), this.name, () => incarnation.up),
        this.name,
        emit,
      ),
      this.name,
      this.deps.clock,
      this.deps.perturbations,
    );
    const makeReconciler = this.deps.makeReconciler ?? ((o) => new StoreReconciler(o));
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
      observer: this.#observer(),
      provisionNotifyRefused: () => faults.notificationsRefused(this.deps.clock.now()),
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
    return this.deps.database.loseConnection(this.name);
  }

  #observer(): ReconcilerObserver {
    const actor = this.name;
    const { emit } = this.deps;
    const stats = this.stats;
    return {
      cycleStart: (e) => emit({ actor, kind: "reconcile.cycle.start", ...e }),
      cycleEnd: (e) => {
        stats.cycles += 1;
        stats.cycleDurationsMs.push(e.elapsedMs);
        if (e.error !== undefined) stats.failedCycles += 1;
        if (e.lockAcquired) stats.lockAcquired += 1;
        else if (e.error === undefined) stats.lockSkipped += 1;
        emit({ actor, kind: "reconcile.cycle.end", ...e });
      },
      presetEvaluated: (e) => emit({ actor, kind: "reconcile.preset", ...e }),
      presetStatusChanged: (e) => emit({ actor, kind: "preset.status", ...e }),
      jobNotificationDropped: (e) => emit({ actor, kind: "notify.drop", ...e }),
    };
  }
}

/**
 * Upstream's provisioner server hands a claim's resource replacements to the coderd replica it
 * talks to; here, the first replica that is up. Fire-and-forget, as upstream: its own task.
 */
export function trackResourceReplacement(
  replicas: readonly Replica[],
  kernel: Kernel,
  emit: (record: TraceRecord) => void,
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
