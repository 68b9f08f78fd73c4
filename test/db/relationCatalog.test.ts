// Which relations a statement reads or changes, as the session's read cache relies on: a read must
// name every relation whose change could change its rows, a write every relation it may change;
// and a session whose cache forgets only what a write could change must answer every statement as
// the backend itself does.
import { PGlite } from "@electric-sql/pglite";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PGliteSession } from "../../src/db/pgliteSession.ts";
import {
  type CatalogRow,
  EVERYTHING,
  RELATION_CATALOG_SQL,
  RelationCatalog,
  type Relations,
} from "../../src/db/relationCatalog.ts";

const SCHEMA = `
  CREATE TABLE parent (id serial PRIMARY KEY, name text NOT NULL);
  CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent (id) ON DELETE CASCADE, n int NOT NULL);
  CREATE TABLE other (id int PRIMARY KEY, n int NOT NULL);
  CREATE TABLE keeps (id int PRIMARY KEY, child_id int REFERENCES child (id));
  CREATE VIEW family AS SELECT p.name, c.n FROM parent p JOIN child c ON c.parent_id = p.id;
  CREATE VIEW family_total AS SELECT sum(n)::int AS total FROM family;`;

let db: PGlite;

beforeAll(async () => {
  db = await PGlite.create();
  await db.exec(SCHEMA);
});

afterAll(async () => {
  await db.close();
});

async function catalog(): Promise<RelationCatalog> {
  return new RelationCatalog((await db.query<CatalogRow>(RELATION_CATALOG_SQL)).rows);
}

function sorted(relations: Relations): string[] | typeof EVERYTHING {
  return relations === EVERYTHING ? EVERYTHING : [...relations].sort();
}

describe("RelationCatalog", () => {
  const reads: { name: string; sql: string; relations: string[] | typeof EVERYTHING }[] = [
    { name: "a table", sql: "SELECT n FROM other WHERE id = $1", relations: ["other"] },
    { name: "no relation", sql: "SELECT $1::int AS v", relations: [] },
    {
      name: "a view of a view stands for the tables beneath",
      sql: "SELECT total FROM family_total",
      relations: ["child", "family", "family_total", "parent"],
    },
    { name: "upper case and a schema prefix", sql: "select N from PUBLIC.OTHER", relations: ["other"] },
    { name: "a name only in a comment does not count", sql: "SELECT 1 -- other\n", relations: [] },
    { name: "a system catalog", sql: "SELECT relname FROM pg_class", relations: EVERYTHING },
    { name: "information_schema", sql: "SELECT * FROM information_schema.tables", relations: EVERYTHING },
  ];
  test.each(reads)("reads: $name", async ({ sql, relations }) => {
    expect(sorted((await catalog()).reads(sql))).toEqual(relations);
  });

  const writes: { name: string; sql: string; relations: string[] | typeof EVERYTHING }[] = [
    { name: "insert", sql: "INSERT INTO other (id, n) VALUES ($1, $2)", relations: ["other"] },
    {
      name: "a delete reaches what ON DELETE CASCADE reaches, and the serial's sequence",
      sql: "DELETE FROM parent WHERE id = $1",
      relations: ["child", "parent", "parent_id_seq"],
    },
    {
      name: "a key without an action adds nothing",
      sql: "UPDATE child SET n = n + 1",
      relations: ["child"],
    },
    {
      name: "a data-modifying WITH",
      sql: "WITH u AS (UPDATE other SET n = 0 RETURNING id) SELECT count(*) FROM u",
      relations: ["other"],
    },
    {
      name: "an INSERT … SELECT changes its target, not its source",
      sql: "INSERT INTO other SELECT id, n FROM child",
      relations: ["other"],
    },
    {
      name: "a row lock in a subquery changes nothing; the UPDATE's target does",
      sql: "UPDATE other SET n = 1 WHERE id = (SELECT id FROM child FOR UPDATE OF child SKIP LOCKED)",
      relations: ["other"],
    },
    {
      name: "ON CONFLICT DO UPDATE, schema-qualified and quoted",
      sql: 'INSERT INTO public."other" (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = 2',
      relations: ["other"],
    },
    {
      name: "a sequence its text draws from",
      sql: "INSERT INTO other (id, n) VALUES (nextval('parent_id_seq'), 1)",
      relations: ["other", "parent_id_seq"],
    },
    {
      name: "an insert reaches the sequence of its serial default",
      sql: "INSERT INTO parent (name) VALUES ('p')",
      relations: ["child", "parent", "parent_id_seq"],
    },
    { name: "TRUNCATE", sql: "TRUNCATE other", relations: EVERYTHING },
    { name: "a row lock", sql: "SELECT id FROM other FOR UPDATE", relations: EVERYTHING },
    { name: "a sequence draw", sql: "SELECT nextval('parent_id_seq')", relations: EVERYTHING },
    { name: "an unknown table", sql: "INSERT INTO elsewhere VALUES (1)", relations: EVERYTHING },
    {
      name: "an unknown target beside a known one",
      sql: "WITH d AS (DELETE FROM elsewhere RETURNING 1) UPDATE other SET n = 0",
      relations: EVERYTHING,
    },
  ];
  test.each(writes)("writes: $name", async ({ sql, relations }) => {
    expect(sorted((await catalog()).writes(sql))).toEqual(relations);
  });

  test("a user-defined function or trigger makes every statement reach everything", async () => {
    const fresh = await PGlite.create();
    try {
      await fresh.exec(SCHEMA);
      const load = async () =>
        new RelationCatalog((await fresh.query<CatalogRow>(RELATION_CATALOG_SQL)).rows);
      expect(sorted((await load()).reads("SELECT n FROM other"))).toEqual(["other"]);
      await fresh.exec("CREATE FUNCTION total() RETURNS int LANGUAGE sql AS 'SELECT sum(n)::int FROM child'");
      expect((await load()).reads("SELECT total()")).toBe(EVERYTHING);
      expect((await load()).writes("INSERT INTO other VALUES (1, 1)")).toBe(EVERYTHING);
    } finally {
      await fresh.close();
    }
  });
});

