// The Store's scheduling contract and its simulated machinery: one park point per operation,
// transactions, misuse of an outer store, lock sessions and advisory locks, fault injection, and
// the fast reset.
import { expect, test } from "vitest";
import { HOUR, MINUTE, SECOND } from "../../src/clock/types.ts";
import { DEFAULT_ORGANIZATION_ID, LockId, PREBUILDS_SYSTEM_USER_ID } from "../../src/db/constants.ts";
import { Database } from "../../src/db/database.ts";
import { DatabaseError, StoreMisuseError } from "../../src/db/errors.ts";
import type { LeaseEvent } from "../../src/db/lockManager.ts";
import { historyTableScans, repeatedQueueScans } from "../../src/db/snapshotPlans.ts";
import type { Store } from "../../src/db/store.ts";
import { writeSyntheticHistory } from "../../src/db/syntheticHistory.ts";
import { Rng } from "../../src/kernel/rng.ts";
import { type DbTestContext, describeEachBackend, T0 } from "./harness.ts";

const LOCK = LockId.ReconcilePrebuilds;
const SESSION = {
  isolation: "repeatable read",
  readOnly: true,
  txIdentifier: "prebuilds.WithReconciliationLock",
} as const;

async function withLatency(c: DbTestContext, median: number, p90 = median): Promise<Database> {
  return Database.open({ driver: c.driver, clock: c.clock, rng: c.rng, latency: { median, p90 } });
}

function parkedOps(c: DbTestContext): string[] {
  return c.clock.sleeps.map((s) => s.tags.at(-1) ?? "?");
}

describeEachBackend("Store: park points", (ctx) => {
  test("every root operation is one park point of the sampled latency, tagged with connection and query", async () => {
    const c = ctx();
    const db = await withLatency(c, 7);
    c.clock.sleeps.length = 0;
    const store = db.connect("replica-0");
    await store.getPrebuildsSettings();
    await store.getRunningPrebuiltWorkspaces();
    expect(c.clock.sleeps).toEqual([
      { duration: 7, tags: ["db", "replica-0", "GetPrebuildsSettings"] },
      { duration: 7, tags: ["db", "replica-0", "GetRunningPrebuiltWorkspaces"] },
    ]);
  });

  test("a read-write inTx is one park point, whatever it runs", async () => {
    const c = ctx();
    c.clock.sleeps.length = 0;
    await c.store.inTx(async (tx) => {
      await tx.upsertPrebuildsSettings("{}");
      await tx.getPrebuildsSettings();
      await tx.getTemplatePresetsWithPrebuilds(null);
      await tx.tryAcquireLock(LOCK);
    });
    expect(parkedOps(c)).toEqual(["inTx"]);
  });

  test("in a lock session each statement parks; a nested inTx parks once for all its statements", async () => {
    const c = ctx();
    c.clock.sleeps.length = 0;
    await c.store.inTx(async (session) => {
      await session.tryAcquireLock(LOCK);
      await session.getPrebuildsSettings();
      await session.inTx(async (tx) => {
        await tx.getTemplatePresetsWithPrebuilds(null);
        await tx.getRunningPrebuiltWorkspaces();
        await tx.countInProgressPrebuilds();
      });
    }, SESSION);
    expect(parkedOps(c)).toEqual(["TryAcquireLock", "GetPrebuildsSettings", "inTx"]);
  });

  test("latency comes from a seeded stream per connection: same seed, same sleeps", async () => {
    const c = ctx();
    const run = async (seed: string) => {
      const db = await Database.open({
        driver: c.driver,
        clock: c.clock,
        rng: new Rng(seed),
        latency: { median: 2, p90: 10 },
      });
      c.clock.sleeps.length = 0;
      for (let i = 0; i < 5; i++) await db.connect("replica-0").getPrebuildsSettings();
      for (let i = 0; i < 5; i++) await db.connect("replica-1").getPrebuildsSettings();
      return c.clock.sleeps.map((s) => s.duration);
    };
    const a = await run("seed-1");
    expect(await run("seed-1")).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(1);
    expect(a.slice(0, 5)).not.toEqual(a.slice(5));
  });
});

