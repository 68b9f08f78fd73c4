// Results of pure reads, valid until a statement changes data they depend on. A simulated
// deployment reads the same state again and again — every replica's metrics refresh takes the
// whole reconciler snapshot each minute, as upstream's does — while the data changes a few times a
// minute; SQL here never reads the clock or randomness (ARCHITECTURE.md §6), so a read of
// unchanged data with the same text and parameters returns the same rows, and can be answered
// from the last time it ran. The session owns the invalidation: after every statement that is
// not a pure read (unless it reports it changed no row) it tells the cache which relations that
// statement may have changed (relationCatalog.ts, erring towards all of them), and the cache
// forgets the results that depend on any of them; a failed statement or a rolled-back
// transaction forgets everything. So the templates, presets and parameters, which a run writes
// once, stay cached while builds and jobs change around them.
//
// Entries are the backend's response bytes, not parsed rows: no caller can see another caller's
// (possibly mutated) row objects. The session parses a response once, on its first hit, and
// answers later hits with fresh copies of those rows (storedRows.ts).
import { EVERYTHING, type Relations } from "./relationCatalog.ts";
import type { StoredRows } from "./storedRows.ts";

/** Entries kept; a long run of distinct reads starts over instead of growing. */
const MAX_ENTRIES = 1_024;

// A statement is a pure read when it is a SELECT (or a WITH … SELECT) with nothing that writes,
// locks rows, draws from a sequence or reads something that changes without a write (clocks,
// settings — SET TRANSACTION does not clear the cache —, the session's identity).
const READ_START = /^\s*(SELECT|WITH)\b/i;
const NOT_PURE =
  /\b(INSERT|UPDATE|DELETE|MERGE|FOR\s+(UPDATE|SHARE|NO\s+KEY|KEY)|nextval|setval|set_config|pg_advisory\w*|pg_try_advisory\w*|pg_notify|pg_sleep\w*|pg_stat\w*|txid_\w+|pg_current\w*|now|random|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday|gen_random_uuid|uuid_generate\w*|session_user|user|pg_backend_pid|inet_\w+|current_(date|time|timestamp|setting|user|role|schemas?|catalog|database|query)|localtime\w*|currval|lastval|(query|cursor|table|schema|database)_to_xml\w*)\b/i;

const COMMENTS = /--[^\n]*|\/\*[\s\S]*?\*\//g;

// A word inside a plain string literal ('delete', a job status) calls and writes nothing; the
// literals that do read the clock are the special timestamp inputs. Escape strings (E'…'),
// dollar quoting and quoted identifiers are not taken apart: their text is tested whole.
const LITERALS = /'(?:[^']|'')*'/g;
const CLOCK_LITERAL = /\b(now|today|tomorrow|yesterday)\b/i;
const UNPARSED_QUOTING = /\b[Ee]'|\$[A-Za-z_]*\$|"/;

/** Whether `sql` only reads data (conservative: false for anything it cannot tell). */
export function isPureRead(sql: string): boolean {
  const code = sql.replace(COMMENTS, " ");
  if (!READ_START.test(code)) return false;
  if (UNPARSED_QUOTING.test(code)) return !NOT_PURE.test(code);
  const literals = code.match(LITERALS) ?? [];
  return !literals.some((l) => CLOCK_LITERAL.test(l)) && !NOT_PURE.test(code.replace(LITERALS, "''"));
}

/** A cached result: the response, and what the session made of it (kept as long as the entry). */
export interface CachedRead {
  readonly response: Uint8Array;
  /** The response's rows as values, once parsed (storedRows.ts); null: parse the response each time. */
  rows?: StoredRows | null;
}

interface Entry extends CachedRead {
  readonly dependsOn: Relations;
  /** The write count when the result was read: a later write to what it depends on voids it. */
  readonly at: number;
}

export class ReadCache {
  /**
   * Statement text → parameters' key → entry. Two levels, so a lookup hashes the statement text
   * once per text (a string's hash is kept with it) instead of a fresh text-plus-parameters key of
   * a few kilobytes per call.
   */
  readonly #entries = new Map<string, Map<string, Entry>>();
  #size = 0;
  readonly #pure = new Map<string, boolean>();
  /** Writes counted since the cache was made; the count at each relation's last write. */
  #writes = 0;
  readonly #lastWrite = new Map<string, number>();
  #lastAnyWrite = 0;

  /** `isPureRead`, remembered per statement text (the session runs a few dozen texts). */
  cacheable(sql: string): boolean {
    let pure = this.#pure.get(sql);
    if (pure === undefined) {
      pure = isPureRead(sql);
      this.#pure.set(sql, pure);
    }
    return pure;
  }

  get(sql: string, values: readonly (string | null)[]): CachedRead | undefined {
    const ofText = this.#entries.get(sql);
    if (ofText === undefined) return undefined;
    const k = key(values);
    const entry = ofText.get(k);
    if (entry === undefined) return undefined;
    if (this.#fresh(entry)) return entry;
    ofText.delete(k);
    this.#size--;
    return undefined;
  }

  /** `response` answers `sql` with `values` until one of `dependsOn` is written. */
  set(sql: string, values: readonly (string | null)[], response: Uint8Array, dependsOn: Relations): void {
    if (this.#size >= MAX_ENTRIES) this.invalidate();
    let ofText = this.#entries.get(sql);
    if (ofText === undefined) {
      ofText = new Map();
      this.#entries.set(sql, ofText);
    }
    const k = key(values);
    if (!ofText.has(k)) this.#size++;
    ofText.set(k, { response, dependsOn, at: this.#writes });
  }

  /** A statement may have changed these relations' data: forget what was read from them. */
  written(relations: Relations): void {
    if (relations === EVERYTHING) {
      this.invalidate();
      return;
    }
    this.#writes++;
    this.#lastAnyWrite = this.#writes;
    for (const r of relations) this.#lastWrite.set(r, this.#writes);
  }

  /** The data may have changed anywhere: forget every result. */
  invalidate(): void {
    this.#entries.clear();
    this.#size = 0;
  }

  #fresh(entry: Entry): boolean {
    if (entry.dependsOn === EVERYTHING) return this.#lastAnyWrite <= entry.at;
    for (const r of entry.dependsOn) if ((this.#lastWrite.get(r) ?? 0) > entry.at) return false;
    return true;
  }
}

/** The parameters' part of an entry's key (null and "null" differ: JSON tells them apart). */
function key(values: readonly (string | null)[]): string {
  return values.length === 0 ? "" : JSON.stringify(values);
}
