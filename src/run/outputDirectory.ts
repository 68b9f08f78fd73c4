// Where a command may write (issue #14): only into a path that does not exist yet, an empty
// directory, or one of this tool's own earlier outputs, recognised by the marker file every output
// directory carries (`.prebuildsim-run`, `.prebuildsim-explore`, …). Everything is checked before
// the work starts — including that the parent can be written, by creating and removing a probe in
// it — so a bad `--out` is bad input (exit 2, one line) instead of a lost hour or a lost directory.
// An output of the same kind is replaced; one of another kind only with `--force`; anything else
// is never removed. Directories are created with mode 0777 and files 0666 under the umask (0755 /
// 0644 with the usual 022), so CI artifacts and web servers can read them.
import { constants, type Dirent } from "node:fs";
import { access, lstat, mkdir, readdir, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { InputError } from "./inputError.ts";

export const OUTPUT_KINDS = ["run", "explore", "sweep", "suite", "merge", "shrink"] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

/** The marker file that makes a directory recognisably an output of `kind`. */
export function markerName(kind: OutputKind): string {
  return `.prebuildsim-${kind}`;
}

const MARKER_TEXT = (kind: OutputKind) =>
  `This directory is a prebuildsim ${kind} output. prebuildsim ${kind} may replace it; ` +
  "remove this file to keep it from being replaced.\n";

/**
 * Run directories written before markers existed: a directory holding summary.json and nothing
 * but the files a run directory has is recognised as one (`npm start` over an older `reports/`).
 */
const RUN_DIRECTORY_FILES = new Set([
  "summary.json",
  "trace.jsonl",
  "timeseries.json",
  "scenario.yaml",
  "report.html",
  "report.md",
  "charts",
]);

export interface OutputOptions {
  /** How the command line names the option in messages (default `--out`). */
  option?: string;
  /** Also replace an output of another kind of this tool (`--force`). */
  force?: boolean;
  /** Files the output must never contain (the scenario being run): their directories are refused. */
  protect?: readonly string[];
  /** Create missing parent directories (default outputs under reports/); otherwise the parent must exist. */
  createParents?: boolean;
}

/** What is at an output path now. */
export type OutputState =
  | { readonly state: "absent" }
  | { readonly state: "empty" }
  | { readonly state: "ours"; readonly kind: OutputKind }
  | { readonly state: "foreign"; readonly why: string };

/** An output path that passed every check, ready to be written. */
export interface CheckedOutput {
  /** As the user gave it (for messages and links). */
  readonly given: string;
  /** Absolute. */
  readonly path: string;
  readonly kind: OutputKind;
  readonly options: OutputOptions;
}

function isWithin(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep));
}

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

async function legacyRunDirectory(path: string, names: readonly string[]): Promise<boolean> {
  if (!names.includes("summary.json") || !names.every((n) => RUN_DIRECTORY_FILES.has(n))) return false;
  if (!names.includes("charts")) return true;
  try {
    const charts = await readdir(join(path, "charts"), { withFileTypes: true });
    return charts.every((e) => e.isFile() && /\.(svg|png)$/.test(e.name));
  } catch {
    return false;
  }
}

/** Classifies what is at `path` (never follows a symbolic link). */
export async function outputState(path: string): Promise<OutputState> {
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(path);
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return { state: "absent" };
    return { state: "foreign", why: `cannot be read (${errnoCode(error) ?? (error as Error).message})` };
  }
  if (stats.isSymbolicLink()) return { state: "foreign", why: "is a symbolic link" };
  if (!stats.isDirectory()) return { state: "foreign", why: "is a file, not a directory" };
  let entries: Dirent[];
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (error) {
    return { state: "foreign", why: `cannot be read (${errnoCode(error) ?? (error as Error).message})` };
  }
  const names = entries.map((e) => e.name).sort();
  if (names.length === 0) return { state: "empty" };
  // A marker is a regular file; a directory that happens to carry the name proves nothing.
  const files = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
  const markers = OUTPUT_KINDS.filter((k) => files.has(markerName(k)));
  const [kind] = markers;
  if (kind !== undefined && markers.length === 1) return { state: "ours", kind };
  if (files.has("summary.json") && (await legacyRunDirectory(path, names)))
    return { state: "ours", kind: "run" };
  const shown = names.slice(0, 3).join(", ") + (names.length > 3 ? ", …" : "");
  return { state: "foreign", why: `holds files prebuildsim did not write (${shown})` };
}

