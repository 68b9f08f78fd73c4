// PGlite's one session, spoken to through its wire protocol instead of `PGlite.query`, because
// the statement round trip is what a simulation pays for most (profile: ~80% of a run's time is
// inside PGlite). Two savings:
// - every statement text is prepared once, as a named statement, so later executions skip
//   parsing, analysis, view rewriting and — for statements whose plan does not depend on their
//   parameters — planning, which costs more than executing the snapshot queries themselves;
// - each execution is one call into the WASM backend (Bind, Describe, Execute and Sync in one
//   buffer) where `PGlite.query` makes six, and transactions are plain BEGIN/COMMIT statements;
//   BEGIN and the transaction mode ride along with the transaction's first statement, and a
//   transaction that never reaches the backend (all its reads cached) costs no call at all, and
//   a pure read before anything else of its transaction runs on its own with BEGIN still deferred
//   (so a transaction of reads alone costs neither BEGIN nor COMMIT; see #readAheadOfBegin).
//   Deferring BEGIN changes nothing observable: the session is serialized, and PostgreSQL takes a
//   transaction's snapshot at its first statement anyway.
// And a pure read of data no statement has changed since it last ran is answered from a ReadCache;
// which relations a statement reads or changes comes from the database's catalog
// (relationCatalog.ts), loaded when a read is first cached and again after anything that may be DDL.
// Responses are read from their raw bytes (wireResponse.ts) and converted by PGlite's own type
// parsers, so rows look exactly as `PGlite.query` returns them.
//
// Callers must not overlap calls (the Database's DriverGate serializes them), exactly as with
// `PGlite.query` on one session.
import { type PGlite, protocol, TransactionAbortedError } from "@electric-sql/pglite";
import type { RawRow, SqlExecutor } from "./driver.ts";
import { type CachedRead, ReadCache } from "./readCache.ts";
import {
  type CatalogRow,
  EVERYTHING,
  RELATION_CATALOG_SQL,
  RelationCatalog,
  type Relations,
} from "./relationCatalog.ts";
import { StoredRows } from "./storedRows.ts";
import { readResponse, type TypeParsers, type WireResponse } from "./wireResponse.ts";

const { serialize } = protocol;

/** A transaction's first message (deferred: it goes with the first statement). */
const BEGIN = serialize.query("BEGIN");

/** What follows every execution's Bind: the same bytes each time, serialized once. */
const DESCRIBE_EXECUTE_SYNC = concat([
  serialize.describe({ type: "P" }),
  serialize.execute({}),
  serialize.sync(),
]);

/** The one exec text that changes no data: the Store's transaction mode, sent first in each transaction. */
const SET_TRANSACTION = /^\s*SET TRANSACTION [A-Z ,]+;?\s*$/i;

/**
 * Distinct statement texts kept prepared. The project's queries are a fixed set of a few hundred
 * texts; a caller generating texts (values spliced into SQL) would otherwise grow the backend's
 * memory without bound, so texts beyond this run unnamed (parsed and planned every time).
 */
const MAX_PREPARED_STATEMENTS = 2_000;

interface PreparedStatement {
  /** "" is the unnamed statement: valid until the next Parse. */
  readonly name: string;
  /** Parameter type OIDs as the backend inferred them, to serialize values as PGlite does. */
  readonly paramTypes: readonly number[];
}

export class PGliteSession {
  readonly #db: PGlite;
  readonly #prepared = new Map<string, PreparedStatement>();
  readonly #reads = new ReadCache();
  /** What statements read and change; null until a read is cached, and after possible DDL. */
  #relations: RelationCatalog | null = null;
  #open: SqlExecutor | null = null;
  /** A statement of the open transaction failed: the backend refuses every further one until it ends. */
  #failedInTransaction = false;
  /**
   * BEGIN and SET TRANSACTION of the open transaction, not yet sent: they go in front of its first
   * statement that reaches the backend. Null outside transactions and once they were sent.
   */
  #deferred: Uint8Array[] | null = null;

