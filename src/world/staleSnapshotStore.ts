// A replica's store with the `stale-snapshot` fault in between. The reconciler reads its snapshot
// in one transaction nested in its lock session (`prebuilds_state_determination` inside
// `prebuilds.WithReconciliationLock`, spec §4.5–4.6) and acts on it right away; here the snapshot
// transaction may return only after a wait, on the replica's task, still inside the lock session:
// the cycle keeps the lock and acts on data that claims, builds and expiries have moved past
// meanwhile (other replicas stay out, as upstream's lock keeps them). The metrics refresher's
// snapshot (its own session) is never delayed.
import type { Clock } from "../clock/types.ts";
import type { Store, TxOptions } from "../db/store.ts";
import type { Perturbations } from "./perturbations.ts";

/** Upstream's transaction names, as the port's reconciler passes them. */
const LOCK_SESSION = "prebuilds.WithReconciliationLock";
const SNAPSHOT = "prebuilds_state_determination";

type InTx = Store["inTx"];

function withInTx(store: Store, inTx: InTx): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === "inTx") return inTx;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export function staleSnapshotStore(
  store: Store,
  replica: string,
  clock: Clock,
  perturbations: Perturbations,
): Store {
  // simulation hook: the snapshot of the replica's locked cycle returns after the fault's wait.
  const session = (s: Store): Store =>
    withInTx(s, <T>(fn: (tx: Store) => Promise<T>, options?: TxOptions): Promise<T> => {
      const result = s.inTx(fn, options);
      if (options?.txIdentifier !== SNAPSHOT || !perturbations.watchesSnapshots) return result;
      return result.then(async (snapshot) => {
        const wait = perturbations.snapshotTaken(replica);
        if (wait > 0) await clock.sleep(wait, "fault", "stale-snapshot");
        return snapshot;
      });
    });
  return withInTx(
    store,
    <T>(fn: (tx: Store) => Promise<T>, options?: TxOptions): Promise<T> =>
      options?.txIdentifier === LOCK_SESSION
        ? store.inTx((s) => fn(session(s)), options)
        : store.inTx(fn, options),
  );
}
