// The simulated advisory locks on their own: contention, re-entry, release at the end of the
// transaction or session, loss of the connection, and the lease events.
import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { type LeaseEvent, type LockHolder, LockManager } from "../../src/db/lockManager.ts";

const LOCK = 7;

function setup() {
  let now = 1_000;
  const locks = new LockManager({ now: () => now });
  const events: LeaseEvent[] = [];
  locks.subscribe((e) => events.push(e));
  return {
    locks,
    events,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("LockManager", () => {
  test("contention: a second holder is refused while the first holds the lock", () => {
    const { locks, events } = setup();
    const a = locks.newHolder("replica-0", "prebuilds.WithReconciliationLock");
    const b = locks.newHolder("replica-1", "prebuilds.WithReconciliationLock");
    expect(locks.tryAcquire(LOCK, a)).toBe(true);
    expect(locks.tryAcquire(LOCK, b)).toBe(false);
    expect(locks.holderOf(LOCK)).toEqual(a);
    expect(events.map((e) => e.kind)).toEqual(["acquired", "refused"]);
    expect(events[1]).toEqual({ kind: "refused", lockId: LOCK, holder: b, heldBy: a, at: 1_000 });
  });

  test("two transactions of the same connection contend too (separate sessions, as in PostgreSQL)", () => {
    const { locks } = setup();
    const session = locks.newHolder("replica-0", "lock");
    const write = locks.newHolder("replica-0", "prebuilds.createPrebuiltWorkspace");
    expect(locks.tryAcquire(LOCK, session)).toBe(true);
    expect(locks.tryAcquire(LOCK, write)).toBe(false);
  });

  test("re-entry: the holder takes it again; one release ends the lease", () => {
    const { locks, events } = setup();
    const a = locks.newHolder("replica-0", "tx");
    expect(locks.tryAcquire(LOCK, a)).toBe(true);
    expect(locks.tryAcquire(LOCK, a)).toBe(true);
    locks.release(a, "commit");
    expect(locks.holderOf(LOCK)).toBeUndefined();
    expect(events.map((e) => e.kind)).toEqual(["acquired", "reentered", "released"]);
  });

  test("release at the end: the next holder gets it, events carry the reason and time", () => {
    const { locks, events, advance } = setup();
    const a = locks.newHolder("replica-0", "tx");
    const b = locks.newHolder("replica-1", "tx");
    locks.tryAcquire(LOCK, a);
    locks.tryAcquire(3, a);
    advance(250);
    locks.release(a, "session-end");
    expect(events.slice(2)).toEqual([
      { kind: "released", lockId: 3, holder: a, reason: "session-end", at: 1_250 },
      { kind: "released", lockId: LOCK, holder: a, reason: "session-end", at: 1_250 },
    ]);
    expect(locks.tryAcquire(LOCK, b)).toBe(true);
  });

  test("loss of the connection mid-transaction ends its leases only, and bumps its generation", () => {
    const { locks, events } = setup();
    const a = locks.newHolder("replica-0", "lock");
    const other = locks.newHolder("replica-1", "tx");
    locks.tryAcquire(LOCK, a);
    locks.tryAcquire(4, other);
    expect(locks.generation("replica-0")).toBe(0);
    locks.loseConnection("replica-0");
    expect(locks.generation("replica-0")).toBe(1);
    expect(locks.generation("replica-1")).toBe(0);
    expect(locks.holderOf(LOCK)).toBeUndefined();
    expect(locks.holderOf(4)).toEqual(other);
    expect(events.at(-1)).toEqual({
      kind: "released",
      lockId: LOCK,
      holder: a,
      reason: "connection-lost",
      at: 1_000,
    });
    // Releasing at the end of the (dead) session afterwards is a no-op.
    locks.release(a, "session-end");
    expect(events.filter((e) => e.kind === "released")).toHaveLength(1);
  });

  test("unsubscribe stops the events", () => {
    const { locks } = setup();
    const seen: LeaseEvent[] = [];
    const stop = locks.subscribe((e) => seen.push(e));
    stop();
    locks.tryAcquire(LOCK, locks.newHolder("c", "tx"));
    expect(seen).toEqual([]);
  });

  type Op =
    | { kind: "acquire"; holder: number; lock: number }
    | { kind: "release"; holder: number }
    | { kind: "lose"; conn: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("acquire" as const), holder: fc.nat(5), lock: fc.nat(2) }),
    fc.record({ kind: fc.constant("release" as const), holder: fc.nat(5) }),
    fc.record({ kind: fc.constant("lose" as const), conn: fc.nat(2) }),
  );
  propTest.prop([fc.array(op, { maxLength: 60 })])(
    "at most one holder per lock at any time, and a lock is granted exactly when free or already held by the asker",
    (ops) => {
      const { locks, events } = setup();
      // Six holders on three connections (two per connection).
      const holders: LockHolder[] = [0, 1, 2, 3, 4, 5].map((i) => locks.newHolder(`c${i % 3}`, `h${i}`));
      const model = new Map<number, number>(); // lock → holder index
      for (const o of ops) {
        if (o.kind === "acquire") {
          const current = model.get(o.lock);
          const granted = locks.tryAcquire(o.lock, holders[o.holder] as LockHolder);
          expect(granted).toBe(current === undefined || current === o.holder);
          if (granted) model.set(o.lock, o.holder);
        } else if (o.kind === "release") {
          locks.release(holders[o.holder] as LockHolder, "commit");
          for (const [l, h] of [...model]) if (h === o.holder) model.delete(l);
        } else {
          locks.loseConnection(`c${o.conn}`);
          for (const [l, h] of [...model]) if (h % 3 === o.conn) model.delete(l);
        }
        for (const l of [0, 1, 2])
          expect(locks.holderOf(l)?.txIdentifier).toBe(model.has(l) ? `h${model.get(l)}` : undefined);
      }
      // Replaying the events reconstructs the same single holder per lock.
      const replay = new Map<number, number>();
      for (const e of events) {
        if (e.kind === "acquired") {
          expect(replay.has(e.lockId)).toBe(false);
          replay.set(e.lockId, e.holder.transaction);
        } else if (e.kind === "released") {
          expect(replay.get(e.lockId)).toBe(e.holder.transaction);
          replay.delete(e.lockId);
        }
      }
    },
  );
});
