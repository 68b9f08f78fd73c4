import { describe, expect, it } from "vitest";
import type { Violation } from "../../src/check/summary.ts";
import {
  EXCERPT_CONTEXT,
  excerptLineNumbers,
  MAX_CITED,
  traceExcerpt,
} from "../../src/report/traceExcerpt.ts";

const violation = (traceLines: number[]): Violation => ({
  invariant: "x",
  at: "2026-03-02T06:00:00Z",
  subject: "s",
  message: "m",
  traceLines,
});
const quoted = (from: number, to: number) =>
  new Map(Array.from({ length: to - from + 1 }, (_, i) => [from + i, `line ${from + i}`]));

describe("traceExcerpt", () => {
  it("quotes the cited lines with context, joining ranges that touch", () => {
    const v = violation([10, 14, 40]);
    const ex = traceExcerpt(v, quoted(1, 50), 50);
    expect(ex.blocks.map((b) => [b[0]?.line, b[b.length - 1]?.line])).toEqual([
      [10 - EXCERPT_CONTEXT, 14 + EXCERPT_CONTEXT],
      [40 - EXCERPT_CONTEXT, 40 + EXCERPT_CONTEXT],
    ]);
    expect(
      ex.blocks
        .flat()
        .filter((l) => l.cited)
        .map((l) => l.line),
    ).toEqual([10, 14, 40]);
    expect(ex.blocks[0]?.[0]).toEqual({ line: 7, text: "line 7", cited: false });
    expect(ex.omitted).toBe(0);
  });

  it("stops context at the first and last line, and shows a cited line the trace lacks as missing", () => {
    const ex = traceExcerpt(violation([1, 9]), quoted(1, 5), 5);
    expect(ex.blocks.map((b) => b.map((l) => l.line))).toEqual([[1, 2, 3, 4], [9]]);
    expect(ex.blocks[1]?.[0]).toEqual({ line: 9, text: null, cited: true });
  });

  it(`quotes at most ${MAX_CITED} cited lines and counts the rest`, () => {
    const lines = Array.from({ length: MAX_CITED + 5 }, (_, i) => (i + 1) * 100);
    const ex = traceExcerpt(violation(lines), new Map(), 10_000);
    expect(ex.blocks.flat().filter((l) => l.cited)).toHaveLength(MAX_CITED);
    expect(ex.omitted).toBe(5);
  });

  it("asks the reader for exactly the lines the excerpts show", () => {
    expect([...excerptLineNumbers([violation([5]), violation([6])])].sort((a, b) => a - b)).toEqual([
      2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });
});
