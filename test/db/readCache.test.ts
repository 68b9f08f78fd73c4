// Which statements the read cache may answer, and the cache's own bookkeeping.
import { describe, expect, test } from "vitest";
import type { SqlExecutor } from "../../src/db/driver.ts";
import * as prebuilds from "../../src/db/queries/prebuilds.ts";
import { isPureRead, ReadCache } from "../../src/db/readCache.ts";
import { EVERYTHING } from "../../src/db/relationCatalog.ts";

describe("isPureRead", () => {
  const table: { name: string; sql: string; pure: boolean }[] = [
    { name: "plain select", sql: "SELECT id FROM workspaces WHERE id = $1", pure: true },
    { name: "select after whitespace", sql: "\n  select 1", pure: true },
    { name: "WITH … SELECT", sql: "WITH x AS (SELECT 1 AS a) SELECT a FROM x", pure: true },
    {
      name: "write words in comments and aggregates only",
      sql: "SELECT count(*) FILTER (WHERE ok) -- no UPDATE here, for now\nFROM t /* DELETE */",
      pure: true,
    },
    { name: "insert", sql: "INSERT INTO t VALUES (1)", pure: false },
    { name: "update", sql: "UPDATE t SET a = 1", pure: false },
    {
      name: "data-modifying CTE",
      sql: "WITH c AS (UPDATE t SET a = 1 RETURNING a) SELECT a FROM c",
      pure: false,
    },
    { name: "delete in a CTE", sql: "WITH d AS (DELETE FROM t RETURNING 1) SELECT 1", pure: false },
    { name: "row lock FOR UPDATE", sql: "SELECT id FROM t FOR UPDATE SKIP LOCKED", pure: false },
    { name: "row lock FOR SHARE", sql: "SELECT id FROM t FOR SHARE", pure: false },
    { name: "row lock FOR NO KEY UPDATE", sql: "SELECT id FROM t FOR NO KEY UPDATE", pure: false },
    { name: "sequence", sql: "SELECT nextval('s')", pure: false },
    { name: "advisory lock", sql: "SELECT pg_try_advisory_xact_lock(1)", pure: false },
    { name: "clock", sql: "SELECT now()", pure: false },
    { name: "current_timestamp", sql: "SELECT current_timestamp", pure: false },
    { name: "randomness", sql: "SELECT random()", pure: false },
    { name: "statistics views", sql: "SELECT * FROM pg_stat_user_tables", pure: false },
    { name: "a setting", sql: "SELECT current_setting('transaction_isolation')", pure: false },
    { name: "the session's user", sql: "SELECT current_user", pure: false },
    {
      name: "an alias starting with current_",
      sql: "SELECT current_preset.id FROM p current_preset",
      pure: true,
    },
    { name: "utility statement", sql: "SET TRANSACTION READ ONLY", pure: false },
    { name: "the session's last sequence value", sql: "SELECT lastval()", pure: false },
    {
      name: "write words inside string literals",
      sql: "SELECT count(*) FILTER (WHERE t = 'delete') FROM t WHERE s <> 'update'",
      pure: true,
    },
    { name: "a clock read in a literal", sql: "SELECT 'now'::timestamptz", pure: false },
    { name: "today in a literal", sql: "SELECT * FROM t WHERE d = 'today'", pure: false },
    { name: "a literal's doubled quote", sql: "SELECT 'it''s', now()", pure: false },
    { name: "an escape string is tested whole", sql: "SELECT E'\\'', 'delete'", pure: false },
    { name: "dollar quoting is tested whole", sql: "SELECT $q$ x $q$, 'delete'", pure: false },
    { name: "SQL run from a string", sql: "SELECT query_to_xml('SELECT 1', true, false, '')", pure: false },
    { name: "a sequence's current value", sql: "SELECT currval('s')", pure: false },
  ];
  test.each(table)("$name: $pure", ({ sql, pure }) => {
    expect(isPureRead(sql)).toBe(pure);
  });
});

// The cache is only worth its keep if the reads every replica repeats each minute qualify: the
// reconciler's snapshot (spec §4.6) and GetPrebuildMetrics, as the Store sends them.
test("every snapshot query and GetPrebuildMetrics is a pure read", async () => {
  const sent: string[] = [];
  const recorder: SqlExecutor = {
    query: async (sql) => {
      sent.push(sql);
      return [];
    },
    exec: async () => undefined,
  };
  await prebuilds.getTemplatePresetsWithPrebuilds.run(recorder, null);
  await prebuilds.getActivePresetPrebuildSchedules.run(recorder);
  await prebuilds.getRunningPrebuiltWorkspaces.run(recorder);
  await prebuilds.countInProgressPrebuilds.run(recorder);
  await prebuilds.countPendingNonActivePrebuilds.run(recorder);
  await prebuilds.getPresetsBackoff.run(recorder, 0);
  await prebuilds.getPresetsAtFailureLimit.run(recorder, 3);
  await prebuilds.getPrebuildMetrics.run(recorder);
  expect(sent).toHaveLength(8);
  expect(sent.filter((sql) => !isPureRead(sql))).toEqual([]);
});

