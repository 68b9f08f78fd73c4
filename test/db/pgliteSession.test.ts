// PGliteSession: prepared statements and transactions on PGlite's wire protocol must behave as
// PGlite.query and PGlite.transaction do — same rows, same errors — while preparing each text once.
import { PGlite, TransactionAbortedError } from "@electric-sql/pglite";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { PGliteSession } from "../../src/db/pgliteSession.ts";

let db: PGlite;
let session: PGliteSession;

beforeAll(async () => {
  db = await PGlite.create();
  await db.exec(`
    CREATE TYPE mood AS ENUM ('calm', 'busy');
    CREATE TABLE items (
      id uuid PRIMARY KEY, name text NOT NULL UNIQUE, at timestamptz, tags text[], doc jsonb,
      n int, ok boolean, m mood
    );`);
  session = new PGliteSession(db);
});

afterAll(async () => {
  await db.close();
});

// Through the session: a write behind its back would leave its read cache stale.
beforeEach(async () => {
  await session.autocommit.exec("DELETE FROM items");
});

const ID = "5b1c9a56-0c2e-4b8e-9d7a-3f1f2f0a9e01";
const INSERT = `INSERT INTO items (id, name, at, tags, doc, n, ok, m)
  VALUES ($1, $2, to_timestamp($3::float8 / 1000), $4::text[], $5::jsonb, $6, $7, $8::mood) RETURNING *`;

async function preparedCount(): Promise<number> {
  const rows = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'prebuildsim_%'",
  );
  return rows.rows[0]?.n ?? 0;
}

