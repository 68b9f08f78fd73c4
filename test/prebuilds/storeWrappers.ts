// Store wrappers for tests that need a failure on one template's rows only (upstream's tests wrap
// the database the same way); the query fault hooks of src/db/faults.ts fail by query name.
import { DatabaseError, SqlState } from "../../src/db/errors.ts";
import type { InsertWorkspaceBuildParams, Store } from "../../src/db/store.ts";

/** `store`, whose build inserts for `templateVersionId` fail with an internal database error. */
export function failingBuildInserts(store: Store, templateVersionId: string): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === "inTx") {
        return (fn: (tx: Store) => Promise<unknown>, options?: Parameters<Store["inTx"]>[1]) =>
          target.inTx((tx) => fn(failingBuildInserts(tx, templateVersionId)), options);
      }
      if (property === "insertWorkspaceBuild") {
        return async (params: InsertWorkspaceBuildParams) => {
          if (params.templateVersionId === templateVersionId) {
            throw new DatabaseError({
              message: `injected internal error for template version ${templateVersionId}`,
              code: SqlState.InjectedDefault,
              query: "InsertWorkspaceBuild",
              connection: target.connection,
              injected: true,
            });
          }
          return target.insertWorkspaceBuild(params);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * `store`, which runs `interlude` (once, with the unwrapped store) just before its first read-write
 * transaction: whatever it commits lands between the reconciler's snapshot and its first write,
 * the window of spec §10.1.2.
 */
export function beforeFirstWrite(store: Store, interlude: (store: Store) => Promise<void>): Store {
  let pending = true;
  return new Proxy(store, {
    get(target, property) {
      if (property === "inTx") {
        return async (fn: (tx: Store) => Promise<unknown>, options?: Parameters<Store["inTx"]>[1]) => {
          if (pending && options?.readOnly !== true) {
            pending = false;
            await interlude(target);
          }
          return target.inTx(fn, options);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
