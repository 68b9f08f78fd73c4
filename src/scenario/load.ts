// Loading a scenario: a file, YAML text or a plain object in; the normalised `Scenario` or every
// problem (with file, line:col, path and what was expected) out.
import { readFile } from "node:fs/promises";
import { LineCounter, parseDocument } from "yaml";
import { normaliseScenario } from "./normalise.ts";
import { type DataProblem, ScenarioError, ScenarioProblem, type SourcePosition } from "./problem.ts";
import type { Scenario } from "./scenario.ts";
import { checkAgainstSchema } from "./schemaProblems.ts";
import { positionOf } from "./yamlPositions.ts";

export type ScenarioResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly problems: readonly ScenarioProblem[] };

/** Problems in file order: the order people fix them in. */
function byPosition(a: ScenarioProblem, b: ScenarioProblem): number {
  const pa = a.position ?? { line: 0, column: 0 };
  const pb = b.position ?? { line: 0, column: 0 };
  return pa.line - pb.line || pa.column - pb.column;
}

function checkData(
  data: unknown,
  source: string,
  place: (problem: DataProblem) => SourcePosition | undefined,
): ScenarioResult {
  const schema = checkAgainstSchema(data);
  const result = schema.ok ? normaliseScenario(schema.file) : schema;
  if (result.ok) return result;
  const problems = result.problems.map((p) => new ScenarioProblem(source, place(p), p.path, p.message));
  return { ok: false, problems: problems.sort(byPosition) };
}

/** A scenario from YAML text; `fileName` is how problems name the file. */
export function parseScenario(text: string, fileName: string): ScenarioResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    const problems = doc.errors.map(
      (e) => new ScenarioProblem(fileName, at(e.pos[0]), [], `YAML syntax: ${e.message}`),
    );
    return { ok: false, problems };
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // Aliases the document cannot resolve (or too many of them) surface only when converting.
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [new ScenarioProblem(fileName, undefined, [], `YAML: ${reason}`)] };
  }
  return checkData(data, fileName, (p) => positionOf(doc, lineCounter, p.path, p.atKey ? "key" : "value"));
}

/** A scenario given as a plain object (the library API); `label` names it in problems. */
export function parseScenarioObject(value: unknown, label: string): ScenarioResult {
  return checkData(value, label, () => undefined);
}

const READ_FAILURES: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "it is a directory",
};

/** A scenario from a YAML file. */
export async function loadScenarioFile(path: string): Promise<ScenarioResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const reason = READ_FAILURES[code] ?? (error instanceof Error ? error.message : String(error));
    return {
      ok: false,
      problems: [new ScenarioProblem(path, undefined, [], `cannot read the file: ${reason}`)],
    };
  }
  return parseScenario(text, path);
}

/** The scenario, or a `ScenarioError` carrying every problem. */
export function scenarioOrThrow(result: ScenarioResult): Scenario {
  if (result.ok) return result.scenario;
  throw new ScenarioError(result.problems);
}
