// Results of pure reads, valid until the next statement that may change data. A simulated
// deployment reads the same state again and again — every replica's metrics refresh takes the
// whole reconciler snapshot each minute, as upstream's does — while the data changes a few times a
// minute; SQL here never reads the clock or randomness (ARCHITECTURE.md §6), so a read of
// unchanged data with the same text and parameters returns the same rows, and can be answered
// from the last time it ran. The session owns the invalidation: it clears the cache after every
// statement that is not a pure read, unless that statement reports it changed no row, and when a
// statement fails or a transaction rolls back.
//
// Entries are the backend's response bytes, not parsed rows: every hit is parsed afresh, so no
// caller can see another caller's (possibly mutated) row objects.

/** Entries kept between two writes; a long run of distinct reads starts over instead of growing. */
const MAX_ENTRIES = 256;

// A statement is a pure read when it is a SELECT (or a WITH … SELECT) with nothing that writes,
// locks rows, draws from a sequence or reads something that changes without a write (clocks,
// settings — SET TRANSACTION does not clear the cache —, the session's identity).
const READ_START = /^\s*(SELECT|WITH)\b/i;
const NOT_PURE =
  /\b(INSERT|UPDATE|DELETE|MERGE|FOR\s+(UPDATE|SHARE|NO\s+KEY|KEY)|nextval|setval|set_config|pg_advisory\w*|pg_try_advisory\w*|pg_notify|pg_sleep\w*|pg_stat\w*|txid_\w+|pg_current\w*|now|random|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday|gen_random_uuid|uuid_generate\w*|session_user|user|pg_backend_pid|inet_\w+|current_(date|time|timestamp|setting|user|role|schemas?|catalog|database|query)|localtime\w*)\b/i;

const COMMENTS = /--[^\n]*|\/\*[\s\S]*?\*\//g;

/** Whether `sql` only reads data (conservative: false for anything it cannot tell). */
export function isPureRead(sql: string): boolean {
  const code = sql.replace(COMMENTS, " ");
  return READ_START.test(code) && !NOT_PURE.test(code);
}

export class ReadCache {
  readonly #entries = new Map<string, Uint8Array>();
  readonly #pure = new Map<string, boolean>();

  /** `isPureRead`, remembered per statement text (the session runs a few dozen texts). */
  cacheable(sql: string): boolean {
    let pure = this.#pure.get(sql);
    if (pure === undefined) {
      pure = isPureRead(sql);
      this.#pure.set(sql, pure);
    }
    return pure;
  }

  get(sql: string, values: readonly (string | null)[]): Uint8Array | undefined {
    return this.#entries.get(key(sql, values));
  }

  set(sql: string, values: readonly (string | null)[], response: Uint8Array): void {
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(key(sql, values), response);
  }

  /** The data may have changed: forget every result. */
  invalidate(): void {
    this.#entries.clear();
  }
}

function key(sql: string, values: readonly (string | null)[]): string {
  return values.length === 0 ? sql : `${sql}\u0000${JSON.stringify(values)}`;
}