function refusal(o: CheckedOutput | { given: string; options: OutputOptions }, why: string, how: string) {
  return new InputError(`${o.options.option ?? "--out"} ${o.given}: ${why}; ${how}`);
}

const CHOOSE = "choose a new or empty directory";

/** Why `state` may not be written as an output of `kind`, or undefined when it may. */
function stateProblem(
  state: OutputState,
  kind: OutputKind,
  force: boolean,
): { why: string; how: string } | undefined {
  switch (state.state) {
    case "absent":
    case "empty":
      return undefined;
    case "foreign":
      return { why: state.why, how: `prebuildsim never replaces it: ${CHOOSE}` };
    case "ours":
      if (state.kind === kind || force) return undefined;
      return {
        why: `is a prebuildsim ${state.kind} output, not a ${kind} output`,
        how: `add --force to replace it, or ${CHOOSE}`,
      };
  }
}

/** The nearest existing ancestor of `path` (the path itself excluded). */
async function existingParent(path: string): Promise<{ parent: string; missing: boolean }> {
  let parent = dirname(path);
  let missing = false;
  for (;;) {
    try {
      await lstat(parent);
      return { parent, missing };
    } catch {
      missing = true;
      const up = dirname(parent);
      if (up === parent) return { parent, missing };
      parent = up;
    }
  }
}

/** Creates and removes a probe directory in `dir`: the one reliable test that it can be written. */
async function probeWritable(dir: string): Promise<string | undefined> {
  try {
    await access(dir, constants.W_OK | constants.X_OK);
    const probe = join(dir, `.prebuildsim-probe-${process.pid}`);
    await mkdir(probe);
    await rmdir(probe);
    return undefined;
  } catch (error) {
    const code = errnoCode(error);
    if (code === "EACCES" || code === "EPERM") return "permission denied";
    if (code === "EROFS") return "read-only file system";
    if (code === "ENOTDIR") return "not a directory";
    if (code === "ENOENT") return "does not exist";
    return code ?? (error as Error).message;
  }
}

/**
 * Every check an output path must pass, before any work: not the working directory or above it,
 * not a directory holding a protected file, nothing there that is not ours, a writable parent.
 * Throws an `InputError` saying why and how to proceed.
 */
export async function checkOutputDirectory(
  given: string,
  kind: OutputKind,
  options: OutputOptions = {},
): Promise<CheckedOutput> {
  const path = resolve(given);
  const checked: CheckedOutput = { given, path, kind, options };
  if (isWithin(process.cwd(), path))
    throw refusal(
      checked,
      "is the current directory or one above it",
      `name a directory of its own, like ${join("reports", `${kind}-out`)}`,
    );
  for (const file of options.protect ?? [])
    if (isWithin(resolve(file), path))
      throw refusal(checked, `holds ${file}, which would be replaced`, "name a directory of its own");
  const problem = stateProblem(await outputState(path), kind, options.force === true);
  if (problem !== undefined) throw refusal(checked, problem.why, problem.how);
  const { parent, missing } = await existingParent(path);
  if (missing && options.createParents !== true)
    throw refusal(checked, `the directory ${dirname(given)} does not exist`, "create it first");
  const unwritable = await probeWritable(parent);
  if (unwritable !== undefined)
    throw refusal(checked, `cannot write into ${parent} (${unwritable})`, "choose a writable place");
  return checked;
}

let stagingCounter = 0;

/** A new empty directory beside `target` (mode 0777 under the umask, unlike mkdtemp's 0700). */
async function makeStaging(target: string): Promise<string> {
  for (;;) {
    const staging = join(dirname(target), `.${basename(target)}.partial-${process.pid}-${++stagingCounter}`);
    try {
      await mkdir(staging);
      return staging;
    } catch (error) {
      if (errnoCode(error) !== "EEXIST") throw error;
    }
  }
}

/**
 * Writes the output whole: `fill` writes into a staging directory beside the target, which then
 * takes the target's place. The target is checked again first (it may have changed during the
 * work); an earlier output is moved aside and removed only once the new one is in place.
 */
