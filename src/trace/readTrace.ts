// Streams a trace.jsonl file line by line through the one parser (lines.ts), so a long run's trace
// never has to fit in memory; `source` names the reader in its errors (`report: <path> line 5 …`).
// Quoting a few lines (the evidence a CI page shows) reads only as far as the last of them.
import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import { createInterface } from "node:readline";
import { parseTraceLine } from "./lines.ts";
import type { TraceLine } from "./trace.ts";

/** Calls `each` with every line of the file at `path` in order (1-based numbers, the text as written). */
export async function readTraceFile(
  path: string,
  source: string,
  each: (line: TraceLine, lineNumber: number, text: string) => void,
): Promise<void> {
  const stream = createReadStream(path, { encoding: "utf8" });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  try {
    for await (const text of lines) {
      lineNumber++;
      each(parseTraceLine(text, lineNumber, `${source}: ${path}`), lineNumber, text);
    }
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== undefined)
      throw new Error(`${source}: cannot read ${path}: ${(cause as Error).message}`, { cause });
    throw cause;
  }
}

/**
 * The text of the lines numbered in `wanted` (1-based), as written, reading no further than the
 * last of them; an empty map when the file does not exist (a run directory that was not kept).
 */
export async function quoteTraceLines(
  path: string,
  wanted: ReadonlySet<number>,
): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  if (wanted.size === 0) return found;
  try {
    await access(path);
  } catch {
    return found;
  }
  const last = Math.max(...wanted);
  const lines = createInterface({
    input: createReadStream(path, { encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (wanted.has(n)) found.set(n, text);
    if (n >= last) break;
  }
  lines.close();
  return found;
}
