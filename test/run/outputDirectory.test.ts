// The output-directory rules (issue #14 part 1) on the logic itself: what each state of the path
// allows, and a fast-check property that writing an output never deletes or changes a file
// prebuildsim did not create — over random trees at and around the --out path.
import { mkdir, mkdtemp, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/run/inputError.ts";
import {
  checkOutputDirectory,
  markerName,
  OUTPUT_KINDS,
  type OutputKind,
  openOutputDirectory,
  outputState,
  replaceOutputDirectory,
} from "../../src/run/outputDirectory.ts";

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), "prebuildsim-outdir-"));
}

/** Every file under `dir` with its content (directories end in /). */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const rel = relative(dir, path);
    if (entry.isDirectory()) files.set(`${rel}/`, "");
    else if (entry.isSymbolicLink()) files.set(rel, "(link)");
    else files.set(rel, await readFile(path, "utf8"));
  }
  return files;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).lines.join("\n");
}

async function writeOutput(path: string, kind: OutputKind, force = false): Promise<void> {
  const checked = await checkOutputDirectory(path, kind, { force, createParents: true });
  await replaceOutputDirectory(checked, async (staging) => {
    await writeFile(join(staging, "result.txt"), `${kind} output\n`);
  });
}

describe("output directory states", () => {
  it("a missing path, an empty directory and our marker are writable; anything else is not", async () => {
    const dir = await scratch();
    expect(await outputState(join(dir, "nothing"))).toEqual({ state: "absent" });
    await mkdir(join(dir, "empty"));
    expect(await outputState(join(dir, "empty"))).toEqual({ state: "empty" });
    await mkdir(join(dir, "ours"));
    await writeFile(join(dir, "ours", markerName("sweep")), "");
    expect(await outputState(join(dir, "ours"))).toEqual({ state: "ours", kind: "sweep" });
    await writeFile(join(dir, "file"), "x");
    expect(await outputState(join(dir, "file"))).toMatchObject({ state: "foreign", why: /is a file/ });
    await symlink(join(dir, "ours"), join(dir, "link"));
    expect(await outputState(join(dir, "link"))).toMatchObject({ state: "foreign", why: /symbolic link/ });
  });

  it("recognises a run directory written before markers by its file names only", async () => {
    const dir = await scratch();
    const old = join(dir, "old-run");
    await mkdir(join(old, "charts"), { recursive: true });
    for (const f of ["summary.json", "trace.jsonl", "timeseries.json", "scenario.yaml", "report.md"])
      await writeFile(join(old, f), "{}");
    await writeFile(join(old, "charts", "claims.svg"), "<svg/>");
    expect(await outputState(old)).toEqual({ state: "ours", kind: "run" });
    await writeFile(join(old, "charts", "my-drawing.pdf"), "%PDF");
    expect(await outputState(old)).toMatchObject({ state: "foreign" });
  });

  it("replaces an output of the same kind, another kind only with force", async () => {
    const dir = join(await scratch(), "out");
    await writeOutput(dir, "explore");
    await writeOutput(dir, "explore");
    expect(await readFile(join(dir, "result.txt"), "utf8")).toBe("explore output\n");
    expect(await refusal(writeOutput(dir, "run"))).toMatch(
      /is a prebuildsim explore output, not a run output; add --force to replace it/,
    );
    await writeOutput(dir, "run", true);
    expect((await readdir(dir)).sort()).toEqual([markerName("run"), "result.txt"]);
  });

  it("re-checks the target when writing: a directory that became someone else's is kept", async () => {
    const parent = await scratch();
    const dir = join(parent, "out");
    const checked = await checkOutputDirectory(dir, "run");
    await replaceOutputDirectory(checked, async () => {
      await mkdir(dir);
      await writeFile(join(dir, "arrived.txt"), "meanwhile");
    }).then(
      () => expect.unreachable(),
      (e: unknown) => expect(e).toBeInstanceOf(InputError),
    );
    expect(await readdir(parent)).toEqual(["out"]);
    expect(await readFile(join(dir, "arrived.txt"), "utf8")).toBe("meanwhile");
  });

  it("a suite folder keeps what else is in it; explore starts from an empty directory", async () => {
    const dir = join(await scratch(), "reports");
    await mkdir(join(dir, "example"), { recursive: true });
    await writeFile(join(dir, markerName("suite")), "");
    await writeFile(join(dir, "example", markerName("run")), "");
    await openOutputDirectory(await checkOutputDirectory(dir, "suite"), false);
    expect((await readdir(dir)).sort()).toEqual([markerName("suite"), "example"]);
    const explore = join(dir, "explore-x");
    await mkdir(join(explore, "seed-1"), { recursive: true });
    await writeFile(join(explore, markerName("explore")), "");
    await openOutputDirectory(await checkOutputDirectory(explore, "explore"), true);
    expect(await readdir(explore)).toEqual([markerName("explore")]);
  });

  it("creates directories 0755 and files 0644 under umask 022", async () => {
    if ((process.umask() & 0o777) !== 0o022) return;
    const dir = join(await scratch(), "out");
    await writeOutput(dir, "run");
    expect((await stat(dir)).mode & 0o777).toBe(0o755);
    expect((await stat(join(dir, markerName("run")))).mode & 0o777).toBe(0o644);
  });
});