export async function replaceOutputDirectory(
  checked: CheckedOutput,
  fill: (staging: string) => Promise<void>,
): Promise<void> {
  const { path: target, kind } = checked;
  await mkdir(dirname(target), { recursive: true });
  const staging = await makeStaging(target);
  try {
    await fill(staging);
    await writeFile(join(staging, markerName(kind)), MARKER_TEXT(kind));
    const state = await outputState(target);
    const problem = stateProblem(state, kind, checked.options.force === true);
    if (problem !== undefined) throw refusal(checked, problem.why, problem.how);
    if (state.state === "absent") {
      await rename(staging, target);
      return;
    }
    // The earlier output moves into a directory this call has just created (mkdir fails on an
    // existing path), so the name it moves to is free — a rename onto an existing empty directory
    // would silently replace it — and the recursive removal below reaches only this new directory
    // and what was the target. What was moved is checked again once out of the target's place (the
    // target could have changed since the check above): if it is no longer empty or ours, it goes
    // back and nothing is removed.
    const asideDir = await makeStaging(`${target}.replaced`);
    const aside = join(asideDir, basename(target));
    await rename(target, aside);
    const moved = await outputState(aside);
    const movedProblem = stateProblem(moved, kind, checked.options.force === true);
    if (movedProblem !== undefined || moved.state !== state.state) {
      await rename(aside, target);
      await rmdir(asideDir);
      throw refusal(
        checked,
        movedProblem?.why ?? "changed while it was being replaced",
        movedProblem?.how ?? CHOOSE,
      );
    }
    try {
      await rename(staging, target);
    } catch (error) {
      await rename(aside, target);
      await rmdir(asideDir);
      throw error;
    }
    // An empty directory is removed as such; only a directory carrying our marker (or a run
    // directory of ours from before markers) is removed with its contents.
    if (state.state === "empty") {
      await rmdir(aside);
      await rmdir(asideDir);
    } else await rm(asideDir, { recursive: true, force: true });
  } catch (error) {
    // The staging directory is this call's own (created by makeStaging); once it has become the
    // target the path is gone and `force` makes this a no-op.
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * An output directory that is written into in place (explore's seeds as they finish, a suite's run
 * directories): `fresh` replaces an earlier output with an empty one; otherwise what is there stays
 * (a suite's `reports/` keeps `example/`) and the marker is added.
 */
export async function openOutputDirectory(checked: CheckedOutput, fresh: boolean): Promise<string> {
  const state = await outputState(checked.path);
  // An output of another kind (with --force) is replaced whole: two markers would make it no one's.
  if (fresh || (state.state === "ours" && state.kind !== checked.kind)) {
    await replaceOutputDirectory(checked, async () => {});
    return checked.path;
  }
  const problem = stateProblem(state, checked.kind, checked.options.force === true);
  if (problem !== undefined) throw refusal(checked, problem.why, problem.how);
  await mkdir(checked.path, { recursive: true });
  await writeFile(join(checked.path, markerName(checked.kind)), MARKER_TEXT(checked.kind));
  return checked.path;
}

/** `report DIR` rewrites files inside a run directory: it must be one of ours, and writable. */
export async function checkOwnOutput(dir: string, kind: OutputKind): Promise<void> {
  const state = await outputState(dir);
  if (state.state !== "ours" || state.kind !== kind)
    throw new InputError(
      `${dir}: not a prebuildsim ${kind} output (no ${markerName(kind)} file and not only a ${kind} output's files); it is left as it is`,
    );
  const unwritable = await probeWritable(dir);
  if (unwritable !== undefined) throw new InputError(`${dir}: cannot write into it (${unwritable})`);
}

/**
 * An output *file* named on the command line (`--junit`, `--summary`, `--metrics-out`), checked
 * before the work like an output directory: not a directory or anything but a regular file, not a
 * protected file (the scenario), and a writable place (missing parents are created when written).
 * An existing regular file is the user's choice of name and is replaced (or appended to).
 */
export async function checkOutputFile(
  given: string,
  option: string,
  protect: readonly string[] = [],
): Promise<void> {
  const path = resolve(given);
  const at = { given, options: { option } };
  for (const file of protect)
    if (resolve(file) === path) throw refusal(at, `is ${file}, which would be replaced`, "name another file");
  try {
    const stat = await lstat(path);
    if (!stat.isFile())
      throw refusal(at, stat.isDirectory() ? "is a directory" : "is not a regular file", "name a file");
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (errnoCode(error) !== "ENOENT") throw error;
  }
  const { parent } = await existingParent(path);
  const unwritable = await probeWritable(parent);
  if (unwritable !== undefined)
    throw refusal(at, `cannot write into ${parent} (${unwritable})`, "choose a writable place");
}
