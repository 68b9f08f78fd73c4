// The reconciler's deployment configuration (upstream `codersdk.PrebuildsConfig`, spec §1.5),
// with upstream's defaults.
import { type Duration, HOUR, MINUTE } from "../clock/types.ts";

export interface PrebuildsConfig {
  /** How often a cycle runs; ≤ 0 means 5 minutes at run time (a Go ticker cannot tick at 0). */
  readonly reconciliationInterval: Duration;
  /** The backoff unit: a preset backs off `numFailed × interval` after its last failed build. */
  readonly reconciliationBackoffInterval: Duration;
  /** Failed builds older than this are ignored for backoff. */
  readonly reconciliationBackoffLookback: Duration;
  /** Consecutive failed prebuilds before a preset is hard-limited; 0 disables the limit. */
  readonly failureHardLimit: number;
}

export const DEFAULT_PREBUILDS_CONFIG: PrebuildsConfig = {
  reconciliationInterval: MINUTE,
  reconciliationBackoffInterval: MINUTE,
  reconciliationBackoffLookback: HOUR,
  failureHardLimit: 3,
};

/** What `run` uses when the configured interval is not positive. */
export const FALLBACK_RECONCILIATION_INTERVAL: Duration = 5 * MINUTE;

/** Upstream's default pool size (`CODER_PG_CONN_MAX_OPEN`). */
export const DEFAULT_MAX_DB_CONNECTIONS = 10;