// A random tree: the --out path and its surroundings hold files, directories, markers of any kind
// (ours) or nothing; then one output of a random kind, maybe forced, is written at `out` (or at a
// random path of the tree). Whatever happens, every file that was not inside one of our outputs is
// still there with its content.
const nameArb = fc.constantFrom("a", "b", "notes.txt", "summary.json", "charts", "out");
type Tree = { [name: string]: Tree | string };
const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.dictionary(
    fc.oneof(nameArb, fc.constantFrom(...OUTPUT_KINDS.map(markerName))),
    fc.oneof({ depthSize: "small" }, fc.constantFrom("x", "y"), tie("tree")),
    { maxKeys: 4 },
  ),
})).tree;

async function materialise(dir: string, tree: Tree): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, value] of Object.entries(tree)) {
    if (typeof value === "string") await writeFile(join(dir, name), value);
    else await materialise(join(dir, name), value);
  }
}

/** Files that a write at `out` may remove: those inside `out` when it was one of ours or empty. */
function mayRemove(path: string, out: string, before: Map<string, string>): boolean {
  const prefix = out === "" ? "" : `${out}/`;
  if (!path.startsWith(prefix)) return false;
  // A marker, or a run directory from before markers (which needs a summary.json).
  return (
    OUTPUT_KINDS.some((k) => before.has(`${prefix}${markerName(k)}`)) || before.has(`${prefix}summary.json`)
  );
}

describe("property: no command deletes a file it did not create", () => {
  it("writing an output at or around pre-existing trees keeps every foreign file", async () => {
    await fc.assert(
      fc.asyncProperty(
        treeArb,
        fc.constantFrom("out", "a", "a/b", "out/out", "notes.txt", "."),
        fc.constantFrom(...OUTPUT_KINDS),
        fc.boolean(),
        async (tree, target, kind, force) => {
          const root = await scratch();
          await materialise(root, tree);
          const before = await snapshot(root);
          const out = join(root, target);
          const written = await writeOutput(out, kind, force).then(
            () => true,
            (e: unknown) => {
              expect(e).toBeInstanceOf(InputError);
              return false;
            },
          );
          const after = await snapshot(root);
          const rel = relative(root, out);
          for (const [path, content] of before) {
            if (path.endsWith("/") || (written && mayRemove(path, rel, before))) continue;
            expect(after.get(path), path).toBe(content);
          }
          if (!written) expect(after).toEqual(before);
          expect([...after.keys()].filter((p) => /partial|probe/.test(p))).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
