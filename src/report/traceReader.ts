// Streams trace.jsonl once: every line feeds the digest, and the few lines the violation excerpts
// quote are kept verbatim (as written, so a reader can search the file for them).
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { type ParsedTraceLine, type TraceDigest, TraceDigestBuilder } from "./traceDigest.ts";

export interface TraceReading {
  digest: TraceDigest;
  /** line number → the line's text, for the requested lines that exist */
  quoted: Map<number, string>;
}

function parseLine(text: string, lineNumber: number, path: string): ParsedTraceLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new Error(`report: ${path} line ${lineNumber} is not JSON: ${(cause as Error).message}`, { cause });
  }
  const rec = value as Partial<ParsedTraceLine> | null;
  if (
    rec === null ||
    typeof rec !== "object" ||
    typeof rec.t !== "string" ||
    typeof rec.actor !== "string" ||
    typeof rec.kind !== "string"
  )
    throw new Error(`report: ${path} line ${lineNumber} lacks the string fields t, actor and kind`);
  return rec as ParsedTraceLine;
}

/** Reads the trace at `path`, keeping the text of the lines in `quote` (1-based numbers). */
export async function readTrace(path: string, quote: ReadonlySet<number>): Promise<TraceReading> {
  const builder = new TraceDigestBuilder();
  const quoted = new Map<number, string>();
  const stream = createReadStream(path, { encoding: "utf8" });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  try {
    for await (const text of lines) {
      lineNumber++;
      if (quote.has(lineNumber)) quoted.set(lineNumber, text);
      builder.add(parseLine(text, lineNumber, path), lineNumber);
    }
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== undefined)
      throw new Error(`report: cannot read ${path}: ${(cause as Error).message}`, { cause });
    throw cause;
  }
  return { digest: builder.finish(), quoted };
}
