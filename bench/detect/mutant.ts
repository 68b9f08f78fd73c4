// A mutant of the detection benchmark: one realistic bug, written as an exact-text replacement in
// one source file, so that it keeps applying while other people edit the tree around it (and
// fails loudly, naming the mutant, once its text is gone).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where in the reconciler a bug lives; the table groups by it. */
export type MutantArea =
  | "state machine"
  | "reconciler cycle"
  | "lock handling"
  | "claim path"
  | "expiry"
  | "schedules"
  | "sql";

export interface Mutant {
  /** The file's path relative to the repository root. */
  readonly file: string;
  /** Text that occurs exactly once in `file`; whitespace counts. */
  readonly find: string;
  readonly replace: string;
  /** The bug, said as a reviewer would: what it does wrong and what it should do. */
  readonly description: string;
  readonly area: MutantArea;
}

/** A mutant with its name: the file name under bench/mutants/ without `.ts`. */
export interface NamedMutant extends Mutant {
  readonly name: string;
}

export const MUTANTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "mutants");

/** Every mutant under bench/mutants/, by name. */
export async function loadMutants(dir = MUTANTS_DIR): Promise<NamedMutant[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort();
  const out: NamedMutant[] = [];
  for (const file of files) {
    const mod = (await import(join(dir, file))) as { default?: Mutant };
    if (mod.default === undefined) throw new Error(`${join(dir, file)}: no default export (a Mutant)`);
    out.push({ name: basename(file, ".ts"), ...mod.default });
  }
  return out;
}

/** How many times `find` occurs in `text` (non-overlapping). */
export function occurrences(text: string, find: string): number {
  if (find === "") return 0;
  let n = 0;
  for (let i = text.indexOf(find); i !== -1; i = text.indexOf(find, i + find.length)) n++;
  return n;
}

export class MutantNotApplicableError extends Error {
  override readonly name = "MutantNotApplicableError";
}

/** The mutated text of the mutant's file; throws when `find` does not occur exactly once. */
export function mutate(mutant: NamedMutant, text: string): string {
  const n = occurrences(text, mutant.find);
  if (n !== 1)
    throw new MutantNotApplicableError(
      `mutant ${mutant.name}: its find text occurs ${n} times in ${mutant.file} (expected exactly once); ` +
        `update bench/mutants/${mutant.name}.ts to the current code`,
    );
  const at = text.indexOf(mutant.find);
  return text.slice(0, at) + mutant.replace + text.slice(at + mutant.find.length);
}

/** Applies the mutant to the tree rooted at `root` (a scratch copy, never the repository). */
export function applyMutant(mutant: NamedMutant, root: string): void {
  const path = join(root, mutant.file);
  writeFileSync(path, mutate(mutant, readFileSync(path, "utf8")));
}
