// Runs the file schema and words what it found the way people read it: one problem per unknown key
// (with "did you mean"), "expected …, got …" for every value, and of a union only the branch the
// author evidently meant.
import { z } from "zod";
import { type DataPath, type DataProblem, describeValue, valueAt } from "./problem.ts";
import { type ParsedScenarioFile, scenarioFileSchema } from "./schema.ts";
import { didYouMean } from "./suggest.ts";

export type SchemaResult =
  | { readonly ok: true; readonly file: ParsedScenarioFile }
  | { readonly ok: false; readonly problems: readonly DataProblem[] };

const TYPE_EXPECTED: Readonly<Record<string, string>> = {
  object: "expected a mapping",
  record: "expected a mapping",
  array: "expected a list",
  tuple: "expected a list",
  string: "expected a text",
  number: "expected a number",
  int: "expected an integer",
  boolean: "expected true or false",
};

/** Keys each mapping allows, recorded as zod meets an unknown key (its issue carries the schema). */
type KnownKeys = WeakMap<object, readonly string[]>;

/** The wording of issues whose schema did not bring its own. */
function defaultExpectation(issue: z.core.$ZodRawIssue, knownKeys: KnownKeys): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return TYPE_EXPECTED[issue.expected] ?? `expected ${issue.expected}`;
    case "unrecognized_keys":
      if (issue.inst instanceof z.ZodObject && typeof issue.input === "object" && issue.input !== null) {
        knownKeys.set(issue.input, Object.keys(issue.inst.shape));
      }
      return "unknown key";
    case "invalid_value":
      return `expected one of ${issue.values.map(String).join(", ")}`;
    default:
      return undefined;
  }
}

/** Did the union branch fail only because the value has another type? Then it is not what was meant. */
function isTypeMismatch(issues: readonly z.core.$ZodIssue[]): boolean {
  return issues.every((i) => i.code === "invalid_type" && i.path.length === 0);
}

function issueProblems(
  issue: z.core.$ZodIssue,
  data: unknown,
  knownKeys: KnownKeys,
  prefix: DataPath,
): DataProblem[] {
  const path: DataPath = [...prefix, ...issue.path.map((s) => (typeof s === "number" ? s : String(s)))];
  const value = valueAt(data, path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = (typeof value === "object" && value !== null && knownKeys.get(value)) || [];
      return issue.keys.map((key) => ({
        path: [...path, key],
        atKey: true,
        message: `unknown key${didYouMean(key, known) || `; expected one of ${known.join(", ")}`}`,
      }));
    }
    case "invalid_union": {
      const meant = issue.errors.filter((branch) => !isTypeMismatch(branch));
      const [only, ...others] = meant;
      if (only && others.length === 0) return only.flatMap((i) => issueProblems(i, data, knownKeys, path));
      const options = "options" in issue && issue.options ? issue.options.map(String) : [];
      const hint = typeof value === "string" ? didYouMean(value, options) : "";
      return [{ path, message: `${issue.message}, got ${describeValue(value)}${hint}` }];
    }
    case "custom":
      return [{ path, message: issue.message, atKey: issue.params?.atKey === true }];
    default: {
      if (value === undefined) return [{ path, message: `required; ${issue.message}` }];
      const hint =
        issue.code === "invalid_value" && typeof value === "string"
          ? didYouMean(value, issue.values.map(String))
          : "";
      return [{ path, message: `${issue.message}, got ${describeValue(value)}${hint}` }];
    }
  }
}

/** The schema's verdict on plain data (a parsed YAML document or an object from the library API). */
export function checkAgainstSchema(data: unknown): SchemaResult {
  const knownKeys: KnownKeys = new WeakMap();
  const result = scenarioFileSchema.safeParse(data, {
    error: (issue) => defaultExpectation(issue, knownKeys),
  });
  if (result.success) return { ok: true, file: result.data };
  return { ok: false, problems: result.error.issues.flatMap((i) => issueProblems(i, data, knownKeys, [])) };
}
