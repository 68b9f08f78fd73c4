// Replay comparison: where two traces of the same scenario and seed first differ.

export interface TraceDivergence {
  /** 1-based line number of the first difference. */
  line: number;
  /** The recorded line, or undefined when the recorded trace ended first. */
  expected: string | undefined;
  /** The new line, or undefined when the new trace ended first. */
  actual: string | undefined;
}

/** The first differing line, or undefined when both traces are identical. */
export function firstDivergence(
  expected: readonly string[],
  actual: readonly string[],
): TraceDivergence | undefined {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    if (expected[i] !== actual[i]) return { line: i + 1, expected: expected[i], actual: actual[i] };
  }
  return undefined;
}

/** Splits a trace file into its lines (a trailing newline ends the last line, it adds none). */
export function traceLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