describeEachBackend("Store: transactions and misuse", (ctx) => {
  test("a failing read-write transaction rolls everything back and releases its leases", async () => {
    const c = ctx();
    const err = await c.store
      .inTx(async (tx) => {
        await tx.upsertPrebuildsSettings('{"reconciliation_paused":true}');
        expect(await tx.tryAcquireLock(LOCK)).toBe(true);
        throw new Error("builder refused");
      })
      .catch((e: unknown) => e);
    expect(err).toEqual(new Error("builder refused"));
    expect(await c.store.getPrebuildsSettings()).toBe("{}");
    expect(c.db.locks.holderOf(LOCK)).toBeUndefined();
  });

  test("inTx on a transaction store reuses that transaction (upstream's InTx on a tx)", async () => {
    const c = ctx();
    await c.store.inTx(async (tx) => {
      await tx.inTx(async (inner) => {
        expect(inner).toBe(tx);
        await inner.upsertPrebuildsSettings('{"reconciliation_paused":true}');
      });
      expect(await tx.getPrebuildsSettings()).toBe('{"reconciliation_paused":true}');
    });
  });

  const misuse: { name: string; run: (c: DbTestContext) => Promise<unknown> }[] = [
    {
      name: "the root store inside its own read-write transaction",
      run: (c) => c.store.inTx(() => c.store.getPrebuildsSettings()),
    },
    {
      name: "another connection's root store inside a transaction (same single session)",
      run: (c) => c.store.inTx(() => c.db.connect("replica-1").getPrebuildsSettings()),
    },
    {
      name: "the root store inside a lock session's nested transaction",
      run: (c) => c.store.inTx((session) => session.inTx(() => c.store.getPrebuildsSettings()), SESSION),
    },
    {
      name: "the lock session store inside its nested transaction",
      run: (c) => c.store.inTx((session) => session.inTx(() => session.getPrebuildsSettings()), SESSION),
    },
    {
      name: "a nested root inTx inside a transaction",
      run: (c) => c.store.inTx(() => c.store.inTx(async () => 1)),
    },
  ];
  test.each(misuse)("misuse throws StoreMisuseError instead of hanging — $name", async ({ run }) => {
    const c = ctx();
    const err = await run(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreMisuseError);
    expect(String(err)).toContain("use the transaction-scoped store passed to the inTx callback");
  });

  test("a transaction-scoped store used after its transaction ended throws", async () => {
    const c = ctx();
    let leaked: Store | undefined;
    await c.store.inTx(async (tx) => {
      leaked = tx;
    });
    await expect(leaked?.getPrebuildsSettings()).rejects.toThrow(/after its transaction ended/);
  });

  test("a lock session store used after its inTx returned throws", async () => {
    const c = ctx();
    let leaked: Store | undefined;
    await c.store.inTx(async (session) => {
      leaked = session;
    }, SESSION);
    await expect(leaked?.getPrebuildsSettings()).rejects.toThrow(/after its inTx returned/);
  });

  test("while a lock session is open, the root store writes in its own transactions (upstream's pattern)", async () => {
    const c = ctx();
    await c.store.inTx(async (session) => {
      expect(await session.tryAcquireLock(LOCK)).toBe(true);
      await c.store.upsertPrebuildsSettings('{"reconciliation_paused":false}');
      await c.store.inTx((tx) =>
        tx.updatePresetDesiredInstancesById({ id: PREBUILDS_SYSTEM_USER_ID, desiredInstances: 1 }),
      );
      expect(await session.getPrebuildsSettings()).toBe('{"reconciliation_paused":false}');
    }, SESSION);
  });

  test("callers outside transactions queue behind an open transaction instead of failing", async () => {
    const c = ctx();
    const results = await Promise.all([
      c.store.inTx(async (tx) => {
        await tx.upsertPrebuildsSettings('{"a":1}');
        return tx.getPrebuildsSettings();
      }),
      c.db.connect("replica-1").getPrebuildsSettings(),
      c.db.connect("replica-2").inTx((tx) => tx.getPrebuildsSettings()),
    ]);
    expect(results[0]).toBe('{"a":1}');
    expect(results).toHaveLength(3);
  });

  const readOnlyWrites: { name: string; run: (s: Store) => Promise<unknown> }[] = [
    { name: "a statement of the session", run: (s) => s.upsertPrebuildsSettings("{}") },
    {
      name: "the session's nested transaction",
      run: (s) => s.inTx((tx) => tx.upsertPrebuildsSettings("{}")),
    },
  ];
  test.each(readOnlyWrites)(
    "a write in $name fails like a read-only transaction (25006)",
    async ({ run }) => {
      const c = ctx();
      const err = await c.store.inTx(run, SESSION).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseError);
      expect(err).toMatchObject({ code: "25006", query: "UpsertPrebuildsSettings", connection: "test" });
    },
  );
});

