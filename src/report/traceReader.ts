// Reads trace.jsonl once (trace/readTrace.ts): every line feeds the digest, and the few lines the
// violation excerpts quote are kept verbatim (as written, so a reader can search the file for them).
import { readTraceFile } from "../trace/readTrace.ts";
import { type TraceDigest, TraceDigestBuilder } from "./traceDigest.ts";

export interface TraceReading {
  digest: TraceDigest;
  /** line number → the line's text, for the requested lines that exist */
  quoted: Map<number, string>;
}

/** Reads the trace at `path`, keeping the text of the lines in `quote` (1-based numbers). */
export async function readTrace(path: string, quote: ReadonlySet<number>): Promise<TraceReading> {
  const builder = new TraceDigestBuilder();
  const quoted = new Map<number, string>();
  await readTraceFile(path, "report", (line, lineNumber, text) => {
    if (quote.has(lineNumber)) quoted.set(lineNumber, text);
    builder.add(line, lineNumber);
  });
  return { digest: builder.finish(), quoted };
}
