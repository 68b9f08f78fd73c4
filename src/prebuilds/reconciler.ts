// The StoreReconciler (spec §4): the effectful shell around the pure state machine. Each cycle
// takes the reconciliation lock, reads the pause setting, reconciles the prebuilds user's
// memberships, snapshots the database once, and runs every preset's actions (create, delete,
// cancel pending) as tasks bounded by the reconciliation concurrency. Names follow upstream's
// `enterprise/coderd/prebuilds/reconcile.go` in camelCase.
//
// Goroutines are kernel tasks; `select`, channels and the errgroup are the kernel's. Upstream's
// long lock transaction is the Store's lock session (spec §12): a read-only `inTx` on the root
// store whose `tryAcquireLock` leases the lock until the callback returns, while every write goes
// through the root store in its own short transaction.
import { Histogram, type Registry } from "prom-client";
import { type Clock, type Duration, SECOND } from "../clock/types.ts";
import type { ProvisionerJobRow, TemplateRow, WorkspaceRow, WorkspaceTransition } from "../db/rows.ts";
import type { Store } from "../db/store.ts";
import { Channel, CLOSED, Context, type Kernel, select, TaskGroup, WaitGroup } from "../kernel/index.ts";
import type { RandomStream } from "../kernel/rng.ts";
import { buildErrorStatus, HttpStatus } from "./buildError.ts";
import { reconciliationConcurrency } from "./concurrency.ts";
import {
  DEFAULT_MAX_DB_CONNECTIONS,
  DEFAULT_PREBUILDS_CONFIG,
  FALLBACK_RECONCILIATION_INTERVAL,
  type PrebuildsConfig,
} from "./config.ts";
import { DeprovisionMode, LockId, PREBUILDS_GROUP_NAME, PREBUILDS_SYSTEM_USER_ID } from "./constants.ts";
import { errorMessage, joinErrors, wrapError } from "./errors.ts";
import { GlobalSnapshot } from "./globalSnapshot.ts";
import { type Logger, nullLogger } from "./logger.ts";
import { StoreMembershipReconciler } from "./membership.ts";
import {
  METRICS_UPDATE_INTERVAL,
  METRICS_UPDATE_TIMEOUT,
  MetricsCollector,
  type PresetKey,
} from "./metricsCollector.ts";
import {
  failureLimitReachedNotification,
  type NotificationsEnqueuer,
  notifyTemplateAdmins,
  type ResourceReplacement,
  resourceReplacedNotification,
} from "./notifications.ts";
import { generatePrebuildName } from "./prebuildName.ts";
import type { PresetSnapshot } from "./presetSnapshot.ts";
import { type Pubsub, postJob } from "./pubsub.ts";
import { ActionType, actionTypeName, isNoop, type ReconciliationActions } from "./reconciliationActions.ts";
import { getPrebuildsSettings } from "./settings.ts";
import {
  actionReportFields,
  NO_SIMULATION_HOOKS,
  presetReportKey,
  type SimulationHooks,
  stateReportFields,
} from "./simulationHooks.ts";
import { WorkspaceBuilder } from "./workspaceBuilder.ts";

export const RECONCILIATION_DURATION_METRIC = "coderd_prebuilds_reconciliation_duration_seconds";
/** Upstream's provisionNotifyCh buffer: a burst beyond it is dropped (provisioners poll anyway). */
export const PROVISION_NOTIFY_CAPACITY = 10;

/** What one ReconcileAll did (upstream `ReconcileStats`). */
export interface ReconcileStats {
  /** Virtual time the cycle took, lock wait included; always set. */
  readonly elapsed: Duration;
  readonly presetsTotal: number;
  /** Presets that got a task (the others could be skipped). */
  readonly presetsReconciled: number;
}

/** A failed ReconcileAll: the cause, and the stats it still has. */
export class ReconcileAllError extends Error {
  override readonly name = "ReconcileAllError";
  constructor(
    readonly stats: ReconcileStats,
    cause: unknown,
  ) {
    super(`reconcile all: ${errorMessage(cause)}`, { cause });
  }
}

export interface StoreReconcilerOptions {
  readonly kernel: Kernel;
  /** The replica's root store (its connection). */
  readonly store: Store;
  /** The replica's view of time (the world may skew it). */
  readonly clock: Clock;
  /** Where new workspace ids and prebuild names come from. */
  readonly ids: RandomStream;
  readonly config?: Partial<PrebuildsConfig>;
  readonly logger?: Logger;
  /** Names the reconciler's tasks (e.g. the replica). */
  readonly name?: string;
  /** null = no metrics (upstream's nil registerer). */
  readonly registry?: Registry | null;
  readonly notifier?: NotificationsEnqueuer | null;
  /** Where "job posted" is published; null = nowhere (provisioners poll). */
  readonly pubsub?: Pubsub | null;
  /** The replica's connection pool size, which sets the preset concurrency (spec §4.1). */
  readonly maxDBConnections?: number;
  /** The simulation's view into the reconciler (default none: upstream's behaviour). */
  readonly hooks?: SimulationHooks;
  /**
   * Send "Prebuild Failure Limit Reached" to template admins once, when a preset becomes
   * hard-limited. Off by default: upstream sends nothing (spec §7.2, §12).
   */
  readonly notifyFailureLimitReached?: boolean;
}

