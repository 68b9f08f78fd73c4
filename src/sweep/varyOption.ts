// `--vary PATH=V1,V2,…`: which field of the scenario file a sweep varies and the values it takes.
// PATH is written in the file's own terms — `templates.dev.versions.v1.presets.small.desiredInstances`,
// `workload.claims[0].rate` — with list elements named by their `name` or by `[index]`; a name with
// dots, brackets, `=` or quotes (`v1.2.0`, a free-text preset) is written as a JSON string:
// `templates.ml.versions."v1.2.0".presets."GPU (A100)".desiredInstances`. Each value
// is YAML (`6/h`, `PT5M`, `{fixed: PT1M}`), or an integer range `a..b` with an optional `:step`.
// Here only the text is parsed; `scenarioPath.ts` finds the path in a file.
import { parse as parseYaml } from "yaml";

/** One step of a path: a mapping key or a list element's name, or a list index. */
export type PathStep =
  | { readonly kind: "key"; readonly key: string }
  | { readonly kind: "index"; readonly index: number };

export interface VaryValue {
  /** the value as written (a range's members as their numbers) */
  readonly label: string;
  readonly value: unknown;
}

export interface VaryOption {
  /** the option's text as given */
  readonly text: string;
  /** PATH as written */
  readonly path: string;
  readonly steps: readonly PathStep[];
  readonly values: readonly VaryValue[];
}

export type VaryParse =
  | { readonly ok: true; readonly vary: VaryOption }
  | { readonly ok: false; readonly expected: string };

/** The most values one range may expand to: `1..100000` is a typo, not a plan. */
export const MAX_RANGE_VALUES = 1000;

/** One step: a bare name (no dots, brackets, `=` or quotes) or a JSON-quoted one, then `[index]`es. */
const STEP = /^\s*(?:("(?:[^"\\]|\\.)*")|([^.[\]="]*))\s*((?:\[\d+\])*)\s*$/;
const RANGE = /^(-?\d+)\s*\.\.\s*(-?\d+)(?:\s*:\s*(\d+))?$/;

/** Where `separator` occurs outside JSON-quoted names (a quoted name may hold dots and `=`). */
function unquotedIndexes(text: string, separator: string): number[] {
  const at: number[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === separator) at.push(i);
  }
  return at;
}

function splitAt(text: string, indexes: readonly number[]): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const i of indexes) {
    parts.push(text.slice(start, i));
    start = i + 1;
  }
  parts.push(text.slice(start));
  return parts;
}

function parsePath(path: string): PathStep[] | string {
  if (path.trim() === "") return "expected a field path before '=', like provisioners.daemons";
  const steps: PathStep[] = [];
  for (const [i, segment] of splitAt(path, unquotedIndexes(path, ".")).entries()) {
    const m = STEP.exec(segment);
    let key = m?.[2]?.trim() ?? "";
    if (m?.[1] !== undefined) {
      try {
        key = JSON.parse(m[1]) as string;
      } catch {
        key = "";
      }
    }
    if (
      m === null ||
      (key === "" && m[1] === undefined && (m[3] === "" || i > 0)) ||
      (m[1] !== undefined && key === "")
    )
      return `expected a field path of names and [index] steps separated by dots (a name with dots, brackets, = or quotes in JSON quotes, like presets."GPU 1.5"), got ${JSON.stringify(path)} (step ${i + 1}: ${JSON.stringify(segment)})`;
    if (key !== "" || m[1] !== undefined) steps.push({ kind: "key", key });
    for (const index of (m[3] ?? "").matchAll(/\[(\d+)\]/g))
      steps.push({ kind: "index", index: Number(index[1]) });
  }
  return steps;
}

/** Splits at commas outside brackets, braces and quotes: `{fixed: PT1M},{median: PT1M, p90: PT2M}` is two values. */
function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  items.push(text.slice(start));
  return items;
}

function parseItem(item: string): VaryValue[] | string {
  const text = item.trim();
  if (text === "") return "expected a value between the commas, got an empty one";
  const range = RANGE.exec(text);
  if (range !== null) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    const step = range[3] === undefined ? 1 : Number(range[3]);
    if (step < 1) return `expected a range step ≥ 1, got ${JSON.stringify(text)}`;
    if (to < from) return `expected a range a..b with a ≤ b, got ${JSON.stringify(text)}`;
    const count = Math.floor((to - from) / step) + 1;
    if (count > MAX_RANGE_VALUES)
      return `expected a range of at most ${MAX_RANGE_VALUES} values, got ${JSON.stringify(text)} (${count})`;
    return Array.from({ length: count }, (_, i) => ({
      label: String(from + i * step),
      value: from + i * step,
    }));
  }
  try {
    return [{ label: text, value: parseYaml(text) as unknown }];
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    return `expected a YAML value or a range like 1..8, got ${JSON.stringify(text)} (${reason})`;
  }
}

/** Parses one `--vary` option's text. */
export function parseVaryOption(text: string): VaryParse {
  const eq = unquotedIndexes(text, "=")[0] ?? -1;
  if (eq === -1)
    return {
      ok: false,
      expected: "expected PATH=V1,V2,… (a field path, '=', then values or a range like 1..8)",
    };
  const path = text.slice(0, eq).trim();
  const steps = parsePath(path);
  if (typeof steps === "string") return { ok: false, expected: steps };
  const values: VaryValue[] = [];
  for (const item of splitTopLevel(text.slice(eq + 1))) {
    const parsed = parseItem(item);
    if (typeof parsed === "string") return { ok: false, expected: parsed };
    values.push(...parsed);
  }
  const labels = new Set<string>();
  for (const v of values) {
    const key = JSON.stringify(v.value);
    if (labels.has(key)) return { ok: false, expected: `expected each value once, got ${v.label} twice` };
    labels.add(key);
  }
  return { ok: true, vary: { text, path, steps, values } };
}