describe("PGliteSession", () => {
  test("rows and parameters are as PGlite.query gives them (uuid, timestamptz, text[], jsonb, int, bool, enum, null)", async () => {
    const params = [ID, "a", Date.UTC(2026, 2, 2, 8), ["x", "y"], { k: [1, 2] }, 7, true, "busy"];
    const inserted = await session.autocommit.query(INSERT, params);
    const viaSession = await session.autocommit.query("SELECT * FROM items WHERE id = $1", [ID]);
    const viaPGlite = (await db.query("SELECT * FROM items WHERE id = $1", [ID])).rows;
    expect(viaSession).toEqual(viaPGlite);
    expect(inserted).toEqual(viaPGlite);
    expect(viaSession[0]).toMatchObject({
      at: new Date(Date.UTC(2026, 2, 2, 8)),
      tags: ["x", "y"],
      doc: { k: [1, 2] },
      n: 7,
      ok: true,
      m: "busy",
    });
    const nulls = await session.autocommit.query("SELECT $1::text AS a, $2::int AS b", [null, undefined]);
    expect(nulls).toEqual([{ a: null, b: null }]);
  });

  test("each statement text is prepared once, however often it runs", async () => {
    const before = await preparedCount();
    for (let i = 0; i < 5; i++) await session.autocommit.query("SELECT $1::int + 1 AS next", [i]);
    expect(await session.autocommit.query("SELECT $1::int + 1 AS next", [41])).toEqual([{ next: 42 }]);
    expect(await preparedCount()).toBe(before + 1);
  });

  test("a failing statement rejects with the backend's SQLSTATE and leaves the session usable", async () => {
    await session.autocommit.query(INSERT, [ID, "a", null, null, null, null, null, null]);
    await expect(
      session.autocommit.query(INSERT, [ID, "b", null, null, null, null, null, null]),
    ).rejects.toMatchObject({ code: "23505", constraint: "items_pkey" });
    const before = await preparedCount();
    await expect(session.autocommit.query("SELEC 1")).rejects.toMatchObject({ code: "42601" });
    expect(await preparedCount()).toBe(before);
    expect(await session.autocommit.query("SELECT count(*)::int AS n FROM items")).toEqual([{ n: 1 }]);
  });

  test("responses larger than the session's buffer come whole, and small ones after them too", async () => {
    const BIG = "SELECT i, repeat(md5(i::text), 40) AS pad FROM generate_series(1, $1::int) AS i";
    for (const n of [3000, 10, 20000, 1]) {
      const viaSession = await session.autocommit.query(BIG, [n]);
      expect(viaSession).toEqual((await db.query(BIG, [n])).rows);
      expect(viaSession).toHaveLength(n);
    }
  });

  test("overlapping calls (which the DriverGate never makes) are refused, not answered with another call's rows", async () => {
    const A = "SELECT 'a' AS v, now() AS t"; // now(): not cached, so each call reaches the backend
    const B = "SELECT 'b' AS v, now() AS t";
    await session.autocommit.query(A); // prepared: the next calls go straight to the backend
    await session.autocommit.query(B);
    const [a, b] = await Promise.allSettled([session.autocommit.query(A), session.autocommit.query(B)]);
    expect(a).toMatchObject({
      status: "rejected",
      reason: { message: expect.stringMatching(/overlapping/) },
    });
    expect(b).toMatchObject({ status: "fulfilled", value: [{ v: "b" }] });
    expect(await session.autocommit.query(A)).toMatchObject([{ v: "a" }]);
  });

  test("exec runs several statements without parameters", async () => {
    await session.autocommit.exec(
      `INSERT INTO items (id, name) VALUES ('${ID}', 'a'); UPDATE items SET n = 3 WHERE name = 'a';`,
    );
    expect(await session.autocommit.query("SELECT n FROM items")).toEqual([{ n: 3 }]);
  });

  test("a transaction commits what its callback wrote and returns its result", async () => {
    const result = await session.transaction(async (tx) => {
      await tx.query(INSERT, [ID, "a", null, null, null, null, null, null]);
      return (await tx.query("SELECT count(*)::int AS n FROM items"))[0];
    });
    expect(result).toEqual({ n: 1 });
    expect((await db.query("SELECT name FROM items")).rows).toEqual([{ name: "a" }]);
  });

  test("BEGIN and the transaction mode go with the first statement: one call, and the mode holds", async () => {
    const LEVEL = "SELECT current_setting('transaction_isolation') AS level";
    expect(await session.autocommit.query(LEVEL)).toEqual([{ level: "read committed" }]); // prepared now
    const spy = vi.spyOn(db, "execProtocolRawStream");
    try {
      const isolation = await session.transaction(async (tx) => {
        await tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        return tx.query(LEVEL);
      });
      expect(isolation).toEqual([{ level: "repeatable read" }]);
      expect(spy.mock.calls.length).toBe(2); // BEGIN + SET + SELECT, then COMMIT
    } finally {
      spy.mockRestore();
    }
    await expect(
      session.transaction(async (tx) => {
        await tx.exec("SET TRANSACTION READ ONLY");
        await tx.query(INSERT, [ID, "a", null, null, null, null, null, null]);
      }),
    ).rejects.toMatchObject({ code: "25006" });
    expect((await db.query("SELECT count(*)::int AS n FROM items")).rows).toEqual([{ n: 0 }]);
  });

  test("a callback that rejects rolls the transaction back and the rejection comes through", async () => {
    const boom = new Error("boom");
    await expect(
      session.transaction(async (tx) => {
        await tx.query(INSERT, [ID, "a", null, null, null, null, null, null]);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect((await db.query("SELECT count(*)::int AS n FROM items")).rows).toEqual([{ n: 0 }]);
  });

  test("a statement error swallowed inside the callback makes COMMIT a rollback: TransactionAbortedError", async () => {
    await expect(
      session.transaction(async (tx) => {
        await tx.query(INSERT, [ID, "a", null, null, null, null, null, null]);
        await tx.query("SELECT 1 / 0").catch(() => undefined);
      }),
    ).rejects.toBeInstanceOf(TransactionAbortedError);
    expect((await db.query("SELECT count(*)::int AS n FROM items")).rows).toEqual([{ n: 0 }]);
  });

  test("misuse throws instead of hanging: a stale handle, the autocommit executor or a nested transaction while one is open", async () => {
    let stale: Parameters<Parameters<PGliteSession["transaction"]>[0]>[0] | undefined;
    await session.transaction(async (tx) => {
      stale = tx;
      await expect(session.autocommit.query("SELECT 1")).rejects.toThrow(/outside the open transaction/);
      await expect(session.transaction(async () => undefined)).rejects.toThrow(/already open/);
    });
    await expect(stale?.query("SELECT 1")).rejects.toThrow(/after its transaction ended/);
    expect(await session.autocommit.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  describe("reads of unchanged data", () => {
    const COUNT = "SELECT count(*)::int AS n, array_agg(name ORDER BY name) AS names FROM items";
    const insert = (name: string) =>
      session.autocommit.query("INSERT INTO items (id, name) VALUES (md5($1)::uuid, $1)", [name]);

    async function backendCalls<T>(fn: () => Promise<T>): Promise<{ result: T; calls: number }> {
      const spy = vi.spyOn(db, "execProtocolRawStream");
      try {
        const result = await fn();
        return { result, calls: spy.mock.calls.length };
      } finally {
        spy.mockRestore();
      }
    }

    test("are answered without the backend, as fresh row objects", async () => {
      await insert("a");
      const first = await session.autocommit.query(COUNT);
      const again = await backendCalls(() => session.autocommit.query(COUNT));
      expect(again.calls).toBe(0);
      expect(again.result).toEqual([{ n: 1, names: ["a"] }]);
      const names = again.result[0]?.names;
      if (!Array.isArray(names)) throw new Error("names should be an array");
      names.push("mutated");
      expect(await session.autocommit.query(COUNT)).toEqual(first);
    });

    test("answered again and again, give rows equal to PGlite.query's, whatever the caller did to earlier ones", async () => {
      const at = Date.UTC(2026, 2, 2, 8);
      await session.autocommit.query(INSERT, [ID, "a", at, ["x", "y"], { k: [1, 2] }, 7, true, "busy"]);
      const ALL = "SELECT *, ARRAY[at, at] AS ats, ARRAY[ARRAY[1, 2], ARRAY[3, 4]] AS grid FROM items";
      const LEAN = "SELECT id, name, at, tags, n, ok, m, ARRAY[at] AS ats FROM items"; // no jsonb: values kept
      for (const sql of [ALL, LEAN]) {
        const expected = (await db.query(sql)).rows;
        const first = await session.autocommit.query(sql);
        for (let hit = 0; hit < 3; hit++) {
          const { result, calls } = await backendCalls(() => session.autocommit.query(sql));
          expect(calls).toBe(0);
          expect(result).toStrictEqual(expected);
          expect(Object.keys(result[0] ?? {})).toEqual(Object.keys(expected[0] ?? {}));
          // what a caller does to its rows stays its own
          const row = result[0] as Record<string, unknown>;
          (row.at as Date).setTime(0);
          (row.tags as string[]).push("mutated");
          (row.ats as Date[])[0]?.setTime(0);
          row.name = "mutated";
        }
        expect(first).toStrictEqual(expected);
      }
    });

    test("with other parameters, or after a write, go to the backend", async () => {
      await session.autocommit.query("SELECT $1::int AS v", [1]);
      expect((await backendCalls(() => session.autocommit.query("SELECT $1::int AS v", [2]))).calls).toBe(1);
      expect(await session.autocommit.query(COUNT)).toEqual([{ n: 0, names: null }]);
      await insert("a");
      expect(await session.autocommit.query(COUNT)).toEqual([{ n: 1, names: ["a"] }]);
      await session.autocommit.exec("DELETE FROM items");
      expect(await session.autocommit.query(COUNT)).toEqual([{ n: 0, names: null }]);
    });

    test("survive a write that changed no row, not one that changed a row", async () => {
      await insert("a");
      await session.autocommit.query(COUNT);
      await session.autocommit.query("UPDATE items SET n = 1 WHERE name = 'nobody'");
      await session.autocommit.query("DELETE FROM items WHERE name = 'nobody'");
      expect((await backendCalls(() => session.autocommit.query(COUNT))).calls).toBe(0);
      await session.autocommit.query("DELETE FROM items WHERE name = 'a'");
      expect(await session.autocommit.query(COUNT)).toEqual([{ n: 0, names: null }]);
    });

    test("a data-modifying WITH always counts as a write", async () => {
      await session.autocommit.query(COUNT);
      await session.autocommit.query(
        "WITH c AS (INSERT INTO items (id, name) VALUES (md5('c')::uuid, 'c') RETURNING 1) SELECT 0 AS zero FROM c WHERE false",
      );
      expect(await session.autocommit.query(COUNT)).toEqual([{ n: 1, names: ["c"] }]);
    });

    test("a WITH whose outer INSERT inserts nothing counts as a write: its CTE may have written", async () => {
      await insert("a");
      await session.autocommit.query(COUNT);
      await session.autocommit.query(
        "WITH u AS (UPDATE items SET name = 'z' WHERE name = 'a' RETURNING id) INSERT INTO items (id, name) SELECT id, 'dup' FROM u WHERE false",
      );
      expect(await session.autocommit.query(COUNT)).toEqual([{ n: 1, names: ["z"] }]);
    });

    test("a write keeps the cached reads of tables it did not touch", async () => {
      await session.autocommit.exec("CREATE TABLE IF NOT EXISTS others (n int)");
      const OTHERS = "SELECT count(*)::int AS n FROM others";
      await session.autocommit.query(OTHERS);
      await session.autocommit.query(COUNT);
      await insert("a");
      expect((await backendCalls(() => session.autocommit.query(OTHERS))).calls).toBe(0);
      expect(await session.autocommit.query(COUNT)).toEqual([{ n: 1, names: ["a"] }]);
      await session.autocommit.query("INSERT INTO others VALUES (1)");
      expect(await session.autocommit.query(OTHERS)).toEqual([{ n: 1 }]);
    });

    test("seen inside a transaction that rolls back are forgotten", async () => {
      await expect(
        session.transaction(async (tx) => {
          await tx.query("INSERT INTO items (id, name) VALUES (md5('b')::uuid, 'b')");
          expect(await tx.query(COUNT)).toEqual([{ n: 1, names: ["b"] }]);
          throw new Error("undo");
        }),
      ).rejects.toThrow("undo");
      expect(await session.autocommit.query(COUNT)).toEqual([{ n: 0, names: null }]);
    });

    test("fail inside a failed transaction, as the backend makes them fail", async () => {
      await session.autocommit.query(COUNT);
      await expect(
        session.transaction(async (tx) => {
          await tx.query("SELECT 1 / 0").catch(() => undefined);
          await tx.query(COUNT);
        }),
      ).rejects.toMatchObject({ code: "25P02" });
    });

    test("a transaction whose reads are all cached never reaches the backend", async () => {
      await session.autocommit.query(COUNT);
      const { calls, result } = await backendCalls(() =>
        session.transaction(async (tx) => {
          await tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
          return tx.query(COUNT);
        }),
      );
      expect(result).toEqual([{ n: 0, names: null }]);
      expect(calls).toBe(0);
    });

    test("a transaction of uncached reads alone costs one call per read: no BEGIN, no COMMIT", async () => {
      await insert("a");
      const NAMES = "SELECT name FROM items ORDER BY name";
      await session.autocommit.query(NAMES); // prepared now
      await session.autocommit.query(COUNT);
      await insert("b"); // both reads are stale now
      const { calls, result } = await backendCalls(() =>
        session.transaction(async (tx) => {
          await tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
          return [await tx.query(COUNT), await tx.query(NAMES)];
        }),
      );
      expect(result).toEqual([[{ n: 2, names: ["a", "b"] }], [{ name: "a" }, { name: "b" }]]);
      expect(calls).toBe(2);
    });

    test("a write after reads that ran ahead of BEGIN still runs in the transaction, in its mode", async () => {
      await session.autocommit.query(COUNT);
      await insert("a");
      await expect(
        session.transaction(async (tx) => {
          await tx.exec("SET TRANSACTION READ ONLY");
          await tx.query(COUNT);
          await tx.query(INSERT, [ID, "x", null, null, null, null, null, null]);
        }),
      ).rejects.toMatchObject({ code: "25006" });
      await expect(
        session.transaction(async (tx) => {
          expect(await tx.query(COUNT)).toEqual([{ n: 1, names: ["a"] }]);
          await tx.query(INSERT, [ID, "x", null, null, null, null, null, null]);
          throw new Error("undo");
        }),
      ).rejects.toThrow("undo");
      expect(await session.autocommit.query(COUNT)).toEqual([{ n: 1, names: ["a"] }]);
    });

    test("a read failing ahead of BEGIN fails the transaction as the backend does", async () => {
      await expect(
        session.transaction(async (tx) => {
          await expect(tx.query("SELECT 1 / 0 AS x")).rejects.toMatchObject({ code: "22012" });
          await tx.query(INSERT, [ID, "x", null, null, null, null, null, null]);
        }),
      ).rejects.toMatchObject({ code: "25P02" });
      await expect(
        session.transaction(async (tx) => {
          await tx.query("SELECT 1 / 0 AS x").catch(() => undefined);
        }),
      ).rejects.toBeInstanceOf(TransactionAbortedError);
      expect(await session.autocommit.query(COUNT)).toEqual([{ n: 0, names: null }]);
    });
  });
});