type LockedFn = (ctx: Context, lockTx: Store) => Promise<void>;

export class StoreReconciler {
  readonly config: PrebuildsConfig;
  /** How many presets one cycle reconciles at once. */
  readonly concurrency: number;
  readonly #kernel: Kernel;
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #ids: RandomStream;
  readonly #logger: Logger;
  readonly #name: string;
  readonly #registry: Registry | null;
  readonly #notifier: NotificationsEnqueuer | null;
  readonly #pubsub: Pubsub | null;
  readonly #hooks: SimulationHooks;
  readonly #notifyFailureLimitReached: boolean;
  readonly #metrics: MetricsCollector | null = null;
  readonly #duration: Histogram | null = null;
  readonly #membership: StoreMembershipReconciler;
  readonly #provisionNotifyCh: Channel<ProvisionerJobRow>;
  readonly #done: Channel<true>;
  #running = false;
  #stopped = false;
  #cancel: ((cause?: unknown) => void) | null = null;

  constructor(options: StoreReconcilerOptions) {
    this.#kernel = options.kernel;
    this.#store = options.store;
    this.#clock = options.clock;
    this.#ids = options.ids;
    this.config = { ...DEFAULT_PREBUILDS_CONFIG, ...options.config };
    this.#name = options.name ?? "prebuilds";
    this.#logger = (options.logger ?? nullLogger).with({ component: "prebuilds", replica: this.#name });
    this.#registry = options.registry ?? null;
    this.#notifier = options.notifier ?? null;
    this.#pubsub = options.pubsub ?? null;
    this.#hooks = options.hooks ?? NO_SIMULATION_HOOKS;
    this.#notifyFailureLimitReached = options.notifyFailureLimitReached ?? false;
    this.concurrency = reconciliationConcurrency(options.maxDBConnections ?? DEFAULT_MAX_DB_CONNECTIONS);
    this.#membership = new StoreMembershipReconciler(this.#store, this.#clock, this.#ids);
    this.#provisionNotifyCh = new Channel(
      this.#kernel,
      `${this.#name} provision notify`,
      PROVISION_NOTIFY_CAPACITY,
    );
    this.#done = new Channel(this.#kernel, `${this.#name} reconciler done`, 1);

