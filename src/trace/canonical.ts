// Canonical JSON for trace lines: the same value always gives the same bytes.
// Key order: `seq`, `t`, `actor`, `kind` first (SCENARIOS.md §5 shows them in that order), then
// every other key sorted by code point, recursively. Non-finite numbers, functions, symbols and
// bigints are refused: they would make a line unreadable or non-deterministic.

const LEADING_KEYS = ["seq", "t", "actor", "kind"] as const;

export type CanonicalValue =
  | null
  | boolean
  | number
  | string
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue | undefined };

function keyOrder(keys: string[], top: boolean): string[] {
  const rest = keys.filter((k) => !top || !(LEADING_KEYS as readonly string[]).includes(k)).sort();
  if (!top) return rest;
  return [...LEADING_KEYS.filter((k) => keys.includes(k)), ...rest];
}

function write(value: unknown, top: boolean, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: non-finite number at ${path}`);
      return Object.is(value, -0) ? "0" : JSON.stringify(value);
    case "string":
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map((v, i) => write(v, false, `${path}[${i}]`)).join(",")}]`;
      const obj = value as Record<string, unknown>;
      const keys = keyOrder(
        Object.keys(obj).filter((k) => obj[k] !== undefined),
        top,
      );
      return `{${keys.map((k) => `${JSON.stringify(k)}:${write(obj[k], false, `${path}.${k}`)}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonical JSON: cannot encode a ${typeof value} at ${path}`);
  }
}

// The writer every trace line goes through (one call per line, ~55,000 a claim-heavy day): the same
// bytes as `write`, without building a path string for every value on the way (`write` names the
// path of a value it refuses; when `fast` refuses one, `write` runs again for its message).
const REFUSED = new TypeError("canonical JSON: refused");

function fast(value: unknown, top: boolean): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw REFUSED;
      // JSON writes a finite number as its ToString, except that -0 becomes "0" here
      return Object.is(value, -0) ? "0" : String(value);
    case "string":
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + fast(value[i], false);
        return `${out}]`;
      }
      const obj = value as Record<string, unknown>;
      const keys = keyOrder(
        Object.keys(obj).filter((k) => obj[k] !== undefined),
        top,
      );
      let out = "{";
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        out += `${i === 0 ? "" : ","}${JSON.stringify(k)}:${fast(obj[k], false)}`;
      }
      return `${out}}`;
    }
    default:
      throw REFUSED;
  }
}

/** One line of canonical JSON (no trailing newline). `undefined` properties are omitted. */
export function canonicalJson(value: unknown): string {
  try {
    return fast(value, true);
  } catch (error) {
    if (error !== REFUSED) throw error;
    return write(value, true, "$");
  }
}