describe("ReadCache", () => {
  const response = new Uint8Array([0x43, 0, 0, 0, 13, ...Buffer.from("SELECT 0\0")]);

  test("keeps a result per text and parameters until invalidated", () => {
    const cache = new ReadCache();
    cache.set("SELECT $1", ["1"], response, EVERYTHING);
    expect(cache.get("SELECT $1", ["1"])?.response).toBe(response);
    expect(cache.get("SELECT $1", ["2"])).toBeUndefined();
    expect(cache.get("SELECT $1", [null])).toBeUndefined();
    cache.invalidate();
    expect(cache.get("SELECT $1", ["1"])).toBeUndefined();
  });

  test("a null parameter and the text 'null' are different keys", () => {
    const cache = new ReadCache();
    cache.set("SELECT $1", [null], response, EVERYTHING);
    expect(cache.get("SELECT $1", ["null"])).toBeUndefined();
  });

  test("texts are told apart, with and without parameters", () => {
    const cache = new ReadCache();
    const other = new Uint8Array(response);
    cache.set("SELECT $1", ["1"], response, EVERYTHING);
    cache.set("SELECT $1 ", ["1"], other, EVERYTHING);
    cache.set("SELECT 1", [], other, EVERYTHING);
    expect(cache.get("SELECT $1", ["1"])?.response).toBe(response);
    expect(cache.get("SELECT $1 ", ["1"])?.response).toBe(other);
    expect(cache.get("SELECT 1", [])?.response).toBe(other);
    expect(cache.get("SELECT $1", [])).toBeUndefined();
  });

  test("an entry voided by a write no longer counts towards the bound", () => {
    const cache = new ReadCache();
    cache.set("SELECT a", [], response, new Set(["a"]));
    cache.written(new Set(["a"]));
    expect(cache.get("SELECT a", [])).toBeUndefined();
    for (let i = 0; i < 1023; i++) cache.set("SELECT $1", [String(i)], response, EVERYTHING);
    cache.set("SELECT $1", ["1023"], response, EVERYTHING);
    expect(cache.get("SELECT $1", ["0"])?.response).toBe(response);
  });

  test("starts over instead of growing past its bound", () => {
    const cache = new ReadCache();
    for (let i = 0; i < 1024; i++) cache.set("SELECT $1", [String(i)], response, EVERYTHING);
    expect(cache.get("SELECT $1", ["0"])?.response).toBe(response);
    cache.set("SELECT $1", ["1024"], response, EVERYTHING);
    expect(cache.get("SELECT $1", ["0"])).toBeUndefined();
    expect(cache.get("SELECT $1", ["1024"])?.response).toBe(response);
  });

  test("a write forgets the results that depend on what it wrote, and only those", () => {
    const cache = new ReadCache();
    cache.set("SELECT a", [], response, new Set(["a"]));
    cache.set("SELECT ab", [], response, new Set(["a", "b"]));
    cache.set("SELECT c", [], response, new Set(["c"]));
    cache.set("SELECT none", [], response, new Set());
    cache.set("SELECT any", [], response, EVERYTHING);
    cache.written(new Set(["b"]));
    expect(cache.get("SELECT a", [])?.response).toBe(response);
    expect(cache.get("SELECT ab", [])).toBeUndefined();
    expect(cache.get("SELECT c", [])?.response).toBe(response);
    expect(cache.get("SELECT none", [])?.response).toBe(response);
    expect(cache.get("SELECT any", [])).toBeUndefined();
    // Read again after the write, a result is good until the next write to what it depends on.
    cache.set("SELECT ab", [], response, new Set(["a", "b"]));
    expect(cache.get("SELECT ab", [])?.response).toBe(response);
    cache.written(new Set(["a"]));
    expect(cache.get("SELECT ab", [])).toBeUndefined();
    expect(cache.get("SELECT a", [])).toBeUndefined();
    expect(cache.get("SELECT c", [])?.response).toBe(response);
    cache.written(EVERYTHING);
    expect(cache.get("SELECT c", [])).toBeUndefined();
    expect(cache.get("SELECT none", [])).toBeUndefined();
  });

  test("remembers per text whether it is cacheable", () => {
    const cache = new ReadCache();
    expect(cache.cacheable("SELECT 1")).toBe(true);
    expect(cache.cacheable("UPDATE t SET a = 1")).toBe(false);
  });
});
