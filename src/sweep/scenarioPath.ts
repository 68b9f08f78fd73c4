// Finds a `--vary` path in a scenario file's data: keys of mappings as written, list elements by
// their `name` (templates, versions, presets, replicas, parameters) or by `[index]`. The last key
// may be absent (a field left at its default is still a field to vary), and so may mappings on the
// way to it; list elements must exist. The result is the data path the loader's problems use.
import { type DataPath, describeValue, formatPath } from "../scenario/problem.ts";
import type { PathStep } from "./varyOption.ts";

export type PathResolution =
  | { readonly ok: true; readonly path: DataPath }
  | {
      readonly ok: false;
      /** how far the path was found: the problem is placed there */
      readonly at: DataPath;
      readonly expected: string;
    };

function isMapping(node: unknown): node is Record<string, unknown> {
  return node !== null && typeof node === "object" && !Array.isArray(node);
}

function elementNames(list: readonly unknown[]): string[] {
  return list.flatMap((e) => (isMapping(e) && typeof e.name === "string" ? [e.name] : []));
}

function nameChoices(list: readonly unknown[]): string {
  const names = elementNames(list);
  const indexes = list.length === 0 ? "the list is empty" : `or an index [0]…[${list.length - 1}]`;
  return names.length === 0 ? indexes : `${names.map((n) => JSON.stringify(n)).join(", ")} ${indexes}`;
}

export function resolveScenarioPath(data: unknown, steps: readonly PathStep[]): PathResolution {
  const path: (string | number)[] = [];
  let node: unknown = data;
  for (const step of steps) {
    if (node === undefined) {
      // A mapping that is not written yet: every further step must be a key, which setting creates.
      if (step.kind === "index")
        return {
          ok: false,
          at: path,
          expected: `expected a key after ${formatPath(path)}, which is not written in the file, got [${step.index}]`,
        };
      path.push(step.key);
      continue;
    }
    if (Array.isArray(node)) {
      const index =
        step.kind === "index" ? step.index : node.findIndex((e) => isMapping(e) && e.name === step.key);
      if (index < 0 || index >= node.length) {
        const got = step.kind === "index" ? `[${step.index}]` : JSON.stringify(step.key);
        return {
          ok: false,
          at: path,
          expected: `expected an element's name (${nameChoices(node)}), got ${got}`,
        };
      }
      path.push(index);
      node = node[index];
      continue;
    }
    if (!isMapping(node))
      return {
        ok: false,
        at: path,
        expected: `expected a mapping or a list to step into, got ${describeValue(node)}`,
      };
    if (step.kind === "index")
      return {
        ok: false,
        at: path,
        expected: `expected a key of this mapping, got [${step.index}] (it is not a list)`,
      };
    path.push(step.key);
    node = Object.hasOwn(node, step.key) ? node[step.key] : undefined;
  }
  return { ok: true, path };
}
