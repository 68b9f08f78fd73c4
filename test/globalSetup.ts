// One scratch directory per test run, removed when the run ends: the tests' temporary run
// directories, CLI outputs and browser profiles all go under `os.tmpdir()`, which reads TMPDIR, and
// vitest's worker processes (and the CLI processes tests spawn) inherit it — so a run leaves
// nothing behind however its tests end.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "prebuildsim-test-"));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