describeEachBackend("Store: advisory locks through lock sessions", (ctx) => {
  test("two replicas: the second is refused while the first's session holds the lock; granted after it ends", async () => {
    const c = ctx();
    const a = c.db.connect("replica-0");
    const b = c.db.connect("replica-1");
    const events: LeaseEvent[] = [];
    c.db.locks.subscribe((e) => events.push(e));
    await a.inTx(async (sessionA) => {
      expect(await sessionA.tryAcquireLock(LOCK)).toBe(true);
      expect(await b.inTx((sessionB) => sessionB.tryAcquireLock(LOCK), SESSION)).toBe(false);
      expect(await b.tryAcquireLock(LOCK)).toBe(false);
    }, SESSION);
    expect(await b.inTx((sessionB) => sessionB.tryAcquireLock(LOCK), SESSION)).toBe(true);
    expect(events.map((e) => [e.kind, e.holder.connection, e.kind === "released" ? e.reason : ""])).toEqual([
      ["acquired", "replica-0", ""],
      ["refused", "replica-1", ""],
      ["refused", "replica-1", ""],
      ["released", "replica-0", "session-end"],
      ["acquired", "replica-1", ""],
      ["released", "replica-1", "session-end"],
    ]);
    expect(events[0]?.holder.txIdentifier).toBe("prebuilds.WithReconciliationLock");
  });

  test("re-entrant within a session, including from its nested transaction", async () => {
    const c = ctx();
    await c.store.inTx(async (session) => {
      expect(await session.tryAcquireLock(LOCK)).toBe(true);
      expect(await session.tryAcquireLock(LOCK)).toBe(true);
      expect(await session.inTx((tx) => tx.tryAcquireLock(LOCK))).toBe(true);
      expect(c.db.locks.holderOf(LOCK)?.connection).toBe("test");
    }, SESSION);
    expect(c.db.locks.holderOf(LOCK)).toBeUndefined();
  });

  test("a read-write transaction's lease ends at commit", async () => {
    const c = ctx();
    const reasons: string[] = [];
    c.db.locks.subscribe((e) => {
      if (e.kind === "released") reasons.push(e.reason);
    });
    await c.store.inTx(
      async (tx) => {
        expect(await tx.tryAcquireLock(LOCK)).toBe(true);
        expect(c.db.locks.holderOf(LOCK)?.txIdentifier).toBe("prebuilds.createPrebuiltWorkspace");
      },
      { txIdentifier: "prebuilds.createPrebuiltWorkspace" },
    );
    expect(reasons).toEqual(["commit"]);
  });

  test("outside a transaction the lock lives for one statement", async () => {
    const c = ctx();
    expect(await c.store.tryAcquireLock(LOCK)).toBe(true);
    expect(c.db.locks.holderOf(LOCK)).toBeUndefined();
    expect(await c.db.connect("replica-1").tryAcquireLock(LOCK)).toBe(true);
  });

  test("losing the connection mid-session ends the lease; the session's next statement fails; others acquire", async () => {
    const c = ctx();
    const a = c.db.connect("replica-0");
    const b = c.db.connect("replica-1");
    const err = await a
      .inTx(async (session) => {
        expect(await session.tryAcquireLock(LOCK)).toBe(true);
        c.db.loseConnection("replica-0");
        expect(c.db.locks.holderOf(LOCK)).toBeUndefined();
        expect(await b.inTx((s) => s.tryAcquireLock(LOCK), SESSION)).toBe(true);
        return session.getPrebuildsSettings();
      }, SESSION)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err).toMatchObject({ code: "08006", connection: "replica-0", query: "GetPrebuildsSettings" });
    // The replica's root store reconnects: its pool is not the lost session.
    expect(await a.getPrebuildsSettings()).toBe("{}");
    expect(await a.inTx((s) => s.tryAcquireLock(LOCK), SESSION)).toBe(true);
  });

  test("a loss while a session statement is parked fails that statement", async () => {
    const c = ctx();
    const a = c.db.connect("replica-0");
    const err = await a
      .inTx(async (session) => {
        await session.tryAcquireLock(LOCK);
        c.clock.onSleep = (s) => {
          if (s.tags.includes("GetRunningPrebuiltWorkspaces")) c.db.loseConnection("replica-0");
        };
        return session.getRunningPrebuiltWorkspaces();
      }, SESSION)
      .catch((e: unknown) => e);
    c.clock.onSleep = undefined;
    expect(err).toMatchObject({ code: "08006", query: "GetRunningPrebuiltWorkspaces" });
  });
});

