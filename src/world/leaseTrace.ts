// Advisory-lock lease events of the db layer's lock manager, as trace lines of the connection
// (replica) concerned: what the `single-lock-holder` invariant and the lock charts read.
// Re-entries are not recorded: they change nothing about who holds the lock.
import type { LockManager } from "../db/lockManager.ts";
import type { TraceRecord } from "../trace/trace.ts";

/** Records every lease change from now on; returns the function that stops recording. */
export function traceLeases(locks: LockManager, emit: (record: TraceRecord) => void): () => void {
  return locks.subscribe((e) => {
    const connection = e.holder.connection;
    switch (e.kind) {
      case "acquired":
        emit({ actor: connection, kind: "lock.acquire", lock: e.lockId, connection });
        return;
      case "refused":
        emit({
          actor: connection,
          kind: "lock.refused",
          lock: e.lockId,
          connection,
          holder: e.heldBy.connection,
        });
        return;
      case "released":
        emit({
          actor: connection,
          kind: e.reason === "connection-lost" ? "lock.lost" : "lock.release",
          lock: e.lockId,
          connection,
        });
        return;
      case "reentered":
        return;
    }
  });
}
