// The Store under the deterministic kernel: round trips park on the virtual clock, replicas'
// lock sessions interleave at those park points, the simulated lock never has two holders, a
// connection lost mid-cycle hands the lock over, and the same seed gives the same history.
import { expect, test } from "vitest";
import { MINUTE } from "../../src/clock/types.ts";
import { LockId } from "../../src/db/constants.ts";
import { Database } from "../../src/db/database.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import { DatabaseError, StoreMisuseError } from "../../src/db/errors.ts";
import type { LeaseEvent } from "../../src/db/lockManager.ts";
import type { Store } from "../../src/db/store.ts";
import { Kernel, type SchedulingPolicy } from "../../src/kernel/index.ts";
import type { DurationDistribution } from "../../src/kernel/rng.ts";
import { describeEachBackend, T0 } from "./harness.ts";

const LOCK = LockId.ReconcilePrebuilds;
const SESSION = {
  isolation: "repeatable read",
  readOnly: true,
  txIdentifier: "prebuilds.WithReconciliationLock",
} as const;

async function simulation(
  driver: SqlDriver,
  options: { seed: string; policy: SchedulingPolicy; latency: DurationDistribution; scheduler?: boolean },
) {
  const kernel = new Kernel({ seed: options.seed, policy: options.policy, start: T0 });
  const db = await Database.open({
    driver,
    clock: kernel.clock,
    rng: kernel.rng,
    latency: options.latency,
    ...(options.scheduler === false ? {} : { scheduler: kernel }),
  });
  const events: LeaseEvent[] = [];
  db.locks.subscribe((e) => events.push(e));
  return { kernel, db, events };
}

/** One reconcile cycle as withReconciliationLock runs it: lock session, lock, reads, snapshot. */
async function cycle(store: Store, log: string[]): Promise<void> {
  await store.inTx(async (session) => {
    if (!(await session.tryAcquireLock(LOCK))) {
      log.push(`${store.connection} skipped`);
      return;
    }
    log.push(`${store.connection} acquired`);
    await session.getPrebuildsSettings();
    await session.inTx(async (tx) => {
      await tx.getTemplatePresetsWithPrebuilds(null);
      await tx.getRunningPrebuiltWorkspaces();
    });
    await store.upsertPrebuildsSettings("{}");
    log.push(`${store.connection} done`);
  }, SESSION);
}

/** Replays lease events: fails if a lock is ever granted while held by another holder. */
function maxConcurrentHolders(events: LeaseEvent[]): number {
  const held = new Map<number, number>();
  let max = 0;
  for (const e of events) {
    if (e.kind === "acquired") {
      held.set(e.lockId, (held.get(e.lockId) ?? 0) + 1);
      max = Math.max(max, held.get(e.lockId) ?? 0);
    } else if (e.kind === "released") {
      held.set(e.lockId, (held.get(e.lockId) ?? 1) - 1);
    }
  }
  return max;
}

