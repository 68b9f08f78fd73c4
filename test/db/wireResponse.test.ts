// readResponse must read the backend's bytes exactly as PGlite's own reader and parseResults do:
// the same rows (values, NULLs, types, non-ASCII text, duplicate column names), the same tag and
// parameter types, the same first error.
import { PGlite, parse, protocol } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readResponse, type TypeParsers } from "../../src/db/wireResponse.ts";

const { serialize } = protocol;
let db: PGlite;

beforeAll(async () => {
  db = await PGlite.create();
  await db.exec(`
    CREATE TYPE mood AS ENUM ('calm', 'busy');
    CREATE TABLE t (id int PRIMARY KEY, name text, at timestamptz, tags text[], doc jsonb, ok boolean, m mood, n numeric);
    INSERT INTO t VALUES
      (1, 'ascii', '2026-03-02T08:00:00.123Z', '{a,b}', '{"k": [1, 2]}', true, 'busy', 1.50),
      (2, 'Grüße — 日本', NULL, '{}', 'null', false, NULL, NULL);`);
});

afterAll(async () => {
  await db.close();
});

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function raw(message: Uint8Array): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await db.execProtocolRawStream(message, { syncToFs: false, onRawData: (c) => chunks.push(c.slice()) });
  return concat(chunks);
}

/** What PGlite makes of the same message: its messages and the last result's rows. */
async function viaPGlite(message: Uint8Array) {
  const { messages } = await db.execProtocol(message, { syncToFs: false, throwOnError: false });
  return parse.parseResults(messages, db.parsers).at(-1)?.rows ?? [];
}

function extended(sql: string, values: (string | null)[] = []): Uint8Array {
  return concat([
    serialize.parse({ text: sql }),
    serialize.bind({ values }),
    serialize.describe({ type: "P" }),
    serialize.execute({}),
    serialize.sync(),
  ]);
}

const parsers = (): TypeParsers => db.parsers as TypeParsers;

describe("readResponse", () => {
  const statements: { name: string; sql: string; values?: (string | null)[] }[] = [
    { name: "every column type of the table, NULLs and non-ASCII text", sql: "SELECT * FROM t ORDER BY id" },
    {
      name: "parameters and computed columns",
      sql: "SELECT $1::int + 1 AS a, $2::text AS b",
      values: ["41", null],
    },
    { name: "duplicate column names: the last wins", sql: "SELECT 1 AS x, 2 AS x" },
    { name: "no rows", sql: "SELECT id FROM t WHERE false" },
    { name: "a write without RETURNING", sql: "UPDATE t SET ok = ok WHERE id = 0" },
    { name: "a write with RETURNING", sql: "UPDATE t SET n = n WHERE id = 1 RETURNING id, n" },
  ];
  test.each(statements)("$name: the rows PGlite gives", async ({ sql, values }) => {
    const message = extended(sql, values ?? []);
    expect(readResponse(await raw(message), parsers()).rows).toEqual(await viaPGlite(message));
  });

  test("several results in one call: the rows and tag are the last statement's", async () => {
    const message = concat([serialize.query("SELECT 1 AS first"), extended("SELECT 2 AS second")]);
    const response = readResponse(await raw(message), parsers());
    expect(response.rows).toEqual([{ second: 2 }]);
    expect(response.tag).toBe("SELECT 1");
  });

  test("the tag of a write says how many rows it changed", async () => {
    expect(readResponse(await raw(extended("UPDATE t SET ok = ok WHERE id = 0")), parsers()).tag).toBe(
      "UPDATE 0",
    );
  });

  test("a statement's parameter types from its description", async () => {
    const message = concat([
      serialize.parse({ name: "wire_test", text: "SELECT $1::uuid, $2::int8, $3::text[]" }),
      serialize.describe({ type: "S", name: "wire_test" }),
      serialize.sync(),
    ]);
    expect(readResponse(await raw(message), parsers()).paramTypes).toEqual([2950, 20, 1009]);
  });

  test("the first error, with the fields PGlite reports, and nothing read after it", async () => {
    const message = concat([
      extended("INSERT INTO t (id, name) VALUES (1, 'dup')"),
      extended("SELECT 1 / 0 AS never"),
    ]);
    const response = readResponse(await raw(message), parsers());
    const pglite = await db.query("INSERT INTO t (id, name) VALUES (1, 'dup')").catch((e: unknown) => e);
    expect(response.error).toMatchObject({
      code: "23505",
      constraint: "t_pkey",
      table: "t",
      severity: "ERROR",
      message: (pglite as Error).message,
      detail: (pglite as { detail: string }).detail,
    });
    expect(response.rows).toEqual([]);
  });

  test("a message cut short is an error, not a silently shorter answer", () => {
    expect(() => readResponse(new Uint8Array([0x43, 0, 0, 0, 13, 0x53]), parsers())).toThrow(/cut short/);
  });
});
