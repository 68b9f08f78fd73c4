// Reading trace lines back, the one way every reader does it (checks, statistics, the report's
// digest, the sweep's measures): a line is what `Trace` wrote (or what a reader parsed back from
// trace.jsonl), and its fields are those `events.ts` declares for its kind.
import type { TraceKind, TraceKinds } from "./events.ts";
import type { TraceLine } from "./trace.ts";

export type LineOf<K extends TraceKind> = TraceLine & TraceKinds[K] & { kind: K };

export function isKind<K extends TraceKind>(line: TraceLine, kind: K): line is LineOf<K> {
  return line.kind === kind;
}

/** The virtual instant of a line, in epoch milliseconds. */
export function instantOf(line: TraceLine): number {
  const t = Date.parse(line.t);
  if (Number.isNaN(t))
    throw new Error(`trace line ${line.seq} (${line.kind}): unreadable instant ${JSON.stringify(line.t)}`);
  return t;
}

/** The initiator value `build.create` records for builds made by the prebuilds system user. */
export const PREBUILDS_INITIATOR = "prebuilds";

/**
 * Parses one trace.jsonl line back into the shape `Trace` emitted. `source` starts the error
 * messages (`report: /run/trace.jsonl`), so a reader says which file broke.
 */
export function parseTraceLine(text: string, lineNumber: number, source = "trace"): TraceLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${source} line ${lineNumber} is not JSON: ${(cause as Error).message}`, { cause });
  }
  const rec = value as Partial<TraceLine> | null;
  if (
    rec === null ||
    typeof rec !== "object" ||
    typeof rec.seq !== "number" ||
    typeof rec.t !== "string" ||
    typeof rec.actor !== "string" ||
    typeof rec.kind !== "string"
  )
    throw new Error(`${source} line ${lineNumber} lacks the fields seq, t, actor and kind`);
  return rec as TraceLine;
}
