// A cached read's rows kept as parsed values, so that answering the read again builds fresh row
// objects instead of decoding and type-parsing the response bytes again: a claim-heavy day answers
// ~58,000 reads from the cache, most of them the snapshot's, and parsing their rows (text decoding,
// timestamps) was the largest share of the session's own time.
//
// The rows built are equal to what parsing the same bytes gives, and share nothing mutable with
// any other caller's: every row is a new object with the same keys in the same order (assigned
// the same way the wire reader assigns them), primitives are immutable, and a Date or an array is
// copied. A result holding anything else (a JSON object, bytes) is not kept: the caller parses the
// bytes each time, as before.
import type { RawRow } from "./driver.ts";

export class StoredRows {
  private constructor(
    /** The keys every row has, in their order. */
    readonly keys: readonly string[],
    /** Per row, its values in `keys` order (never handed out: `rows()` copies what is mutable). */
    readonly values: readonly (readonly unknown[])[],
  ) {}

  /**
   * Takes ownership of freshly parsed `rows` (the caller must not hand them out); null when a
   * value could not be copied faithfully or the rows do not share one key list.
   */
  static of(rows: readonly RawRow[]): StoredRows | null {
    const first = rows[0];
    const keys = first === undefined ? [] : Object.keys(first);
    // An own "__proto__" key would not be rebuilt by assignment; an object's own prototype is
    // what plain parsing gives only if it is Object.prototype.
    if (keys.includes("__proto__")) return null;
    const values: unknown[][] = [];
    for (const row of rows) {
      if (Object.getPrototypeOf(row) !== Object.prototype) return null;
      const own = Object.keys(row);
      if (own.length !== keys.length) return null;
      const rowValues: unknown[] = [];
      for (let i = 0; i < keys.length; i++) {
        if (own[i] !== keys[i]) return null;
        const value = row[keys[i] as string];
        if (!copyable(value)) return null;
        rowValues.push(value);
      }
      values.push(rowValues);
    }
    return new StoredRows(keys, values);
  }

  /** Fresh row objects, equal to the stored ones. */
  rows(): RawRow[] {
    const { keys, values } = this;
    const out: RawRow[] = new Array(values.length);
    for (let r = 0; r < values.length; r++) {
      const rowValues = values[r] as readonly unknown[];
      const row: RawRow = {};
      for (let i = 0; i < keys.length; i++) row[keys[i] as string] = copy(rowValues[i]);
      out[r] = row;
    }
    return out;
  }
}

/** Whether `copy` gives a value equal to `value` that shares nothing mutable with it. */
function copyable(value: unknown): boolean {
  if (value === null || typeof value !== "object")
    return typeof value !== "function" && typeof value !== "symbol";
  const proto = Object.getPrototypeOf(value);
  if (proto === Date.prototype) return Object.keys(value).length === 0;
  if (proto === Array.prototype) {
    const array = value as readonly unknown[];
    // a plain, dense array with no own properties besides its elements
    if (Object.keys(array).length !== array.length) return false;
    for (const element of array) if (!copyable(element)) return false;
    return true;
  }
  return false;
}

function copy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return new Date(value.getTime());
  return (value as readonly unknown[]).map(copy);
}