describeEachBackend("Store: fault injection", (ctx) => {
  test("a named query fails inside its window and looks like a PostgreSQL error", async () => {
    const c = ctx();
    c.db.faults.add({ query: "GetRunningPrebuiltWorkspaces", probability: 1, from: T0, until: T0 + MINUTE });
    const err = await c.store.getRunningPrebuiltWorkspaces().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err).toMatchObject({
      name: "DatabaseError",
      severity: "ERROR",
      code: "XX000",
      query: "GetRunningPrebuiltWorkspaces",
      connection: "test",
      injected: true,
    });
    expect(String(err)).toContain("GetRunningPrebuiltWorkspaces on connection test: injected fault");
  });

  const spared: {
    name: string;
    at: number;
    query: "GetRunningPrebuiltWorkspaces" | "GetPrebuildsSettings";
    connection: string;
  }[] = [
    { name: "before the window", at: T0 - 1, query: "GetRunningPrebuiltWorkspaces", connection: "test" },
    {
      name: "at the window's end (exclusive)",
      at: T0 + MINUTE,
      query: "GetRunningPrebuiltWorkspaces",
      connection: "test",
    },
    { name: "another query", at: T0, query: "GetPrebuildsSettings", connection: "test" },
    { name: "another connection", at: T0, query: "GetRunningPrebuiltWorkspaces", connection: "replica-9" },
  ];
  test.each(spared)("no failure — $name", async ({ at, query, connection }) => {
    const c = ctx();
    c.db.faults.add({
      query: "GetRunningPrebuiltWorkspaces",
      probability: 1,
      from: T0,
      until: T0 + MINUTE,
      connection: "test",
    });
    c.clock.current = at;
    const store = c.db.connect(connection);
    await expect(
      query === "GetPrebuildsSettings" ? store.getPrebuildsSettings() : store.getRunningPrebuiltWorkspaces(),
    ).resolves.toBeDefined();
  });

  test("'*' matches every query, the lock query included, with the rule's SQLSTATE; removing the rule heals", async () => {
    const c = ctx();
    const remove = c.db.faults.add({
      query: "*",
      probability: 1,
      from: T0,
      until: T0 + MINUTE,
      code: "57P01",
    });
    await expect(c.store.getPrebuildsSettings()).rejects.toMatchObject({
      code: "57P01",
      query: "GetPrebuildsSettings",
    });
    await expect(c.store.inTx((s) => s.tryAcquireLock(LOCK), SESSION)).rejects.toMatchObject({
      query: "TryAcquireLock",
    });
    remove();
    await expect(c.store.getPrebuildsSettings()).resolves.toBe("{}");
  });

  test("a fault inside a read-write transaction rolls the transaction back", async () => {
    const c = ctx();
    c.db.faults.add({ query: "InsertWorkspace", probability: 1, from: T0, until: T0 + MINUTE });
    const { template } = await c.fx.template();
    const err = await c.store
      .inTx(async (tx) => {
        await tx.upsertPrebuildsSettings('{"x":1}');
        await tx.insertWorkspace({
          id: c.fx.id(),
          ownerId: PREBUILDS_SYSTEM_USER_ID,
          organizationId: DEFAULT_ORGANIZATION_ID,
          templateId: template.id,
          name: "w",
          automaticUpdates: "never",
          createdAt: T0,
        });
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ query: "InsertWorkspace", injected: true });
    expect(await c.store.getPrebuildsSettings()).toBe("{}");
  });

  test("same seed, same failures: the draws come from the seeded stream", async () => {
    const c = ctx();
    const pattern = async () => {
      const db = await Database.open({ driver: c.driver, clock: c.clock, rng: new Rng("faults") });
      db.faults.add({ query: "GetPrebuildsSettings", probability: 0.5, from: T0, until: T0 + MINUTE });
      const out: boolean[] = [];
      for (let i = 0; i < 24; i++) {
        out.push(
          await db
            .connect("r")
            .getPrebuildsSettings()
            .then(
              () => true,
              () => false,
            ),
        );
      }
      return out;
    };
    const first = await pattern();
    expect(await pattern()).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);
  });

  test("faults are observable, and bad rules are rejected with the reason", () => {
    const c = ctx();
    const seen: string[] = [];
    c.db.faults.subscribe((f) => seen.push(`${f.query}@${f.connection}`));
    c.db.faults.add({ query: "GetPresetsBackoff", probability: 1, from: T0, until: T0 + SECOND });
    expect(() => c.db.faults.check("GetPresetsBackoff", "replica-0", T0)).toThrow(DatabaseError);
    expect(seen).toEqual(["GetPresetsBackoff@replica-0"]);
    expect(() =>
      c.db.faults.add({ query: "GetNothing" as "*", probability: 1, from: T0, until: T0 }),
    ).toThrow(/unknown query name "GetNothing"/);
    expect(() => c.db.faults.add({ query: "*", probability: 1.5, from: T0, until: T0 })).toThrow(
      /probability/,
    );
    expect(() => c.db.faults.add({ query: "*", probability: 1, from: T0, until: T0 - 1 })).toThrow(/window/);
  });
});

