// Streams a trace.jsonl file line by line through the one parser (lines.ts), so a long run's trace
// never has to fit in memory; `source` names the reader in its errors (`report: <path> line 5 …`).
import { createReadStream } from "node:fs";
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
