// The trace lines a violation points at, with a few lines either side, so a reader of the report
// sees what happened without opening a trace that may hold millions of lines. Bounded: at most
// MAX_CITED cited lines per violation are quoted, the rest are counted.
import type { Violation } from "../check/summary.ts";

export const EXCERPT_CONTEXT = 3;
export const MAX_CITED = 12;

export interface ExcerptLine {
  line: number;
  /** the line as written, or null when the trace has no such line */
  text: string | null;
  /** one of the lines the violation cites (the others are context) */
  cited: boolean;
}

export interface TraceExcerpt {
  /** runs of consecutive lines; a gap separates two blocks */
  blocks: ExcerptLine[][];
  /** cited lines not quoted because of MAX_CITED */
  omitted: number;
}

interface ExcerptPlan {
  cited: number[];
  omitted: number;
  ranges: Array<[number, number]>;
}

function plan(v: Violation): ExcerptPlan {
  const all = [...new Set(v.traceLines)].sort((a, b) => a - b);
  const cited = all.slice(0, MAX_CITED);
  const ranges: Array<[number, number]> = [];
  for (const n of cited) {
    const from = Math.max(1, n - EXCERPT_CONTEXT);
    const to = n + EXCERPT_CONTEXT;
    const last = ranges[ranges.length - 1];
    if (last !== undefined && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else ranges.push([from, to]);
  }
  return { cited, omitted: all.length - cited.length, ranges };
}

/** Every line number some excerpt will quote (what the trace reader keeps). */
export function excerptLineNumbers(violations: readonly Violation[]): Set<number> {
  const out = new Set<number>();
  for (const v of violations)
    for (const [from, to] of plan(v).ranges) for (let n = from; n <= to; n++) out.add(n);
  return out;
}

/** The excerpt of one violation from the quoted lines of a trace with `lineCount` lines. */
export function traceExcerpt(
  v: Violation,
  quoted: ReadonlyMap<number, string>,
  lineCount: number,
): TraceExcerpt {
  const { cited, omitted, ranges } = plan(v);
  const citedSet = new Set(cited);
  const blocks: ExcerptLine[][] = [];
  for (const [from, to] of ranges) {
    const block: ExcerptLine[] = [];
    for (let n = from; n <= to; n++) {
      // Context past the end of the trace is dropped; a cited line that does not exist is shown as missing.
      if (n > lineCount && !citedSet.has(n)) continue;
      block.push({ line: n, text: quoted.get(n) ?? null, cited: citedSet.has(n) });
    }
    if (block.length > 0) blocks.push(block);
  }
  return { blocks, omitted };
}