// Random programs of reads and writes over tables, views, a cascading key and a serial: the
// session (whose cache forgets only what each write could change) must give the same rows as
// PGlite.query on a twin database that caches nothing.
describe("a session with the read cache answers as the backend does", () => {
  const READS = [
    "SELECT id, n FROM other ORDER BY id",
    "SELECT id, parent_id, n FROM child ORDER BY id",
    "SELECT id, name FROM parent ORDER BY id",
    "SELECT name, n FROM family ORDER BY name, n",
    "SELECT total FROM family_total",
    "SELECT count(*)::int AS n FROM keeps",
    "SELECT n FROM other WHERE id = $1",
    "SELECT last_value FROM parent_id_seq",
  ];
  const WRITES = [
    "INSERT INTO other (id, n) VALUES ($1, $1) ON CONFLICT (id) DO UPDATE SET n = other.n + 1",
    "DELETE FROM other WHERE id = $1",
    "INSERT INTO parent (name) VALUES ('p' || $1::text)",
    "DELETE FROM parent WHERE id = $1",
    "INSERT INTO child (id, parent_id, n) SELECT $1, min(id), $1 FROM parent ON CONFLICT (id) DO NOTHING",
    "UPDATE child SET n = n + 1 WHERE id = $1",
    "UPDATE other SET n = n + 10 WHERE id = (SELECT id FROM child WHERE n >= $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)",
    "INSERT INTO keeps (id, child_id) SELECT $1, NULL ON CONFLICT (id) DO NOTHING",
    "WITH moved AS (UPDATE other SET n = n * 2 WHERE id = $1 RETURNING id) INSERT INTO keeps (id) SELECT id + 100 FROM moved ON CONFLICT (id) DO NOTHING",
  ];
  const step = fc.record({
    write: fc.boolean(),
    index: fc.nat(),
    value: fc.integer({ min: 1, max: 4 }),
    inTransaction: fc.boolean(),
  });

  test("for 40 random programs of 30 statements", async () => {
    const cached = await PGlite.create();
    const plain = await PGlite.create();
    const session = new PGliteSession(cached);
    const RESET = "TRUNCATE parent, child, other, keeps RESTART IDENTITY CASCADE";
    await cached.exec(SCHEMA);
    await plain.exec(SCHEMA);
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 30, maxLength: 30 }), async (steps) => {
          await session.autocommit.exec(RESET);
          await plain.exec(RESET);
          for (let i = 0; i < steps.length; ) {
            const group = steps[i]?.inTransaction ? steps.slice(i, i + 3) : steps.slice(i, i + 1);
            i += group.length;
            const run = async (query: (sql: string, params: unknown[]) => Promise<unknown[]>) => {
              const out: unknown[] = [];
              for (const s of group) {
                const list = s.write ? WRITES : READS;
                const sql = list[s.index % list.length] as string;
                out.push(await query(sql, sql.includes("$1") ? [s.value] : []));
              }
              return out;
            };
            const mine =
              group.length > 1
                ? await session.transaction((tx) => run((sql, p) => tx.query(sql, p)))
                : await run((sql, p) => session.autocommit.query(sql, p));
            const theirs = await plain.transaction((tx) =>
              run(async (sql, p) => (await tx.query(sql, p)).rows),
            );
            expect(mine).toEqual(theirs);
          }
        }),
        { numRuns: 40, seed: 19 },
      );
    } finally {
      await cached.close();
      await plain.close();
    }
  }, 120_000);
});
