// Deliberately broken reconcilers, injected through `simulate({reconciler})` to show that the
// checks catch what the port must never do. Each subclasses the port and changes one thing.
import type { Store } from "../../src/db/store.ts";
import { Channel, type Context, type Kernel, TaskGroup } from "../../src/kernel/index.ts";
import type { Logger } from "../../src/prebuilds/logger.ts";
import type { PresetSnapshot } from "../../src/prebuilds/presetSnapshot.ts";
import { StoreReconciler, type StoreReconcilerOptions } from "../../src/prebuilds/reconciler.ts";

type LockedFn = (ctx: Context, lockTx: Store) => Promise<void>;

/**
 * Releases the reconciliation lock as soon as the cycle's snapshot is read: the cycle's body goes on
 * in a task of its own — creating and deleting prebuilds — after the lock session ended, so its
 * writes lie outside any lease and another replica may reconcile the same presets meanwhile.
 */
export class EarlyReleaseReconciler extends StoreReconciler {
  readonly #kernel: Kernel;

  constructor(options: StoreReconcilerOptions) {
    super(options);
    this.#kernel = options.kernel;
  }

  override withReconciliationLock(ctx: Context, logger: Logger, fn: LockedFn): Promise<boolean> {
    const kernel = this.#kernel;
    return super.withReconciliationLock(ctx, logger, async (lockedCtx, lockTx) => {
      const snapshotRead = new Channel<true>(kernel, "early-release snapshot", 1);
      const early = new Proxy(lockTx, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (typeof value !== "function") return value;
          if (prop !== "inTx") return value.bind(target);
          return async (...args: Parameters<Store["inTx"]>) => {
            const result = await target.inTx(...args);
            snapshotRead.trySend(true);
            return result;
          };
        },
      });
      kernel.spawn("early-release/cycle-body", async () => {
        try {
          await fn(lockedCtx, early);
        } finally {
          snapshotRead.trySend(true);
        }
      });
      await snapshotRead.receive();
    });
  }
}

/**
 * The shape of the detection benchmark's `lock-released-early` mutant (`void group.wait()` in the
 * cycle): each preset's work runs in a task group whose wait is dropped, so the preset task returns
 * at once, the cycle's own wait is satisfied and the lock released while the preset's writes — on
 * the replica's root store, as upstream's go through its pooled `c.store` — are still to come.
 */
export class DroppedWaitReconciler extends StoreReconciler {
  readonly #kernel: Kernel;

  constructor(options: StoreReconcilerOptions) {
    super(options);
    this.#kernel = options.kernel;
  }

  override async reconcilePreset(ctx: Context, ps: PresetSnapshot): Promise<void> {
    const group = new TaskGroup(this.#kernel, "dropped-wait");
    group.tryGo(ps.preset.id, () => super.reconcilePreset(ctx, ps));
    void group.wait();
  }
}
