// A cached read's rows kept as values: rebuilt rows are equal to the stored ones, share nothing
// mutable with them, and anything that cannot be copied faithfully is refused.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { RawRow } from "../../src/db/driver.ts";
import { StoredRows } from "../../src/db/storedRows.ts";

describe("StoredRows", () => {
  test("rebuilds equal rows, keys in the same order, with fresh Dates and arrays", () => {
    const at = new Date(Date.UTC(2026, 0, 2));
    const rows: RawRow[] = [
      { id: "a", n: 1, big: 2n, ok: true, none: null, at, tags: ["x"], grid: [[1], [2]], ats: [at] },
      { id: "b", n: 2, big: 3n, ok: false, none: null, at: null, tags: [], grid: [], ats: [] },
    ];
    const expected = structuredClone(rows);
    const stored = StoredRows.of(rows);
    if (stored === null) throw new Error("rows of primitives, Dates and arrays are kept");
    const first = stored.rows();
    expect(first).toStrictEqual(expected);
    expect(first.map((r) => Object.keys(r))).toEqual(expected.map((r) => Object.keys(r)));
    const row = first[0] as RawRow;
    (row.at as Date).setTime(0);
    (row.tags as string[]).push("y");
    ((row.grid as number[][])[0] as number[]).push(9);
    (row.ats as Date[])[0]?.setTime(0);
    delete first[1]?.id;
    expect(stored.rows()).toStrictEqual(expected);
    expect(stored.rows()[0]?.at).not.toBe(stored.rows()[0]?.at);
  });

  test("integer-like keys keep the order plain objects give them", () => {
    const stored = StoredRows.of([{ b: 1, 2: "two", a: 3, 1: "one" }]);
    expect(Object.keys(stored?.rows()[0] ?? {})).toEqual(["1", "2", "b", "a"]);
  });

  test("no rows: no rows", () => {
    expect(StoredRows.of([])?.rows()).toEqual([]);
  });

  const refused: { name: string; rows: RawRow[] }[] = [
    { name: "a JSON object", rows: [{ doc: { k: 1 } }] },
    { name: "an array holding an object", rows: [{ docs: [{ k: 1 }] }] },
    { name: "bytes", rows: [{ b: new Uint8Array([1]) }] },
    { name: "a sparse array", rows: [{ a: Object.assign(new Array(3), { 0: 1, 2: 3 }) }] },
    { name: "an array with an extra property", rows: [{ a: Object.assign([1], { x: 1 }) }] },
    { name: "a Date with an own property", rows: [{ d: Object.assign(new Date(0), { x: 1 }) }] },
    { name: "a function", rows: [{ f: () => 1 }] },
    { name: "a symbol", rows: [{ s: Symbol("s") }] },
    { name: "an own __proto__ key", rows: [JSON.parse('{"__proto__": 1}') as RawRow] },
    { name: "rows with different keys", rows: [{ a: 1 }, { b: 1 }] },
    {
      name: "rows with keys in another order",
      rows: [
        { a: 1, b: 2 },
        { b: 1, a: 2 },
      ],
    },
    { name: "a row that is not a plain object", rows: [Object.create(null) as RawRow] },
  ];
  test.each(refused)("refuses $name", ({ rows }) => {
    expect(StoredRows.of(rows)).toBeNull();
  });

  test("property: whatever rows of copyable values, rebuilt rows are structurally equal and fresh", () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.double(),
      fc.integer(),
      fc.bigInt(),
      fc.boolean(),
      fc.constant(null),
      fc.date({ noInvalidDate: false }),
    );
    const value = fc.oneof(
      leaf,
      fc.array(leaf, { maxLength: 3 }),
      fc.array(fc.array(leaf, { maxLength: 2 })),
    );
    const keys = fc.uniqueArray(
      fc.string({ minLength: 1, maxLength: 4 }).filter((k) => k !== "__proto__"),
      {
        maxLength: 6,
      },
    );
    fc.assert(
      fc.property(
        keys.chain((ks) =>
          fc.array(fc.tuple(...ks.map(() => value)), { maxLength: 4 }).map((vs) => ({ ks, vs })),
        ),
        ({ ks, vs }) => {
          const build = () =>
            vs.map((v) => {
              const row: RawRow = {};
              ks.forEach((k, i) => {
                row[k] = structuredClone(v[i]);
              });
              return row;
            });
          const stored = StoredRows.of(build());
          expect(stored).not.toBeNull();
          const again = stored?.rows() ?? [];
          expect(again).toStrictEqual(build());
          expect(again.map((r) => Object.keys(r))).toEqual(build().map((r) => Object.keys(r)));
        },
      ),
      { seed: 19, numRuns: 300 },
    );
  });
});
