// What each fault of a run actually did, read from its trace lines (`fault.start`, `fault.armed`,
// `fault.effect`, `fault.noop`, `fault.end`, told apart by `index`): the `faults[]` of
// summary.json, and the instants the settle rule starts convergence windows from.
import type { Instant } from "../clock/types.ts";
import type { TraceLine } from "../trace/trace.ts";
import { isKind } from "./lines.ts";
import type { FaultSummary } from "./summary.ts";

interface Entry {
  summary: FaultSummary;
  /** When the fault stopped disturbing, as its `fault.effect` says; null after a `fault.noop`. */
  until: Instant | null | undefined;
}

export class FaultOutcomes {
  readonly #entries = new Map<number, Entry>();

  #entry(line: TraceLine & { fault: string; index?: number }): Entry | undefined {
    const index = line.index;
    if (typeof index !== "number") return undefined;
    let entry = this.#entries.get(index);
    if (entry === undefined) {
      entry = {
        summary: { index, kind: line.fault, at: line.t, effect: {}, noop: false, traceLines: [] },
        until: undefined,
      };
      this.#entries.set(index, entry);
    }
    entry.summary.traceLines.push(line.seq);
    return entry;
  }

  observe(line: TraceLine): void {
    if (isKind(line, "fault.start")) {
      const e = this.#entry(line);
      if (e === undefined) return;
      e.summary.at = line.t;
      if (typeof line.replica === "string") e.summary.replica = line.replica;
      if (typeof line.preset === "string") e.summary.preset = line.preset;
    } else if (isKind(line, "fault.armed")) {
      const e = this.#entry(line);
      if (e !== undefined && e.summary.replica === undefined) e.summary.replica = line.replica;
    } else if (isKind(line, "fault.effect")) {
      const e = this.#entry(line);
      if (e === undefined) return;
      e.summary.effect = { ...line.effect };
      e.until = Date.parse(line.until);
    } else if (isKind(line, "fault.noop")) {
      const e = this.#entry(line);
      if (e === undefined) return;
      e.summary.noop = true;
      e.summary.reason = line.reason;
      e.until = null;
    } else if (isKind(line, "fault.end")) {
      this.#entry(line);
    }
  }

  /** One entry per fault that left a line, in the scenario's order. */
  summaries(): FaultSummary[] {
    return [...this.#entries.values()].map((e) => e.summary).sort((a, b) => a.index - b.index);
  }

  /**
   * Per fault index: when its disturbance ended (from `fault.effect`), or null when it had no
   * effect. Faults without an outcome line are absent (the settle rule falls back to the scenario).
   */
  disturbanceEnds(): Map<number, Instant | null> {
    const ends = new Map<number, Instant | null>();
    for (const [index, e] of this.#entries) if (e.until !== undefined) ends.set(index, e.until);
    return ends;
  }
}