describeEachBackend("Store under the kernel", (ctx) => {
  test("each root operation is one park point: virtual time advances by the latency of each", async () => {
    const { kernel, db } = await simulation(ctx().driver, {
      seed: "s",
      policy: "fifo",
      latency: { fixed: 5 },
    });
    const store = db.connect("replica-0");
    const seen: number[] = [];
    kernel.spawn("client", async () => {
      await store.getPrebuildsSettings();
      seen.push(kernel.clock.now());
      await store.inTx((tx) => tx.getRunningPrebuiltWorkspaces());
      seen.push(kernel.clock.now());
      await store.getPresetsBackoff(T0);
      seen.push(kernel.clock.now());
    });
    await kernel.run();
    expect(seen).toEqual([T0 + 5, T0 + 10, T0 + 15]);
  });

  test("a zero latency still yields inside a task when the kernel is given, so tasks interleave per operation", async () => {
    const order = async (scheduler: boolean) => {
      const { kernel, db } = await simulation(ctx().driver, {
        seed: "s",
        policy: "fifo",
        latency: { fixed: 0 },
        scheduler,
      });
      const log: string[] = [];
      for (const name of ["a", "b"]) {
        const store = db.connect(name);
        kernel.spawn(name, async () => {
          await store.getPrebuildsSettings();
          log.push(`${name}1`);
          await store.getPrebuildsSettings();
          log.push(`${name}2`);
        });
      }
      await kernel.run();
      return log;
    };
    expect(await order(true)).toEqual(["a1", "b1", "a2", "b2"]);
    expect(await order(false)).toEqual(["a1", "a2", "b1", "b2"]);
  });

  test("three replicas cycling: the lock never has two holders, contention happens, and the same seed replays", async () => {
    const run = async (seed: string) => {
      const { kernel, db, events } = await simulation(ctx().driver, {
        seed,
        policy: "random",
        latency: { median: 3, p90: 12 },
      });
      const log: string[] = [];
      for (const name of ["replica-0", "replica-1", "replica-2"]) {
        const store = db.connect(name);
        kernel.spawn(name, async () => {
          for (let i = 0; i < 4; i++) {
            await cycle(store, log);
            await kernel.clock.sleep(7, "tick");
          }
        });
      }
      await kernel.run({ until: T0 + MINUTE });
      return { log, events, end: kernel.clock.now() };
    };
    const first = await run("seed-7");
    expect(maxConcurrentHolders(first.events)).toBe(1);
    expect(first.events.filter((e) => e.kind === "refused").length).toBeGreaterThan(0);
    const acquirers = new Set(
      first.events.filter((e) => e.kind === "acquired").map((e) => e.holder.connection),
    );
    expect(acquirers.size).toBeGreaterThan(1);
    const again = await run("seed-7");
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
  });

  test("a connection lost mid-cycle ends the lease at that instant; another replica takes over; the cycle's next statement fails", async () => {
    const { kernel, db, events } = await simulation(ctx().driver, {
      seed: "s",
      policy: "fifo",
      latency: { fixed: 5 },
    });
    const a = db.connect("replica-0");
    const b = db.connect("replica-1");
    let failure: unknown;
    kernel.spawn("replica-0", async () => {
      await a
        .inTx(async (session) => {
          await session.tryAcquireLock(LOCK); // T0+5
          await session.getPrebuildsSettings(); // T0+10
          await kernel.clock.sleep(20); // preset tasks running: T0+30
          await session.getRunningPrebuiltWorkspaces(); // the lost session: fails at T0+35
        }, SESSION)
        .catch((e: unknown) => {
          failure = e;
        });
    });
    kernel.spawn("fault", async () => {
      await kernel.clock.sleep(12);
      db.loseConnection("replica-0");
    });
    let acquiredAt: number | undefined;
    kernel.spawn("replica-1", async () => {
      await kernel.clock.sleep(15);
      await b.inTx(async (session) => {
        if (await session.tryAcquireLock(LOCK)) acquiredAt = kernel.clock.now();
      }, SESSION);
    });
    await kernel.run();
    expect(failure).toBeInstanceOf(DatabaseError);
    expect(failure).toMatchObject({ code: "08006", query: "GetRunningPrebuiltWorkspaces" });
    expect(acquiredAt).toBe(T0 + 20);
    expect(events.map((e) => [e.kind, e.holder.connection, e.at - T0])).toEqual([
      ["acquired", "replica-0", 5],
      ["released", "replica-0", 12],
      ["acquired", "replica-1", 20],
      ["released", "replica-1", 20],
    ]);
  });

  // Inside a task the gate tells the caller by the task holding the baton, not by the async
  // context (driverGate.ts): the same misuses must still fail at once instead of hanging.
  const misuse: { name: string; run: (store: Store, other: Store) => Promise<unknown> }[] = [
    { name: "the root store inside its own transaction", run: (s) => s.inTx(() => s.getPrebuildsSettings()) },
    {
      name: "another connection's root store inside a transaction",
      run: (s, other) => s.inTx(() => other.getPrebuildsSettings()),
    },
    {
      name: "the root store inside a lock session's nested transaction",
      run: (s) => s.inTx((session) => session.inTx(() => s.getPrebuildsSettings()), SESSION),
    },
    {
      name: "the lock session store inside its nested transaction",
      run: (s) => s.inTx((session) => session.inTx(() => session.getPrebuildsSettings()), SESSION),
    },
    { name: "a nested root inTx inside a transaction", run: (s) => s.inTx(() => s.inTx(async () => 1)) },
    {
      name: "the root store's lock inside its own transaction",
      run: (s) => s.inTx(() => s.tryAcquireLock(LOCK)),
    },
  ];
  test.each(misuse)("misuse inside a task throws StoreMisuseError — $name", async ({ run }) => {
    const { kernel, db } = await simulation(ctx().driver, {
      seed: "s",
      policy: "fifo",
      latency: { fixed: 2 },
    });
    const store = db.connect("replica-0");
    const other = db.connect("replica-1");
    let error: unknown;
    let after: string | undefined;
    kernel.spawn("client", async () => {
      error = await run(store, other).catch((e: unknown) => e);
      // the failed transaction is over: the same task's root calls work again
      after = await store.getPrebuildsSettings();
    });
    kernel.spawn("bystander", async () => {
      // another task's root calls between the client's are never misuse
      for (let i = 0; i < 3; i++) await other.getPrebuildsSettings();
    });
    await kernel.run();
    expect(kernel.failures).toEqual([]);
    expect(error).toBeInstanceOf(StoreMisuseError);
    expect(String(error)).toContain("use the transaction-scoped store passed to the inTx callback");
    expect(after).toBe("{}");
  });
});