    if (this.#registry !== null) {
      const metrics = new MetricsCollector(
        this.#store,
        this.#logger,
        (s) => this.#snapshotForMetrics(s),
        this.#clock,
      );
      try {
        metrics.register(this.#registry);
      } catch (err) {
        // Not fatal, as upstream: the reconciler works without its metrics.
        this.#logger.error("failed to register prometheus metrics", { error: errorMessage(err) });
      }
      this.#metrics = metrics;
      const duration = new Histogram({
        name: RECONCILIATION_DURATION_METRIC,
        help: "Duration of each prebuilds reconciliation cycle.",
        registers: [],
      });
      try {
        this.#registry.registerMetric(duration);
      } catch (err) {
        this.#logger.error("failed to register reconciliation duration histogram", {
          error: errorMessage(err),
        });
      }
      this.#duration = duration;
    }
  }

  /** The metrics collector, when a registry was given. */
  get metrics(): MetricsCollector | null {
    return this.#metrics;
  }

  /** Job notifications waiting for the publisher. */
  get provisionNotifyQueueLength(): number {
    return this.#provisionNotifyCh.length;
  }

  /**
   * The loop (spec §4.2): a cycle on every tick of a `("prebuilds", "reconcile")` ticker — the
   * first one interval after start — until `ctx` or `stop` cancels it. Returns once the metrics
   * refresher and the job publisher have ended too. A stopped or running reconciler returns at once.
   */
  async run(ctx: Context): Promise<void> {
    const interval =
      this.config.reconciliationInterval > 0
        ? this.config.reconciliationInterval
        : FALLBACK_RECONCILIATION_INTERVAL;
    this.#logger.info("starting reconciler", {
      interval,
      backoff_interval: this.config.reconciliationBackoffInterval,
      backoff_lookback: this.config.reconciliationBackoffLookback,
    });
    if (this.#stopped || this.#running) return;
    const { ctx: runCtx, cancel } = ctx.withCancel(`${this.#name} reconciler`);
    this.#cancel = cancel;
    this.#running = true;

    const ticker = await this.#clock.newTickerAsync(interval, "prebuilds", "reconcile");
    const background = new WaitGroup(this.#kernel, `${this.#name} reconciler background`);
    const metrics = this.#metrics;
    if (metrics !== null) {
      background.add(1);
      this.#kernel.spawn(`${this.#name}/metrics`, async () => {
        try {
          await metrics.backgroundFetch(runCtx.signal, METRICS_UPDATE_INTERVAL, METRICS_UPDATE_TIMEOUT);
        } finally {
          background.done();
        }
      });
    }
    // Publishing happens outside database transactions (upstream: the pubsub needs a connection).
    background.add(1);
    this.#kernel.spawn(`${this.#name}/provision-notify`, async () => {
      try {
        await this.#publishProvisionerJobs(runCtx);
      } finally {
        background.done();
      }
    });

    try {
      for (;;) {
        const selected = await select(this.#kernel, runCtx, ticker.c);
        if (selected.index === 0) {
          this.#logger.warn("reconciliation loop exited", {
            error: errorMessage(runCtx.err),
            cause: errorMessage(runCtx.cause),
          });
          return;
        }
        await this.#reconcileTick(runCtx);
      }
    } finally {
      ticker.stop();
      // Ends the metrics refresher and the publisher when the loop ends any other way, too.
      cancel();
      await background.wait();
      this.#done.trySend(true);
    }
  }

  /**
   * Stops the loop with `cause` and waits for it to end, or for `ctx` to give up (spec §4.3).
   * Idempotent; unregisters the metrics; a stopped reconciler cannot run again.
   */
  async stop(ctx: Context, cause?: unknown): Promise<void> {
    if (cause !== undefined) {
      this.#logger.error("stopping reconciler due to an error", { error: errorMessage(cause) });
    } else {
      this.#logger.info("gracefully stopping reconciler");
    }
    if (this.#stopped) return;
    this.#stopped = true;

    if (this.#registry !== null) {
      const metricsGone = this.#metrics === null || this.#metrics.unregister(this.#registry);
      const durationGone = this.#duration === null || this.#unregisterDuration(this.#registry);
      if (!metricsGone || !durationGone) this.#logger.warn("failed to unregister metrics collector");
    }
    if (!this.#running) return;
    this.#cancel?.(cause);
    const selected = await select(this.#kernel, ctx, this.#done);
    if (selected.index === 0) {
      this.#logger.error("reconciler stop exited prematurely", {
        error: errorMessage(ctx.err),
        cause: errorMessage(ctx.cause),
      });
    } else {
      this.#logger.info("reconciler stopped");
    }
    this.#running = false;
  }

  #unregisterDuration(registry: Registry): boolean {
    if (registry.getSingleMetric(RECONCILIATION_DURATION_METRIC) !== this.#duration) return false;
    registry.removeSingleMetric(RECONCILIATION_DURATION_METRIC);
    return true;
  }

  async #reconcileTick(ctx: Context): Promise<void> {
    let stats: ReconcileStats;
    try {
      stats = await this.reconcileAll(ctx);
    } catch (err) {
      this.#logger.error("reconciliation failed", { error: errorMessage(err) });
      if (!(err instanceof ReconcileAllError)) throw err;
      stats = err.stats;
    }
    // deviation: virtual seconds, observed explicitly: prom-client's timers would read real time (spec §12: TTL, the virtual clock)
    this.#duration?.observe(stats.elapsed / SECOND);
    this.#logger.debug("reconciliation stats", {
      elapsed: stats.elapsed,
      presets_total: stats.presetsTotal,
      presets_reconciled: stats.presetsReconciled,
    });
  }

  /**
   * One cycle (spec §4.4). Rejects with a ReconcileAllError (carrying the stats) when the lock,
   * the settings, the membership or the snapshot fail; per-preset failures are only logged.
   */
  async reconcileAll(ctx: Context): Promise<ReconcileStats> {
    const start = this.#clock.now();
    const logger = this.#logger.with({ reconcile_context: "all" });
    this.#hooks.cycleStart?.({}); // simulation hook: observation (upstream: a tracer span)
    let presetsTotal = 0;
    let presetsReconciled = 0;
    let paused = false;
    let lockAcquired = false;
    let failure: unknown = null;

    if (ctx.canceled) {
      logger.warn("reconcile exiting prematurely; context done", { error: errorMessage(ctx.err) });
    } else {
      logger.debug("starting reconciliation");
      try {
        // Set inside the body, so a cycle that holds the lock and then fails still reports it.
        await this.withReconciliationLock(ctx, logger, async (lockedCtx, lockTx) => {
          lockAcquired = true;
          const settings = await getPrebuildsSettings(lockTx);
          this.#metrics?.setReconciliationPaused(settings.reconciliationPaused);
          if (settings.reconciliationPaused) {
            paused = true;
            logger.info("prebuilds reconciliation is paused, skipping reconciliation");
            return;
          }

          try {
            await this.#membership.reconcileAll(PREBUILDS_SYSTEM_USER_ID, PREBUILDS_GROUP_NAME);
          } catch (err) {
            throw wrapError("reconcile prebuild membership", err);
          }

          let snapshot: GlobalSnapshot;
          try {
            snapshot = await this.snapshotState(lockedCtx, lockTx);
          } catch (err) {
            throw wrapError("determine current snapshot", err);
          }
          this.#reportHardLimitedPresets(snapshot);
          this.#reportValidationFailedPresets(snapshot);
          if (snapshot.presets.length === 0) {
            logger.debug("no templates found with prebuilds configured");
            return;
          }

          const group = new TaskGroup(this.#kernel, `${this.#name}/presets`, { limit: this.concurrency });
          for (const preset of snapshot.presets) {
            let ps: PresetSnapshot;
            try {
              ps = snapshot.filterByPreset(preset.id);
            } catch (err) {
              logger.warn("failed to find preset snapshot", {
                error: errorMessage(err),
                preset_id: preset.id,
              });
              continue;
            }
            if (ps.canSkipReconciliation()) {
              logger.debug("skipping reconciliation for preset - nothing has to be done", {
                preset_id: preset.id,
              });
              continue;
            }
            presetsReconciled++;
            // deviation: a kernel task, interleaved by the seeded scheduler, not a goroutine (spec §12: preset tasks)
            await group.go(presetReportKey(preset), async () => {
              try {
                await this.reconcilePreset(lockedCtx, ps);
              } catch (err) {
                // Swallowed: one failing preset must not end the others or the lock.
                logger.error("failed to reconcile prebuilds for preset", {
                  error: errorMessage(err),
                  preset_id: preset.id,
                });
              }
            });
          }
          presetsTotal = snapshot.presets.length;
          // The lock is released only when every preset task has finished.
          await group.wait();
        });
      } catch (err) {
        failure = err;
        logger.error("failed to reconcile", { error: errorMessage(err) });
      }
    }

    const stats: ReconcileStats = { elapsed: this.#clock.since(start), presetsTotal, presetsReconciled };
    // simulation hook: observation (upstream: the span's end and the stats log)
    this.#hooks.cycleEnd?.({
      elapsedMs: stats.elapsed,
      lockAcquired,
      paused,
      presetsTotal,
      presetsReconciled,
      ...(failure === null ? {} : { error: errorMessage(failure) }),
    });
    if (failure !== null) throw new ReconcileAllError(stats, failure);
    return stats;
  }

  /**
   * Runs `fn` holding the reconciliation lock, in a read-only repeatable-read lock session; the
   * lock lasts until `fn` settles (spec §4.5). Resolves false without calling `fn` when another
   * replica holds the lock — the normal multi-replica case.
   */
  async withReconciliationLock(ctx: Context, logger: Logger, fn: LockedFn): Promise<boolean> {
    let acquired = false;
    // deviation: a lock session of the simulated lock manager, not one long REPEATABLE READ transaction (spec §12: lock transaction)
    await this.#store.inTx(
      async (lockTx) => {
        const start = this.#clock.now();
        let ok: boolean;
        try {
          ok = await lockTx.tryAcquireLock(LockId.ReconcilePrebuilds);
        } catch (err) {
          logger.error("failed to acquire reconciliation lock due to database error", {
            error: errorMessage(err),
          });
          throw err;
        }
        if (!ok) return;
        acquired = true;
        logger.debug("acquired top-level reconciliation lock", {
          acquire_wait_secs: (this.#clock.since(start) / SECOND).toFixed(4),
        });
        await fn(ctx, lockTx);
      },
      { isolation: "repeatable read", readOnly: true, txIdentifier: "prebuilds.WithReconciliationLock" },
    );
    return acquired;
  }

  /** Every query of the snapshot, in one repeatable-read read-only transaction (spec §4.6). */
  async snapshotState(ctx: Context, store: Store): Promise<GlobalSnapshot> {
    if (ctx.canceled) throw ctx.err;
    const lookback = this.#clock.now() - this.config.reconciliationBackoffLookback;
    return store.inTx(
      async (db) => {
        const step = async <T>(what: string, query: () => Promise<T>): Promise<T> => {
          try {
            return await query();
          } catch (err) {
            throw wrapError(`failed to get ${what}`, err);
          }
        };
        const presets = await step("template presets with prebuilds", () =>
          db.getTemplatePresetsWithPrebuilds(null),
        );
        if (presets.length === 0) return this.#newSnapshot({ presets });
        const prebuildSchedules = await step("preset prebuild schedules", () =>
          db.getActivePresetPrebuildSchedules(),
        );
        const runningPrebuilds = await step("running prebuilds", () => db.getRunningPrebuiltWorkspaces());
        const prebuildsInProgress = await step("prebuilds in progress", () => db.countInProgressPrebuilds());
        const pendingPrebuilds = await step("pending prebuilds", () => db.countPendingNonActivePrebuilds());
        const backoffs = await step("backoffs for presets", () => db.getPresetsBackoff(lookback));
        const hardLimitedPresets = await step("hard limited presets", () =>
          db.getPresetsAtFailureLimit(this.config.failureHardLimit),
        );
        return this.#newSnapshot({
          presets,
          prebuildSchedules,
          runningPrebuilds,
          prebuildsInProgress,
          pendingPrebuilds,
          backoffs,
          hardLimitedPresets,
        });
      },
      { isolation: "repeatable read", readOnly: true, txIdentifier: "prebuilds_state_determination" },
    );
  }

  #newSnapshot(rows: Partial<ConstructorParameters<typeof GlobalSnapshot>[0]>): GlobalSnapshot {
    return new GlobalSnapshot({
      presets: rows.presets ?? [],
      prebuildSchedules: rows.prebuildSchedules ?? [],
      runningPrebuilds: rows.runningPrebuilds ?? [],
      prebuildsInProgress: rows.prebuildsInProgress ?? [],
      pendingPrebuilds: rows.pendingPrebuilds ?? [],
      backoffs: rows.backoffs ?? [],
      hardLimitedPresets: rows.hardLimitedPresets ?? [],
      clock: this.#clock,
      logger: this.#logger,
    });
  }

  #snapshotForMetrics(store: Store): Promise<GlobalSnapshot> {
    // Upstream runs this snapshot in its own repeatable-read transaction. A read-only `inTx` on a
    // root store is a lock session here (statements park one by one), so open the session first:
    // `snapshotState`'s `inTx` nested on it is then one atomic transaction, as upstream's is.
    return store.inTx((session) => this.snapshotState(Context.background(this.#kernel), session), {
      isolation: "repeatable read",
      readOnly: true,
      txIdentifier: "prebuilds.metricsSnapshot",
    });
  }

  /** Upstream `CalculateActions`: the preset's actions, unless the cycle was canceled. */
  calculateActions(ctx: Context, ps: PresetSnapshot): ReconciliationActions[] {
    if (ctx.canceled) throw ctx.err;
    return ps.calculateActions(this.config.reconciliationBackoffInterval);
  }

  /**
   * One preset (spec §4.7): persist a newly reached hard limit, then run every calculated action;
   * all are attempted, and their failures are returned together.
   */
  async reconcilePreset(ctx: Context, ps: PresetSnapshot): Promise<void> {
    const preset = ps.preset;
    const key = presetReportKey(preset);
    const logger = this.#logger.with({
      template_id: preset.templateId,
      template_name: preset.templateName,
      template_version_id: preset.templateVersionId,
      template_version_name: preset.templateVersionName,
      preset_id: preset.id,
      preset_name: preset.name,
    });

    if (preset.prebuildStatus !== "hard_limited" && ps.isHardLimited) {
      logger.warn("preset is hard limited, notifying template admins");
      try {
        await this.#store.updatePresetPrebuildStatus({ presetId: preset.id, status: "hard_limited" });
      } catch (err) {
        throw wrapError(`failed to update preset ${key} prebuild status`, err);
      }
      this.#hooks.presetStatusChanged?.({ preset: key, presetId: preset.id, status: "hard_limited" }); // simulation hook: observation
      // deviation: upstream sends no failure-limit notification; opt-in here, once per transition (spec §12: hard-limit notification)
      if (this.#notifyFailureLimitReached) await this.#sendFailureLimitReached(ps, logger);
    }

    const state = ps.calculateState();
    let actions: ReconciliationActions[];
    try {
      actions = this.calculateActions(ctx, ps);
    } catch (err) {
      logger.error("failed to calculate actions for preset", { error: errorMessage(err) });
      throw err;
    }
    logger.debug("calculated reconciliation state for preset", {
      desired: state.desired,
      actual: state.actual,
      extraneous: state.extraneous,
      starting: state.starting,
      stopping: state.stopping,
      deleting: state.deleting,
      eligible: state.eligible,
    });
    // simulation hook: observation (upstream: the debug log above)
    this.#hooks.presetEvaluated?.({
      preset: key,
      presetId: preset.id,
      state: stateReportFields(state),
      actions: actions.map(actionReportFields),
    });

    const errors: unknown[] = [];
    for (const action of actions) {
      try {
        await this.#executeReconciliationAction(logger, ps, action);
      } catch (err) {
        logger.error("failed to execute action", {
          type: actionTypeName(action.actionType),
          error: errorMessage(err),
        });
        errors.push(err);
      }
    }
    const joined = joinErrors(errors, `reconcile preset ${key}`);
    if (joined !== null) throw joined;
  }

  /** Spec §4.8. */
  async #executeReconciliationAction(
    logger: Logger,
    ps: PresetSnapshot,
    action: ReconciliationActions,
  ): Promise<void> {
    const preset = ps.preset;
    if (!preset.usingActiveVersion && isNoop(action)) {
      logger.debug("skipping reconciliation for preset - nothing has to be done");
      return;
    }
    const fields = {
      action_type: actionTypeName(action.actionType),
      create_count: action.create,
      delete_count: action.deleteIds.length,
      to_delete: action.deleteIds,
    };
    logger.debug("calculated reconciliation action for preset", fields);

    switch (action.actionType) {
      case ActionType.Backoff: {
        const until = action.backoffUntil ?? this.#clock.now();
        logger.warn("template prebuild state retrieved, backing off", {
          ...fields,
          backoff_until: new Date(until).toISOString(),
          backoff_secs: Math.round(this.#clock.until(until) / SECOND),
        });
        return;
      }
      case ActionType.Create:
        return this.#createPrebuilds(logger, ps, action.create);
      case ActionType.Delete: {
        const errors: unknown[] = [];
        for (const id of action.deleteIds) {
          try {
            await this.#deletePrebuiltWorkspace(logger, id, preset.templateId, preset.id);
          } catch (err) {
            logger.error("failed to delete prebuild", { workspace_id: id, error: errorMessage(err) });
            errors.push(err);
          }
        }
        const joined = joinErrors(errors, `delete prebuilds of preset ${presetReportKey(preset)}`);
        if (joined !== null) throw joined;
        return;
      }
      case ActionType.CancelPending:
        return this.#cancelAndOrphanDeletePendingPrebuilds(
          logger,
          preset.templateId,
          preset.templateVersionId,
          preset.id,
        );
      default:
        throw new Error(`unknown action type: ${action.actionType} (preset ${presetReportKey(preset)})`);
    }
  }

  /** Spec §4.8 Create: clamp, hard-limit and validation gates, then one build per instance. */
  async #createPrebuilds(logger: Logger, ps: PresetSnapshot, requested: number): Promise<void> {
    const preset = ps.preset;
    // A defence against bugs: never create more than the preset wants right now.
    let create = requested;
    const desired = ps.calculateDesiredInstances(this.#clock.now());
    if (create > desired) {
      logger.critical("determined excessive count of prebuilds to create; clamping to desired count", {
        create_count: create,
        desired_count: desired,
      });
      create = desired;
    }
    if (ps.isHardLimited && create > 0) {
      logger.warn("skipping hard limited preset for create operation");
      return;
    }
    if (preset.prebuildStatus === "validation_failed" && create > 0) {
      logger.warn("skipping create for preset whose prebuilds failed validation");
      return;
    }

    const errors: unknown[] = [];
    for (let i = 0; i < create; i++) {
      try {
        await this.#createPrebuiltWorkspace(logger, this.#ids.uuid(), preset.templateId, preset.id);
      } catch (err) {
        logger.error("failed to create prebuild", { error: errorMessage(err) });
        errors.push(err);
        // A 400 means the preset itself cannot be built: retrying this cycle would fail the same way.
        if (buildErrorStatus(err) === HttpStatus.BadRequest) {
          await this.#markValidationFailed(logger, ps);
          break;
        }
      }
    }
    const joined = joinErrors(errors, `create prebuilds of preset ${presetReportKey(preset)}`);
    if (joined !== null) throw joined;
  }

  async #markValidationFailed(logger: Logger, ps: PresetSnapshot): Promise<void> {
    try {
      await this.#store.updatePresetPrebuildStatus({ presetId: ps.preset.id, status: "validation_failed" });
    } catch (err) {
      logger.error("failed to update preset prebuild status to validation_failed", {
        error: errorMessage(err),
      });
      return;
    }
    // simulation hook: observation
    this.#hooks.presetStatusChanged?.({
      preset: presetReportKey(ps.preset),
      presetId: ps.preset.id,
      status: "validation_failed",
    });
  }

  /** Spec §4.9: the workspace and its first build in one transaction; the job is announced after. */
  async #createPrebuiltWorkspace(
    logger: Logger,
    workspaceId: string,
    templateId: string,
    presetId: string,
  ): Promise<void> {
    const name = generatePrebuildName(this.#ids);
    const job = await this.#store.inTx(
      async (db) => {
        let template: TemplateRow;
        try {
          template = await db.getTemplateById(templateId);
        } catch (err) {
          throw wrapError(`failed to get template ${templateId}`, err);
        }
        const now = this.#clock.now();
        try {
          await db.insertWorkspace({
            id: workspaceId,
            ownerId: PREBUILDS_SYSTEM_USER_ID,
            organizationId: template.organizationId,
            templateId: template.id,
            name,
            automaticUpdates: "never",
            autostartSchedule: null,
            ttl: null,
            nextStartAt: null,
            createdAt: now,
          });
        } catch (err) {
          throw wrapError("insert workspace", err);
        }
        let workspace: WorkspaceRow;
        try {
          workspace = await db.getWorkspaceById(workspaceId);
        } catch (err) {
          throw wrapError("get workspace by ID", err);
        }
        logger.info("attempting to create prebuild", {
          name,
          workspace_id: workspaceId,
          preset_id: presetId,
        });
        return this.#provision(logger, db, template, presetId, "start", workspace, DeprovisionMode.Normal);
      },
      { isolation: "repeatable read", txIdentifier: "prebuilds.createPrebuiltWorkspace" },
    );
    this.#enqueueJobNotification(logger, job, workspaceId);
  }

  /** Spec §4.10. */
  async #deletePrebuiltWorkspace(
    logger: Logger,
    workspaceId: string,
    templateId: string,
    presetId: string,
  ): Promise<void> {
    const job = await this.#store.inTx(
      (db) => this.#provisionDelete(logger, db, workspaceId, templateId, presetId, DeprovisionMode.Normal),
      { isolation: "repeatable read", txIdentifier: "prebuilds.deletePrebuiltWorkspace" },
    );
    this.#enqueueJobNotification(logger, job, workspaceId);
  }

  /** A delete build, refused when the workspace was claimed since the snapshot. */
  async #provisionDelete(
    logger: Logger,
    db: Store,
    workspaceId: string,
    templateId: string,
    presetId: string,
    mode: DeprovisionMode,
  ): Promise<ProvisionerJobRow> {
    let workspace: WorkspaceRow;
    let template: TemplateRow;
    try {
      workspace = await db.getWorkspaceById(workspaceId);
    } catch (err) {
      throw wrapError(`get workspace by ID ${workspaceId}`, err);
    }
    try {
      template = await db.getTemplateById(templateId);
    } catch (err) {
      throw wrapError(`failed to get template ${templateId}`, err);
    }
    if (workspace.ownerId !== PREBUILDS_SYSTEM_USER_ID) {
      throw new Error(
        `prebuilt workspace ${workspaceId} is not owned by prebuild user anymore, probably it was claimed`,
      );
    }
    logger.info("attempting to delete prebuild", {
      workspace_id: workspaceId,
      preset_id: presetId,
      orphan: mode === DeprovisionMode.Orphan,
    });
    return this.#provision(logger, db, template, presetId, "delete", workspace, mode);
  }

  /**
   * Spec §4.11: cancel the preset's untouched pending creation jobs and orphan-delete their
   * workspaces, all in one transaction: one failed delete rolls the cancellations back too.
   */
  async #cancelAndOrphanDeletePendingPrebuilds(
    logger: Logger,
    templateId: string,
    templateVersionId: string,
    presetId: string,
  ): Promise<void> {
    const first = await this.#store.inTx(
      async (db) => {
        let canceled: Awaited<ReturnType<Store["updatePrebuildProvisionerJobWithCancel"]>>;
        try {
          canceled = await db.updatePrebuildProvisionerJobWithCancel({ now: this.#clock.now(), presetId });
        } catch (err) {
          throw wrapError("failed to cancel pending prebuild jobs", err);
        }
        if (canceled.length > 0) {
          logger.info("canceled pending prebuild jobs for inactive version", {
            count: canceled.length,
            template_version_id: templateVersionId,
          });
        }
        const errors: unknown[] = [];
        let firstJob: { job: ProvisionerJobRow; workspaceId: string } | null = null;
        for (const job of canceled) {
          try {
            const deleteJob = await this.#provisionDelete(
              logger,
              db,
              job.workspaceId,
              job.templateId,
              presetId,
              DeprovisionMode.Orphan,
            );
            firstJob ??= { job: deleteJob, workspaceId: job.workspaceId };
          } catch (err) {
            logger.error("failed to orphan delete canceled prebuild", {
              workspace_id: job.workspaceId,
              error: errorMessage(err),
            });
            errors.push(err);
          }
        }
        const joined = joinErrors(errors, `orphan-delete canceled prebuilds of template ${templateId}`);
        if (joined !== null) throw joined;
        return firstJob;
      },
      { isolation: "repeatable read", txIdentifier: "prebuilds.cancelAndOrphanDeletePendingPrebuilds" },
    );
    // One notification wakes the provisioner chain for every job of the same organization and tags.
    if (first !== null) this.#enqueueJobNotification(logger, first.job, first.workspaceId);
  }

  /** Spec §4.12. */
  async #provision(
    logger: Logger,
    db: Store,
    template: TemplateRow,
    presetId: string,
    transition: WorkspaceTransition,
    workspace: WorkspaceRow,
    mode: DeprovisionMode,
  ): Promise<ProvisionerJobRow> {
    let parameters: { name: string; value: string }[];
    try {
      parameters = (await db.getPresetParametersByTemplateVersionId(template.activeVersionId))
        .filter((p) => p.templateVersionPresetId === presetId)
        .map((p) => ({ name: p.name, value: p.value }));
    } catch (err) {
      throw wrapError("fetch preset details", err);
    }

    // Upstream marks every prebuild build, deletes included, as a prebuild build.
    let builder = WorkspaceBuilder.create(workspace, transition)
      .reason("initiator")
      .initiator(PREBUILDS_SYSTEM_USER_ID)
      .markPrebuild();
    if (transition !== "delete") {
      // A delete takes the last build's version (which may be old) and detects its preset, as a
      // regular CLI delete does: required immutable parameters must not block it.
      builder = builder
        .versionId(template.activeVersionId)
        .templateVersionPresetId(presetId)
        .richParameterValues(parameters);
    }
    if (transition === "delete" && mode === DeprovisionMode.Orphan) builder = builder.orphan();

    let job: ProvisionerJobRow;
    try {
      ({ job } = await builder.build(db, { clock: this.#clock, ids: this.#ids }));
    } catch (err) {
      throw wrapError(`provision workspace ${workspace.id}`, err);
    }
    logger.info("prebuild job scheduled", {
      transition,
      prebuild_id: workspace.id,
      preset_id: presetId,
      job_id: job.id,
    });
    return job;
  }

  /** Non-blocking: a full queue drops the notification (provisioners poll anyway). */
  #enqueueJobNotification(logger: Logger, job: ProvisionerJobRow, prebuildId: string): void {
    // simulation hook: perturbation — a fault may make the queue refuse the job (upstream: only a full queue does)
    if (this.#hooks.provisionNotifyRefused?.() !== true && this.#provisionNotifyCh.trySend(job)) return;
    logger.warn("provisioner job notification queue full, dropping", {
      job_id: job.id,
      prebuild_id: prebuildId,
    });
    this.#hooks.jobNotificationDropped?.({ job: job.id }); // simulation hook: observation
  }

  async #publishProvisionerJobs(ctx: Context): Promise<void> {
    for (;;) {
      const selected = await select(this.#kernel, ctx, this.#provisionNotifyCh);
      if (selected.index === 0 || selected.value === CLOSED) return;
      if (this.#pubsub === null) continue;
      try {
        await postJob(this.#pubsub, selected.value);
      } catch (err) {
        this.#logger.error("failed to post provisioner job to pubsub", {
          job_id: selected.value.id,
          error: errorMessage(err),
        });
      }
    }
  }

  /** Spec §6.3: only the lock holder reports, from the cycle's snapshot; the set is replaced. */
  #reportHardLimitedPresets(snapshot: GlobalSnapshot): void {
    this.#metrics?.registerHardLimitedPresets(liveKeys(snapshot, (p) => snapshot.isHardLimited(p.id)));
  }

  #reportValidationFailedPresets(snapshot: GlobalSnapshot): void {
    this.#metrics?.registerValidationFailedPresets(
      liveKeys(snapshot, (p) => p.prebuildStatus === "validation_failed"),
    );
  }

  /** Refreshes the metrics cache now (upstream `ForceMetricsUpdate`); nothing without metrics. */
  async forceMetricsUpdate(): Promise<void> {
    await this.#metrics?.updateState(METRICS_UPDATE_TIMEOUT);
  }

  /**
   * Counts a claim whose build replaced resources and tells every template admin (spec §7.1).
   * Fire-and-forget: failures are logged, never returned.
   */
  async trackResourceReplacement(
    workspaceId: string,
    buildId: string,
    replacements: readonly ResourceReplacement[],
  ): Promise<void> {
    try {
      await this.#trackResourceReplacement(workspaceId, buildId, replacements);
    } catch (err) {
      this.#logger.error("failed to track resource replacement", {
        workspace_id: workspaceId,
        build_id: buildId,
        error: errorMessage(err),
      });
    }
  }

  async #trackResourceReplacement(
    workspaceId: string,
    buildId: string,
    replacements: readonly ResourceReplacement[],
  ): Promise<void> {
    const store = this.#store;
    const fetch = async <T>(what: string, query: () => Promise<T>): Promise<T> => {
      try {
        return await query();
      } catch (err) {
        throw wrapError(`fetch ${what}`, err);
      }
    };
    const workspace = await fetch(`workspace "${workspaceId}"`, () => store.getWorkspaceById(workspaceId));
    const build = await fetch(`workspace build "${buildId}"`, () => store.getWorkspaceBuildById(buildId));
    // The first build is always the prebuild's creation.
    const prebuild = await fetch("prebuild", () =>
      store.getWorkspaceBuildByWorkspaceIdAndBuildNumber({ workspaceId, buildNumber: 1 }),
    );
    const presetId = prebuild.templateVersionPresetId;
    if (presetId === null) throw new Error(`no preset used in prebuild for workspace "${workspaceId}"`);
    const preset = await fetch(`template preset "${presetId}"`, () => store.getPresetById(presetId));
    // The workspace now belongs to the claimant.
    const claimant = await fetch(`claimant "${workspace.ownerId}"`, () =>
      store.getUserById(workspace.ownerId),
    );
    const templateVersion = await fetch(`template version "${build.templateVersionId}"`, () =>
      store.getTemplateVersionById(build.templateVersionId),
    );
    const template = await fetch(`template "${workspace.templateId}"`, () =>
      store.getTemplateById(workspace.templateId),
    );
    const org = await fetch(`org "${workspace.organizationId}"`, () =>
      store.getOrganizationById(workspace.organizationId),
    );

    this.#metrics?.trackResourceReplacement({
      organizationName: org.name,
      templateName: template.name,
      presetName: preset.name,
    });

    if (this.#notifier === null) {
      this.#logger.warn("notification enqueuer not set, cannot send resource replacement notification(s)");
      return;
    }
    await notifyTemplateAdmins(
      store,
      this.#notifier,
      resourceReplacedNotification(
        {
          organizationId: org.id,
          organizationName: org.name,
          workspaceId: workspace.id,
          workspaceName: workspace.name,
          ownerId: workspace.ownerId,
          claimantUsername: claimant.username,
          templateId: template.id,
          templateName: template.name,
          templateVersionId: templateVersion.id,
          templateVersionName: templateVersion.name,
          presetId: preset.id,
          presetName: preset.name,
          buildNumber: build.buildNumber,
        },
        replacements,
      ),
    );
  }

  /** The opt-in failure-limit notification, once per transition (spec §12); failures are logged. */
  async #sendFailureLimitReached(ps: PresetSnapshot, logger: Logger): Promise<void> {
    if (this.#notifier === null) return;
    const preset = ps.preset;
    try {
      await notifyTemplateAdmins(
        this.#store,
        this.#notifier,
        failureLimitReachedNotification({
          organizationId: preset.organizationId,
          organizationName: preset.organizationName,
          templateId: preset.templateId,
          templateName: preset.templateName,
          templateVersionId: preset.templateVersionId,
          templateVersionName: preset.templateVersionName,
          presetId: preset.id,
          presetName: preset.name,
        }),
      );
    } catch (err) {
      logger.error("failed to notify template admins of the failure limit", { error: errorMessage(err) });
    }
  }
}

/** Keys of presets on the active version of a live template that satisfy `include`. */
function liveKeys(
  snapshot: GlobalSnapshot,
  include: (preset: GlobalSnapshot["presets"][number]) => boolean,
): PresetKey[] {
  return snapshot.presets
    .filter((p) => p.usingActiveVersion && !p.deleted && include(p))
    .map((p) => ({ organizationName: p.organizationName, templateName: p.templateName, presetName: p.name }));
}
