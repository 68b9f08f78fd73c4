// The run's event log (SCENARIOS.md §5): one canonical JSON object per line, in the order things
// happened, and a SHA-256 over exactly those bytes — the run's fingerprint for replay.
import { createHash, type Hash } from "node:crypto";
import type { Instant } from "../clock/types.ts";
import { canonicalJson } from "./canonical.ts";

/** What a component records: `seq` and `t` are filled in by the trace. */
export interface TraceRecord {
  /** Who did it: `replica-0`, `provisioner-2`, `user-17`, `operator`, `fault`, `sampler`, `kernel`. */
  actor: string;
  /** Dotted event name, e.g. `reconcile.cycle.start`, `build.create`, `claim` (see events.ts). */
  kind: string;
  [field: string]: unknown;
}

export interface TraceLine extends TraceRecord {
  seq: number;
  t: string;
}

export type TraceListener = (line: TraceLine, lineNumber: number) => void;

/** Characters of lines kept before they are fed to the hash together. */
const HASH_BATCH_CHARS = 1 << 16;

/** Appends records, stamps them with the virtual time, and hashes the bytes as they are written. */
export class Trace {
  readonly #lines: string[] = [];
  readonly #hash: Hash = createHash("sha256");
  readonly #listeners: TraceListener[] = [];
  #digest: string | undefined;
  /** Lines written but not yet fed to the hash, each followed by its newline. */
  #unhashed = "";

  constructor(private readonly now: () => Instant) {}

  /** Records one event and returns its 1-based line number (what violations point at). */
  emit(record: TraceRecord): number {
    if (this.#digest !== undefined)
      throw new Error(`trace: emit after the trace was sealed (${record.kind})`);
    const line: TraceLine = { ...record, seq: this.#lines.length + 1, t: new Date(this.now()).toISOString() };
    const text = canonicalJson(line);
    this.#lines.push(text);
    // SHA-256 is a stream: hashing the lines a few dozen kilobytes at a time gives the digest that
    // hashing each line as it comes would, with one call into the hash per batch instead of two per line.
    this.#unhashed += `${text}\n`;
    if (this.#unhashed.length >= HASH_BATCH_CHARS) this.#hashUnhashed();
    for (const l of this.#listeners) l(line, line.seq);
    return line.seq;
  }

  /** Observers (invariant checkers, probes, the sampler) see every line as it is written. */
  listen(listener: TraceListener): void {
    this.#listeners.push(listener);
  }

  get length(): number {
    return this.#lines.length;
  }

  lines(): readonly string[] {
    return this.#lines;
  }

  /** The file content: every line followed by a newline. */
  text(): string {
    return this.#lines.length === 0 ? "" : `${this.#lines.join("\n")}\n`;
  }

  /** `sha256:<hex>` over `text()`; seals the trace. */
  hash(): string {
    if (this.#digest === undefined) {
      this.#hashUnhashed();
      this.#digest = `sha256:${this.#hash.digest("hex")}`;
    }
    return this.#digest;
  }

  #hashUnhashed(): void {
    if (this.#unhashed.length > 0) this.#hash.update(this.#unhashed);
    this.#unhashed = "";
  }
}

/** The hash `Trace.hash()` gives for a trace file's content. */
export function hashTraceText(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}
