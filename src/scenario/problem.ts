// What is wrong with a scenario, one problem per line, in the form editors and people read:
// `scenarios/x.yaml:12:7: templates[0].versions[1].presets[0].desiredInstances: expected an integer ≥ 0, got -1`.

/** A position inside a scenario's data: keys of mappings and indexes of lists. */
export type DataPath = readonly (string | number)[];

/** A problem found in the data, before it is placed in a file. */
export interface DataProblem {
  readonly path: DataPath;
  readonly message: string;
  /** The problem is the key itself (an unknown key), not its value. */
  readonly atKey?: boolean;
}

export interface SourcePosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export class ScenarioProblem {
  constructor(
    /** The file name, or the label of a scenario given as an object. */
    readonly source: string,
    /** Where in the file; undefined for problems of the file as a whole or of a plain object. */
    readonly position: SourcePosition | undefined,
    readonly path: DataPath,
    readonly message: string,
  ) {}

  toString(): string {
    const where = this.position
      ? `${this.source}:${this.position.line}:${this.position.column}`
      : this.source;
    return this.path.length > 0
      ? `${where}: ${formatPath(this.path)}: ${this.message}`
      : `${where}: ${this.message}`;
  }
}

/** Thrown by the loaders' throwing forms; the CLI prints each problem on its own line and exits 2. */
export class ScenarioError extends Error {
  constructor(readonly problems: readonly ScenarioProblem[]) {
    super(problems.map((p) => p.toString()).join("\n"));
    this.name = "ScenarioError";
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `["templates", 0, "name"]` → `templates[0].name`; keys that are not identifiers are quoted: `hours["9-11"]`. */
export function formatPath(path: DataPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** How a value that was found is quoted in a message after "got". */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : `a list of ${value.length}`;
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/** The value at `path` inside plain data, or undefined when the path leads nowhere. */
export function valueAt(data: unknown, path: DataPath): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}
