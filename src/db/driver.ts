// The narrow interface the Store needs from a SQL backend, so the same Store runs on PGlite (the
// default, in-process) and on a real PostgreSQL server (`PREBUILDSIM_DATABASE_URL`).

/** A row as the driver returns it: column name → parsed value. */
export type RawRow = Record<string, unknown>;

export interface SqlExecutor {
  /** One statement with `$n` parameters; returns its rows. */
  query(sql: string, params?: readonly unknown[]): Promise<RawRow[]>;
  /** Several statements, no parameters. */
  exec(sql: string): Promise<void>;
}

export interface SqlDriver extends SqlExecutor {
  readonly backend: "pglite" | "postgres";
  /** For messages and benchmark labels, e.g. "pglite 0.5.16" or "postgres schema prebuildsim_12_1". */
  readonly description: string;
  /**
   * Runs `fn` in one transaction on the driver's single session: commit when it resolves,
   * rollback when it rejects. Callers must not overlap calls (the Database serializes them).
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
