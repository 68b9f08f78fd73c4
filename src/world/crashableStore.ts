// A replica's store that dies with the replica: once the process has crashed, every call its
// leftover tasks make fails at once, and a transaction that was open fails at its next statement
// (and rolls back). A statement already on its way to the server — parked in its simulated latency
// when the crash came — still runs, as it would against a real PostgreSQL.
import type { Store } from "../db/store.ts";

export class ReplicaDownError extends Error {
  override readonly name = "ReplicaDownError";
  constructor(
    readonly replica: string,
    what: string,
  ) {
    super(`${what} on replica ${replica}: the replica has crashed`);
  }
}

export function crashableStore(store: Store, replica: string, isUp: () => boolean): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      const name = String(prop);
      if (prop === "inTx") {
        return (fn: (tx: Store) => Promise<unknown>, options?: unknown) => {
          if (!isUp()) return Promise.reject(new ReplicaDownError(replica, name));
          return target.inTx(
            (tx) => fn(crashableStore(tx, replica, isUp)),
            options as Parameters<Store["inTx"]>[1],
          );
        };
      }
      return (...args: unknown[]) => {
        if (!isUp()) return Promise.reject(new ReplicaDownError(replica, name));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
