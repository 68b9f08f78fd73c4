// Which running prebuilds are expired (spec §3.3). Age is measured with the injected clock, not
// the wall clock as upstream does (spec §12): a deterministic simulation has no wall clock.
import type { Instant } from "../clock/types.ts";
import { SECOND } from "../clock/types.ts";
import type { RunningPrebuildRow, TemplatePresetRow } from "../db/rows.ts";

export type ExpiryPolicy = Pick<TemplatePresetRow, "ttl" | "lastInvalidatedAt">;

/**
 * Expired: created strictly before the preset was last invalidated, or older than a positive TTL
 * (strictly). A NULL or zero TTL never expires by age.
 */
export function isExpired(policy: ExpiryPolicy, prebuild: RunningPrebuildRow, now: Instant): boolean {
  if (policy.lastInvalidatedAt !== null && prebuild.createdAt < policy.lastInvalidatedAt) return true;
  // deviation: age on the injected clock; upstream reads the wall clock (spec §12: TTL)
  if (policy.ttl !== null && policy.ttl > 0 && now - prebuild.createdAt > policy.ttl * SECOND) return true;
  return false;
}

/** Splits running prebuilds into non-expired and expired, each list keeping the input order. */
export function filterExpiredWorkspaces(
  policy: ExpiryPolicy,
  running: readonly RunningPrebuildRow[],
  now: Instant,
): { nonExpired: RunningPrebuildRow[]; expired: RunningPrebuildRow[] } {
  const nonExpired: RunningPrebuildRow[] = [];
  const expired: RunningPrebuildRow[] = [];
  for (const prebuild of running) {
    (isExpired(policy, prebuild, now) ? expired : nonExpired).push(prebuild);
  }
  return { nonExpired, expired };
}
