// How many presets one reconciliation cycle works on at once (spec §4.1).

/** Upper bound on parallel preset tasks, whatever the pool size. */
export const MAX_RECONCILIATION_CONCURRENCY = 5;

/**
 * Half of the replica's database connections, between 1 and 5: preset tasks must leave connections
 * for the rest of coderd, and a non-positive pool size still allows one task.
 */
export function reconciliationConcurrency(maxDBConnections: number): number {
  if (!(maxDBConnections > 0)) return 1;
  const half = Math.trunc(maxDBConnections / 2);
  return Math.max(1, Math.min(half, MAX_RECONCILIATION_CONCURRENCY));
}
