// Fault hooks: make a named query (or any query) fail with some probability inside a window of
// virtual time, as the scenario's `db-errors` fault asks. Draws come from one seeded stream and
// only when a rule applies, so a run with the same rules and seed fails the same calls.
import type { Instant } from "../clock/types.ts";
import type { RandomStream } from "../kernel/rng.ts";
import { DatabaseError, SqlState } from "./errors.ts";
import { isQueryName, type QueryName } from "./queries/names.ts";

export interface QueryFaultRule {
  /** Upstream query name (PascalCase), or "*" for every query. */
  query: QueryName | "*";
  /** Probability in [0, 1] that a call inside the window fails. */
  probability: number;
  /** The window [from, until) in virtual time. */
  from: Instant;
  until: Instant;
  /** Only calls on this connection (replica); all connections when absent. */
  connection?: string;
  /** SQLSTATE of the raised error (default XX000, internal_error). */
  code?: string;
  /** Who installed the rule, handed back in `InjectedFault` (the scenario's fault index). */
  tag?: number;
}

export interface InjectedFault {
  query: QueryName;
  connection: string;
  code: string;
  at: Instant;
  /** The rule's `tag`, when it has one. */
  tag?: number;
}

/** Called for every statement before the rules are checked; it may act on the world or throw. */
export type StatementListener = (query: QueryName, connection: string, now: Instant) => void;

export class QueryFaults {
  readonly #stream: RandomStream;
  readonly #rules: QueryFaultRule[] = [];
  readonly #listeners = new Set<(fault: InjectedFault) => void>();
  readonly #statements = new Set<StatementListener>();

  constructor(stream: RandomStream) {
    this.#stream = stream;
  }

  /** Adds a rule; returns a function that removes it. */
  add(rule: QueryFaultRule): () => void {
    if (rule.query !== "*" && !isQueryName(rule.query)) {
      throw new RangeError(`fault rule: unknown query name ${JSON.stringify(rule.query)}`);
    }
    if (!(rule.probability >= 0 && rule.probability <= 1)) {
      throw new RangeError(
        `fault rule for ${rule.query}: probability must be in [0, 1], got ${rule.probability}`,
      );
    }
    if (!(rule.from <= rule.until)) {
      throw new RangeError(
        `fault rule for ${rule.query}: window [${rule.from}, ${rule.until}) is empty or reversed`,
      );
    }
    const stored = { ...rule };
    this.#rules.push(stored);
    return () => {
      const i = this.#rules.indexOf(stored);
      if (i >= 0) this.#rules.splice(i, 1);
    };
  }

  clear(): void {
    this.#rules.length = 0;
    this.#statements.clear();
  }

  subscribe(listener: (fault: InjectedFault) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Watches every statement (simulation triggers count a cycle's statements here). Listeners draw
   * nothing from the rules' stream, so watching changes no run.
   */
  onStatement(listener: StatementListener): () => void {
    this.#statements.add(listener);
    return () => this.#statements.delete(listener);
  }

  /** Throws a DatabaseError when a rule applies to this call and its draw says fail. */
  check(query: QueryName, connection: string, now: Instant): void {
    for (const listener of this.#statements) listener(query, connection, now);
    for (const rule of this.#rules) {
      if (rule.query !== "*" && rule.query !== query) continue;
      if (rule.connection !== undefined && rule.connection !== connection) continue;
      if (now < rule.from || now >= rule.until) continue;
      if (!this.#stream.bool(rule.probability)) continue;
      const code = rule.code ?? SqlState.InjectedDefault;
      const injected: InjectedFault = { query, connection, code, at: now };
      if (rule.tag !== undefined) injected.tag = rule.tag;
      for (const listener of this.#listeners) listener(injected);
      throw new DatabaseError({
        message: `injected fault (rule ${rule.query}, p=${rule.probability}, window [${rule.from}, ${rule.until}))`,
        code,
        query,
        connection,
        injected: true,
      });
    }
  }
}
