import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/trace/canonical.ts";
import { firstDivergence, traceLines } from "../../src/trace/compare.ts";
import { hashTraceText, Trace } from "../../src/trace/trace.ts";

describe("canonicalJson", () => {
  it("puts seq, t, actor, kind first and sorts the other keys recursively", () => {
    const line = canonicalJson({
      z: 1,
      kind: "k",
      b: { y: 2, a: [3, { d: 1, c: 2 }] },
      actor: "a",
      t: "T",
      seq: 1,
    });
    expect(line).toBe('{"seq":1,"t":"T","actor":"a","kind":"k","b":{"a":[3,{"c":2,"d":1}],"y":2},"z":1}');
  });
  it("omits undefined properties and writes -0 as 0", () => {
    expect(canonicalJson({ a: undefined, b: -0 })).toBe('{"b":0}');
  });
  it("refuses values that are not stable JSON", () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite number at \$\.a/);
    expect(() => canonicalJson({ a: [1n] })).toThrow(/bigint at \$\.a\[0\]/);
    expect(() => canonicalJson({ seq: 1, x: [0, { y: Number.POSITIVE_INFINITY }] })).toThrow(
      /non-finite number at \$\.x\[1\]\.y/,
    );
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/cannot encode a function at \$\.f/);
  });
  it("property: leading keys, then the others sorted, recursively; JSON's text for every value", () => {
    const LEADING = ["seq", "t", "actor", "kind"];
    const spec = (v: unknown, top: boolean): string => {
      if (Array.isArray(v)) return `[${v.map((x) => spec(x, false)).join(",")}]`;
      if (v === null || typeof v !== "object") return JSON.stringify(Object.is(v, -0) ? 0 : v);
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).filter((k) => o[k] !== undefined);
      const rest = keys.filter((k) => !top || !LEADING.includes(k)).sort();
      const ordered = [...(top ? LEADING.filter((k) => keys.includes(k)) : []), ...rest];
      return `{${ordered.map((k) => `${JSON.stringify(k)}:${spec(o[k], false)}`).join(",")}}`;
    };
    const key = fc
      .oneof(fc.constantFrom(...LEADING, "a", "b", "1", "10", "é", "\u{1F600}"), fc.string())
      .filter((k) => k !== "__proto__");
    // undefined only as a property's value (omitted); in an array it is refused, old writer and new
    const { json } = fc.letrec((tie) => ({
      json: fc.oneof(
        { depthSize: "small" },
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("json"), { maxLength: 3 }),
        fc.dictionary(key, fc.option(tie("json"), { nil: undefined }), { maxKeys: 5 }),
      ),
    }));
    const value = fc.option(json, { nil: undefined });
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 8 }), (line) => {
        expect(canonicalJson(line)).toBe(spec(line, true));
      }),
      { seed: 19, numRuns: 500 },
    );
  });
});

describe("Trace", () => {
  it("stamps sequence numbers and virtual time, and hashes exactly the file bytes", () => {
    let now = Date.UTC(2026, 2, 2, 6, 0, 0);
    const trace = new Trace(() => now);
    expect(trace.emit({ actor: "replica-0", kind: "reconcile.cycle.start" })).toBe(1);
    now += 4;
    expect(trace.emit({ actor: "replica-0", kind: "lock.acquire", lock: 7 })).toBe(2);
    expect(trace.lines()[1]).toBe(
      '{"seq":2,"t":"2026-03-02T06:00:00.004Z","actor":"replica-0","kind":"lock.acquire","lock":7}',
    );
    expect(trace.hash()).toBe(hashTraceText(trace.text()));
    expect(() => trace.emit({ actor: "x", kind: "late" })).toThrow(/sealed/);
  });
  it("hashes exactly the file bytes across many lines, non-ASCII text included", () => {
    const trace = new Trace(() => Date.UTC(2026, 2, 2));
    for (let i = 0; i < 3000; i++)
      trace.emit({ actor: `user-${i}`, kind: "claim", note: "ünïcødé ✓ 😀".repeat(i % 7) });
    expect(trace.text().length).toBeGreaterThan(3 * 65_536);
    expect(trace.hash()).toBe(hashTraceText(trace.text()));
  });
  it("tells listeners every line with its line number", () => {
    const trace = new Trace(() => 0);
    const seen: Array<[string, number]> = [];
    trace.listen((line, n) => seen.push([line.kind, n]));
    trace.emit({ actor: "a", kind: "one" });
    trace.emit({ actor: "a", kind: "two" });
    expect(seen).toEqual([
      ["one", 1],
      ["two", 2],
    ]);
  });
});

describe("firstDivergence", () => {
  it("is undefined for identical traces", () => {
    expect(firstDivergence(["a", "b"], ["a", "b"])).toBeUndefined();
  });
  it("names the first differing line", () => {
    expect(firstDivergence(["a", "b", "c"], ["a", "x", "c"])).toEqual({
      line: 2,
      expected: "b",
      actual: "x",
    });
  });
  it("reports a trace that ended early", () => {
    expect(firstDivergence(["a", "b"], ["a"])).toEqual({ line: 2, expected: "b", actual: undefined });
  });
  it("splits files without inventing an empty last line", () => {
    expect(traceLines("a\nb\n")).toEqual(["a", "b"]);
    expect(traceLines("")).toEqual([]);
  });
});
