// Scratch copies of the repository for the detection benchmark: under the OS temp directory,
// never inside the repository, with node_modules linked rather than copied.
import { cpSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";

/** What a run of the command line needs; tests, benchmarks, reports and git stay behind. */
const LEFT_OUT = new Set(["node_modules", ".git", "reports", "test", "bench", "coverage", "detect-out"]);

export function scratchRoot(): string {
  return mkdtempSync(join(tmpdir(), "prebuildsim-detect-"));
}

/** Copies the tree at `from` to `to` (which must not exist) and links its node_modules. */
export function copyTree(from: string, to: string): void {
  cpSync(from, to, {
    recursive: true,
    filter: (src) => {
      const rel = relative(from, src);
      return rel === "" || !LEFT_OUT.has(rel.split(sep)[0] ?? "");
    },
  });
  symlinkSync(realpathSync(join(from, "node_modules")), join(to, "node_modules"), "dir");
}

export function removeTree(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
