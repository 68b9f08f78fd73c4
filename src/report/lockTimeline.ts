// Who held the reconciliation lock when, per replica: holds (acquire → release or lost), refusals
// (contention), and the dangerous stretch after a lost lock connection, when the replica's cycle is
// still running although the lock is gone — and, worse, while another replica already holds it.
import { type Interval, intersect } from "./intervals.ts";
import { naturalCompare } from "./naturalOrder.ts";
import type { Instant } from "./timeUnits.ts";
import type { CycleRecord, LockEvent } from "./traceDigest.ts";

export interface LockHold extends Interval {
  replica: string;
  lock: number;
  connection: string;
  /** how the hold ended; `open` when the run ended while holding */
  ended: "release" | "lost" | "open";
}

export interface LockRefusal {
  replica: string;
  t: Instant;
  holder: string;
}

export interface LostLockCycle {
  replica: string;
  lock: number;
  /** when the connection (and so the lock) was lost */
  lostAt: Instant;
  line: number;
  /** [lostAt, end of the cycle that was running then]; empty when no cycle was running */
  orphaned: Interval;
  /** the parts of `orphaned` during which another replica held the same lock */
  overlaps: Interval[];
}

export interface LockTimeline {
  replicas: string[];
  holds: LockHold[];
  refusals: LockRefusal[];
  lost: LostLockCycle[];
}

export function lockTimeline(
  events: readonly LockEvent[],
  cycles: readonly CycleRecord[],
  runEnd: Instant,
): LockTimeline {
  const replicaSet = new Set<string>();
  const holds: LockHold[] = [];
  const refusals: LockRefusal[] = [];
  const open = new Map<string, LockHold>();
  const lostEvents: LockEvent[] = [];
  for (const e of events) {
    replicaSet.add(e.replica);
    const key = `${e.lock}\u0000${e.connection}`;
    switch (e.event) {
      case "acquire": {
        if (open.has(key)) break; // re-entrant acquire on the same connection: still one hold
        const hold: LockHold = {
          replica: e.replica,
          lock: e.lock,
          connection: e.connection,
          from: e.t,
          to: runEnd,
          ended: "open",
        };
        holds.push(hold);
        open.set(key, hold);
        break;
      }
      case "refused":
        refusals.push({ replica: e.replica, t: e.t, holder: e.holder ?? "" });
        break;
      case "release":
      case "lost": {
        const hold = open.get(key);
        if (hold !== undefined) {
          hold.to = e.t;
          hold.ended = e.event;
          open.delete(key);
        }
        if (e.event === "lost") lostEvents.push(e);
        break;
      }
    }
  }
  for (const c of cycles) replicaSet.add(c.replica);

  const lost = lostEvents.map((e): LostLockCycle => {
    const cycle = cycles.find((c) => c.replica === e.replica && c.from <= e.t && (c.to ?? runEnd) >= e.t);
    const orphaned = { from: e.t, to: cycle === undefined ? e.t : (cycle.to ?? runEnd) };
    const others = holds.filter((h) => h.lock === e.lock && h.replica !== e.replica);
    return {
      replica: e.replica,
      lock: e.lock,
      lostAt: e.t,
      line: e.line,
      orphaned,
      overlaps: intersect(orphaned, others),
    };
  });
  return { replicas: [...replicaSet].sort(naturalCompare), holds, refusals, lost };
}
