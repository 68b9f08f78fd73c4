// Errors the Store raises. A `DatabaseError` looks like a PostgreSQL error to the caller (SQLSTATE
// `code`, `severity`, `detail`, `constraint`) whether it came from the server or from a fault hook,
// and always says which query on which connection failed.

export class DatabaseError extends Error {
  override readonly name = "DatabaseError";
  readonly severity = "ERROR";
  /** SQLSTATE, e.g. "23505" unique_violation, "25006" read_only_sql_transaction. */
  readonly code: string;
  /** The query's upstream name (PascalCase), e.g. "GetRunningPrebuiltWorkspaces". */
  readonly query: string;
  readonly connection: string;
  readonly detail: string | undefined;
  readonly constraint: string | undefined;
  /** True when a fault hook raised it rather than the database. */
  readonly injected: boolean;

  constructor(args: {
    message: string;
    code: string;
    query: string;
    connection: string;
    detail?: string;
    constraint?: string;
    injected?: boolean;
    cause?: unknown;
  }) {
    super(`${args.query} on connection ${args.connection}: ${args.message}`, { cause: args.cause });
    this.code = args.code;
    this.query = args.query;
    this.connection = args.connection;
    this.detail = args.detail;
    this.constraint = args.constraint;
    this.injected = args.injected ?? false;
  }
}

/** Go's `sql.ErrNoRows`: a single-row query found nothing. */
export class NoRowsError extends Error {
  override readonly name = "NoRowsError";
  constructor(
    readonly query: string,
    readonly connection: string,
    readonly key: string,
  ) {
    super(`${query} on connection ${connection}: no rows in result set (${key})`);
  }
}

/** A programming error in how a Store is used (outer store inside a transaction, stale handle). */
export class StoreMisuseError extends Error {
  override readonly name = "StoreMisuseError";
}

export const SqlState = {
  UniqueViolation: "23505",
  ForeignKeyViolation: "23503",
  ReadOnlySqlTransaction: "25006",
  ConnectionFailure: "08006",
  /** What an injected fault reports unless the rule names another code. */
  InjectedDefault: "XX000",
} as const;

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof DatabaseError && err.code === SqlState.UniqueViolation;
}

export function isNoRows(err: unknown): boolean {
  return err instanceof NoRowsError;
}

/** Wraps whatever the driver threw into a DatabaseError carrying the query and connection. */
export function toDatabaseError(err: unknown, query: string, connection: string): Error {
  if (err instanceof DatabaseError || err instanceof NoRowsError || err instanceof StoreMisuseError)
    return err;
  if (typeof err === "object" && err !== null && typeof (err as { code?: unknown }).code === "string") {
    const e = err as { code: string; message?: string; detail?: string; constraint?: string };
    return new DatabaseError({
      message: e.message ?? "database error",
      code: e.code,
      query,
      connection,
      ...(e.detail === undefined ? {} : { detail: e.detail }),
      ...(e.constraint === undefined ? {} : { constraint: e.constraint }),
      cause: err,
    });
  }
  return err instanceof Error ? err : new Error(`${query} on connection ${connection}: ${String(err)}`);
}