  /**
   * The running call's response, gathered from the backend's chunks (views of its memory, valid
   * only during the callback) into one buffer the session reuses, grown when a response needs it:
   * a copy of its own per call cost an ArrayBuffer each, and most responses are read once.
   */
  #response = new Uint8Array(1 << 16);
  #responseLength = 0;
  /** Backend calls made: a call whose response another call overwrote would see this move. */
  #calls = 0;
  /** The options of every backend call, made once (tsx's keepNames costs a defineProperty per closure). */
  readonly #stream = {
    syncToFs: false,
    onRawData: (chunk: Uint8Array): void => {
      const end = this.#responseLength + chunk.length;
      if (end > this.#response.length) {
        const grown = new Uint8Array(Math.max(end, 2 * this.#response.length));
        grown.set(this.#response.subarray(0, this.#responseLength));
        this.#response = grown;
      }
      this.#response.set(chunk, this.#responseLength);
      this.#responseLength = end;
    },
  };

  constructor(db: PGlite) {
    this.#db = db;
  }

  /** Statements outside any transaction (each one commits on its own). */
  readonly autocommit: SqlExecutor = {
    query: async (sql, params) => {
      this.#assertNoTransaction(sql);
      return this.#query(sql, params ?? []);
    },
    exec: async (sql) => {
      this.#assertNoTransaction(sql);
      await this.#exec(sql);
    },
  };

  /**
   * Runs `fn` between BEGIN and COMMIT (ROLLBACK when it rejects). A COMMIT the backend turns into
   * a rollback (an error inside was swallowed) rejects, as `PGlite.transaction` does. The handle
   * `fn` gets refuses statements once the transaction has ended.
   */
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (this.#open !== null)
      throw new Error("PGlite session: a transaction is already open (nested transaction)");
    const state = { ended: false };
    const session = this;
    // Methods, not arrow functions: under tsx (esbuild's keepNames) a named closure costs a
    // defineProperty each, and every transaction makes this handle.
    const tx: SqlExecutor = {
      async query(sql, params) {
        if (state.ended) throw handleEnded(sql);
        return session.#query(sql, params ?? []);
      },
      async exec(sql) {
        if (state.ended) throw handleEnded(sql);
        await session.#exec(sql);
      },
    };
    this.#deferred = [BEGIN];
    this.#open = tx;
    try {
      let result: T;
      try {
        result = await fn(tx);
      } catch (err) {
        await this.#rollback();
        throw err;
      }
      const tag = this.#deferred === null ? await this.#control("COMMIT") : "COMMIT";
      if (tag === "ROLLBACK") {
        this.#forget();
        throw new TransactionAbortedError();
      }
      return result;
    } finally {
      state.ended = true;
      this.#open = null;
      this.#failedInTransaction = false;
      this.#deferred = null;
    }
  }

  /** What the transaction wrote is undone, and with it what reads inside it saw. */
  async #rollback(): Promise<void> {
    this.#forget();
    if (this.#deferred === null) await this.#control("ROLLBACK");
  }

  /** PGlite would wait for the open transaction forever; say so instead. */
  #assertNoTransaction(sql: string): void {
    if (this.#open === null) return;
    throw new Error(`PGlite session: statement outside the open transaction's handle: ${sql}`);
  }

  async #query(sql: string, params: readonly unknown[]): Promise<RawRow[]> {
    const statement = this.#prepared.get(sql) ?? (await this.#prepare(sql));
    const values = params.map((value, i) => this.#serialize(value, statement.paramTypes[i]));
    // In a failed transaction the backend answers every statement with an error; so must we.
    const cacheable = this.#reads.cacheable(sql) && !this.#failedInTransaction;
    const cached = cacheable ? this.#reads.get(sql, values) : undefined;
    if (cached !== undefined) return this.#cachedRows(cached);
    const message = concat([serialize.bind({ statement: statement.name, values }), DESCRIBE_EXECUTE_SYNC]);
    const { response, bytes } =
      cacheable && this.#deferred !== null
        ? await this.#readAheadOfBegin(message)
        : await this.#run(message, cacheable);
    if (bytes !== undefined) this.#reads.set(sql, values, bytes, (await this.#catalog()).reads(sql));
    else if (!changedNothing(sql, response.tag)) this.#written(this.#relations?.writes(sql) ?? EVERYTHING);
    return response.rows;
  }

  /**
   * The rows of a cached response: parsed once, on its first hit, and rebuilt from their values on
   * every hit (storedRows.ts), unless they hold values that cannot be copied faithfully.
   */
  #cachedRows(cached: CachedRead): RawRow[] {
    if (cached.rows === undefined)
      cached.rows = StoredRows.of(readResponse(cached.response, this.#parsers).rows);
    return cached.rows === null ? readResponse(cached.response, this.#parsers).rows : cached.rows.rows();
  }

  /** A statement changed `relations`; one the catalog cannot bound may have changed the catalog too. */
  #written(relations: Relations): void {
    if (relations === EVERYTHING) this.#forget();
    else this.#reads.written(relations);
  }

  /** Forget every cached read, and the catalog with them (DDL may have run). */
  #forget(): void {
    this.#reads.invalidate();
    this.#relations = null;
  }

  async #catalog(): Promise<RelationCatalog> {
    if (this.#relations === null) {
      const { response } = await this.#run(serialize.query(RELATION_CATALOG_SQL));
      this.#relations = new RelationCatalog(response.rows as unknown as CatalogRow[]);
    }
    return this.#relations;
  }

  get #parsers(): TypeParsers {
    return this.#db.parsers as TypeParsers;
  }

