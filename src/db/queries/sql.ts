// Helpers shared by the query modules: how a query is declared, how epoch-millisecond instants
// cross into SQL and back, and how raw driver values become typed row fields.
import type { Instant } from "../../clock/types.ts";
import type { SqlExecutor } from "../driver.ts";
import type { QueryName } from "./names.ts";

/** A named query: `run` executes it on whatever executor (plain session or transaction) it gets. */
export interface Query<A extends unknown[], R> {
  readonly name: QueryName;
  run(q: SqlExecutor, ...args: A): Promise<R>;
}

export function defineQuery<A extends unknown[], R>(
  name: QueryName,
  run: (q: SqlExecutor, ...args: A) => Promise<R>,
): Query<A, R> {
  return { name, run };
}

/**
 * SQL for parameter `$n` holding an Instant (epoch ms, or null). Times always arrive as
 * parameters: SQL never reads the clock. float8 keeps whole milliseconds exact.
 */
export function at(n: number): string {
  return `to_timestamp($${n}::float8 / 1000)`;
}

/** timestamptz (a Date from either driver) → epoch ms. */
export function instant(v: unknown, column: string): Instant {
  if (v instanceof Date) return v.getTime();
  throw new TypeError(`column ${column}: expected a timestamp, got ${String(v)}`);
}

export function instantOrNull(v: unknown, column: string): Instant | null {
  return v === null || v === undefined ? null : instant(v, column);
}

export function text(v: unknown, column: string): string {
  if (typeof v === "string") return v;
  throw new TypeError(`column ${column}: expected text, got ${String(v)}`);
}

export function textOrNull(v: unknown, column: string): string | null {
  return v === null || v === undefined ? null : text(v, column);
}

/** int4 (or an int8/numeric cast the driver returned as a string). */
export function int(v: unknown, column: string): number {
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n === "number" && Number.isSafeInteger(n)) return n;
  throw new TypeError(`column ${column}: expected an integer, got ${String(v)}`);
}

export function intOrNull(v: unknown, column: string): number | null {
  return v === null || v === undefined ? null : int(v, column);
}

export function bool(v: unknown, column: string): boolean {
  if (typeof v === "boolean") return v;
  throw new TypeError(`column ${column}: expected a boolean, got ${String(v)}`);
}

export function textArray(v: unknown, column: string): string[] {
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  throw new TypeError(`column ${column}: expected a text array, got ${String(v)}`);
}

/** The first row, or undefined; for queries that return at most one row. */
export function first<T>(rows: T[]): T | undefined {
  return rows[0];
}