describeEachBackend("Store: reset", (ctx) => {
  async function dataRows(c: DbTestContext): Promise<Record<string, number>> {
    const [row] = await c.driver.query(
      `SELECT (SELECT count(*) FROM organizations)::int AS organizations, (SELECT count(*) FROM users)::int AS users,
              (SELECT count(*) FROM organization_members)::int AS members, (SELECT count(*) FROM templates)::int AS templates,
              (SELECT count(*) FROM workspaces)::int AS workspaces, (SELECT count(*) FROM workspace_builds)::int AS builds,
              (SELECT count(*) FROM provisioner_jobs)::int AS jobs, (SELECT count(*) FROM workspace_agents)::int AS agents,
              (SELECT count(*) FROM site_configs)::int AS site_configs,
              (SELECT count(*) FROM notification_templates)::int AS notification_templates`,
    );
    return row as Record<string, number>;
  }
  const seeded = {
    organizations: 1,
    users: 1,
    members: 1,
    templates: 0,
    workspaces: 0,
    builds: 0,
    jobs: 0,
    agents: 0,
    site_configs: 0,
    notification_templates: 2,
  };

  test("opening a Database restores the seeded state after a small run (DELETE path)", async () => {
    const c = ctx();
    const { template, version } = await c.fx.template();
    const preset = await c.fx.preset({ templateVersionId: version.id });
    await c.fx.prebuild({ preset, templateId: template.id });
    await c.fx.user();
    await c.store.upsertPrebuildsSettings('{"reconciliation_paused":true}');
    await Database.open({ driver: c.driver, clock: c.clock, rng: c.rng });
    expect(await dataRows(c)).toEqual(seeded);
  });

  test("and after a large history (TRUNCATE path)", async () => {
    const c = ctx();
    const history = await writeSyntheticHistory(c.driver, { builds: 2_000, end: T0 });
    expect(history.builds).toBeGreaterThan(1_000);
    await Database.open({ driver: c.driver, clock: c.clock, rng: c.rng });
    expect(await dataRows(c)).toEqual(seeded);
  });

  test("a fresh Database has no leases and no fault rules", async () => {
    const c = ctx();
    c.db.faults.add({ query: "*", probability: 1, from: T0, until: T0 + MINUTE });
    await c.store.inTx(async (s) => s.tryAcquireLock(LOCK), SESSION).catch(() => undefined);
    const db = await Database.open({ driver: c.driver, clock: c.clock, rng: c.rng });
    expect(db.locks.holderOf(LOCK)).toBeUndefined();
    await expect(db.connect("test").getPrebuildsSettings()).resolves.toBe("{}");
  });
});

describeEachBackend("snapshot query plans", (ctx) => {
  test("on a 10k-build history no snapshot query scans a table that grows with history", async () => {
    const c = ctx();
    await writeSyntheticHistory(c.driver, { builds: 10_000, end: T0 });
    expect(await historyTableScans(c.driver, { lookback: T0 - HOUR, hardLimit: 3 })).toEqual([]);
  });

  test("with a 300-job backlog and no statistics (as a run's PGlite), no snapshot query walks the queue in a loop", async () => {
    const c = ctx();
    await writeSyntheticHistory(c.driver, { builds: 2_000, end: T0, pendingPrebuilds: 300, analyze: false });
    const [pending] = await c.driver.query(
      "SELECT count(*)::int AS n FROM provisioner_jobs WHERE job_status = 'pending'",
    );
    expect(pending?.n).toBe(300);
    expect(await repeatedQueueScans(c.driver, { lookback: T0 - HOUR, hardLimit: 3 })).toEqual([]);
  });
});