  /**
   * One call into the backend, behind the open transaction's deferred BEGIN if any, and its
   * response (the rows are those of the last result: a deferred BEGIN's come first), with a copy
   * of its bytes when `keep` (to cache). An error in the response rejects, as
   * `PGlite.execProtocol` does; a failure forgets cached reads and marks an open transaction failed.
   */
  async #run(
    message: Uint8Array,
    keep = false,
  ): Promise<{ response: WireResponse; bytes: Uint8Array | undefined }> {
    const deferred = this.#deferred;
    this.#deferred = null;
    const batch = deferred === null ? message : concat([...deferred, message]);
    try {
      return await this.#send(batch, keep);
    } catch (err) {
      this.#reads.invalidate();
      if (this.#open !== null) this.#failedInTransaction = true;
      throw err;
    }
  }

  /**
   * A pure read of a transaction that has sent nothing yet runs on its own, BEGIN staying
   * deferred: a transaction of such reads alone (a reconcile cycle's snapshot) then costs no
   * BEGIN and no COMMIT. It sees exactly what it would inside the transaction: the gate serializes
   * the session, so nothing writes between these reads and the transaction's later statements,
   * and the reads take no locks that matter to anyone. Should it fail, it failed in an implicit
   * transaction of its own and changed nothing; it is then sent again behind BEGIN, as it would
   * have been, so the error and the failed transaction are the backend's own.
   */
  async #readAheadOfBegin(
    message: Uint8Array,
  ): Promise<{ response: WireResponse; bytes: Uint8Array | undefined }> {
    try {
      return await this.#send(message, true);
    } catch {
      return this.#run(message, true);
    }
  }

  /**
   * One call into the backend and its response, with a copy of its bytes when `keep` (to cache);
   * an error in the response rejects, as `PGlite.execProtocol` does.
   */
  async #send(
    batch: Uint8Array,
    keep: boolean,
  ): Promise<{ response: WireResponse; bytes: Uint8Array | undefined }> {
    const call = ++this.#calls;
    this.#responseLength = 0;
    await this.#db.execProtocolRawStream(batch, this.#stream);
    // The response is read from the session's buffer, which the next call overwrites: callers
    // never overlap calls (the DriverGate), and this says so if one ever does.
    if (call !== this.#calls) throw new Error("PGlite session: overlapping backend calls");
    const received = this.#response.subarray(0, this.#responseLength);
    const response = readResponse(received, this.#parsers);
    if (response.error !== undefined) throw response.error;
    return { response, bytes: keep ? received.slice() : undefined };
  }

  async #prepare(sql: string): Promise<PreparedStatement> {
    const name =
      this.#prepared.size < MAX_PREPARED_STATEMENTS ? `prebuildsim_${this.#prepared.size + 1}` : "";
    const { response } = await this.#run(
      concat([
        serialize.parse({ name, text: sql }),
        serialize.describe({ type: "S", name }),
        serialize.sync(),
      ]),
    );
    const statement = { name, paramTypes: response.paramTypes ?? [] };
    if (name !== "") this.#prepared.set(sql, statement);
    return statement;
  }

  /** As `PGlite.query` serializes a parameter: by the type the backend inferred for it. */
  #serialize(value: unknown, type: number | undefined): string | null {
    if (value === null || value === undefined) return null;
    const serializer = type === undefined ? undefined : this.#db.serializers[type];
    return serializer === undefined ? String(value) : serializer(value);
  }

  /** A simple-protocol query (several statements, no parameters), which may change any data. */
  async #exec(sql: string): Promise<void> {
    const mode = SET_TRANSACTION.test(sql);
    if (mode && this.#deferred !== null) {
      this.#deferred.push(serialize.query(sql));
      return;
    }
    if (!mode) this.#forget();
    await this.#run(serialize.query(sql));
  }

  /** BEGIN, COMMIT or ROLLBACK; returns the command tag (COMMIT of a failed transaction says ROLLBACK). */
  async #control(sql: "BEGIN" | "COMMIT" | "ROLLBACK"): Promise<string | undefined> {
    return (await this.#run(serialize.query(sql))).response.tag;
  }
}

function handleEnded(sql: string): Error {
  return new Error(`PGlite session: transaction handle used after its transaction ended: ${sql}`);
}

/**
 * Whether a statement that is not a pure read reports that it changed no row: an UPDATE or DELETE
 * of 0 rows, an INSERT of none (the schema has no triggers). Idle provisioner daemons racing for
 * one job make most UPDATEs of a run such misses. The tag counts only the outer statement's rows,
 * so a statement with a WITH (whose parts may write: `WITH u AS (UPDATE …) INSERT …` that inserts
 * nothing says INSERT 0 0) never qualifies.
 */
function changedNothing(sql: string, tag: string | undefined): boolean {
  return (tag === "UPDATE 0" || tag === "DELETE 0" || tag === "INSERT 0 0") && !/\bWITH\b/i.test(sql);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
