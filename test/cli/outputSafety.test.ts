// Issue #14, parts 1 and 2, as a person meets them on the command line: an --out that holds someone
// else's files, the working directory, a file, an unwritable or missing place — each refused before
// the run (exit 2, one line, no stack, nothing touched); what is written is readable by others; an
// earlier output of ours is replaced, one of another kind only with --force; `npm start` twice.
import { mkdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { markerName } from "../../src/run/outputDirectory.ts";
import { writeSyntheticRun } from "../report/syntheticRun.ts";
import { captureIo, listTree, runCli, scratchDir, TINY_SCENARIO } from "./cliProcess.ts";

const VALID = TINY_SCENARIO;

let cwd: string;
beforeAll(async () => {
  cwd = await scratchDir();
  await writeFile(join(cwd, "ok.yaml"), VALID);
  await mkdir(join(cwd, "precious"));
  await writeFile(join(cwd, "precious", "notes.txt"), "my notes\n");
  await writeFile(join(cwd, "afile"), "a file\n");
  await mkdir(join(cwd, "elsewhere"));
});

/** Paths in `args` written as `@name` are made absolute under cwd (the refusals run in-process). */
function inCwd(args: readonly string[]): string[] {
  return args.map((a) => (a.startsWith("@") ? join(cwd, a.slice(1)) : a));
}

function expectOneLine(code: number | null, stdout: string, stderr: string, line: RegExp): void {
  expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
  expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(stderr.trimEnd()).toMatch(line);
  expect(stderr).not.toMatch(/^\s+at /m);
}

/** A run's verdict (0 passed, 1 failed), written without a word on stderr: not a refusal (2) or a crash (3). */
function expectVerdict(run: { code: number | null; stderr: string }): void {
  expect(run.stderr).toBe("");
  expect([0, 1]).toContain(run.code);
}

/** In-process: exit 2, one line matching `line`, no stack trace, the tree under cwd as before. */
async function expectRefused(args: string[], line: RegExp): Promise<void> {
  const before = await listTree(cwd);
  const io = captureIo();
  const code = await main(["node", "prebuildsim", ...inCwd(args)], io);
  expectOneLine(code, io.stdout, io.stderr, line);
  expect(await listTree(cwd)).toEqual(before);
}

/** The same through a real process started in `dir`. */
async function expectRefusedByCli(args: string[], line: RegExp, dir = cwd): Promise<void> {
  const before = await listTree(cwd);
  const { code, stdout, stderr } = await runCli(args, dir);
  expectOneLine(code, stdout, stderr, line);
  expect(await listTree(cwd)).toEqual(before);
}

describe("output directories: refused before any work (exit 2, one line, nothing touched)", () => {
  it("run --junit, --summary or --metrics-out naming a directory, the scenario or an unwritable place is refused before the run", async () => {
    await expectRefused(
      ["run", "@ok.yaml", "--out", "@fresh-junit", "--junit", "@precious"],
      /^--junit \S+precious: is a directory; name a file$/,
    );
    await expectRefused(
      ["run", "@ok.yaml", "--out", "@fresh-summary", "--summary", "@ok.yaml"],
      /^--summary \S+ok\.yaml: is \S+ok\.yaml, which would be replaced; name another file$/,
    );
    await expectRefused(
      ["run", "@ok.yaml", "--out", "@fresh-metrics", "--metrics-out", "/proc/prebuildsim/metrics.txt"],
      /^--metrics-out \/proc\/prebuildsim\/metrics\.txt: cannot write into \/proc \(/,
    );
  });

  it("run --out a directory holding the user's notes keeps the notes", async () => {
    await expectRefused(
      ["run", "@ok.yaml", "--out", "@precious"],
      /^--out \S+precious: holds files prebuildsim did not write \(notes\.txt\); prebuildsim never replaces it: choose a new or empty directory$/,
    );
    expect(await readFile(join(cwd, "precious", "notes.txt"), "utf8")).toBe("my notes\n");
  });

  it("--force does not make it replace the user's directory either", async () => {
    await expectRefused(["run", "@ok.yaml", "--out", "@precious", "--force"], /never replaces it/);
  });

  it("run --out . next to the scenario keeps the scenario (a real process in that directory)", {
    timeout: 180_000,
  }, async () => {
    await expectRefusedByCli(
      ["run", "ok.yaml", "--out", "."],
      /^--out \.: is the current directory or one above it; /,
    );
    expect(await readFile(join(cwd, "ok.yaml"), "utf8")).toBe(VALID);
  });

  it("run --out the scenario's own directory, or one above it, is refused", async () => {
    await expectRefused(
      ["run", "@ok.yaml", "--out", cwd],
      /holds \S+ok\.yaml, which would be replaced; name a directory of its own$/,
    );
    await expectRefused(["run", "@ok.yaml", "--out", dirname(cwd)], /holds \S+ok\.yaml/);
    await expectRefused(["run", "@ok.yaml", "--out", process.cwd()], /is the current directory/);
  });

  it("run --out a regular file keeps the file", async () => {
    await expectRefused(
      ["run", "@ok.yaml", "--out", "@afile"],
      /^--out \S+afile: is a file, not a directory; /,
    );
    expect(await readFile(join(cwd, "afile"), "utf8")).toBe("a file\n");
  });

  it("explore, sweep, merge and suite refuse the same directory", async () => {
    await expectRefused(
      ["explore", "@ok.yaml", "--seeds", "1..2", "--out", "@precious"],
      /never replaces it/,
    );
    await expectRefused(
      ["sweep", "@ok.yaml", "--vary", "provisioners.daemons=1,2", "--out", "@precious"],
      /never replaces it/,
    );
    await expectRefused(["suite", "@", "--out", "@precious"], /^--out \S+precious: holds files/);
    await expectRefused(["merge", "@elsewhere", "--out", "@precious"], /^--out \S+precious: holds files/);
  });

  it("an --out whose parent does not exist is bad input, before the run", async () => {
    await expectRefused(
      ["run", "@ok.yaml", "--out", "@nowhere/deeper/run"],
      /^--out \S+nowhere\/deeper\/run: the directory \S+nowhere\/deeper does not exist; create it first$/,
    );
  });

  it("an --out that cannot be written is bad input, before the run (not exit 3 after it)", {
    timeout: 180_000,
  }, async () => {
    // /sys refuses new entries even to root, where a chmod-ed directory would not.
    const refused = await mkdir("/sys/prebuildsim-probe").then(
      () => false,
      () => true,
    );
    if (!refused) return;
    await expectRefusedByCli(
      ["run", "ok.yaml", "--out", "/sys/prebuildsim-out"],
      /^--out \/sys\/prebuildsim-out: cannot write into \/sys \((permission denied|read-only file system)\); choose a writable place$/,
    );
  });

  it("report refuses a directory that only looks like a run directory", async () => {
    const dir = join(cwd, "lookalike");
    await mkdir(dir);
    for (const f of ["summary.json", "trace.jsonl", "scenario.yaml", "thesis.tex"])
      await writeFile(join(dir, f), f === "summary.json" ? '{"seed":1,"traceHash":"sha256:0"}' : "x\n");
    await expectRefused(["report", "@lookalike"], /^\S+lookalike: not a prebuildsim run output/);
  });

  it("report refuses a run directory whose charts/ is a link to someone else's directory", async () => {
    const run = await writeSyntheticRun(join(cwd, "linked-charts"));
    await writeFile(join(run.dir, markerName("run")), "marker\n");
    await mkdir(join(cwd, "their-charts"));
    await writeFile(join(cwd, "their-charts", "claims.svg"), "theirs\n");
    await writeFile(join(cwd, "their-charts", "preset-9-gone.png"), "theirs too\n");
    await symlink(join(cwd, "their-charts"), join(run.dir, "charts"));
    await expectRefused(
      ["report", "@linked-charts"],
      /^\S+linked-charts\/charts: not a directory of this tool's \(a symbolic link\); the report would write through it, so it is left as it is$/,
    );
    expect(await readFile(join(cwd, "their-charts", "claims.svg"), "utf8")).toBe("theirs\n");
    expect(await readFile(join(cwd, "their-charts", "preset-9-gone.png"), "utf8")).toBe("theirs too\n");
  });
});

describe("output directories: what is written", () => {
  it("a run directory is readable by others (0755 / 0644 under umask 022) and carries its marker", {
    timeout: 300_000,
  }, async () => {
    // The tiny scenario may or may not converge in its 10 minutes (the seed's build times decide):
    // exit 0 or 1 is its verdict; a refusal would be exit 2.
    const run = await runCli(["run", "ok.yaml", "--out", "fresh", "--no-report", "--quiet"], cwd);
    expectVerdict(run);
    const mode = async (p: string) => (await stat(join(cwd, p))).mode & 0o777;
    expect(await mode("fresh")).toBe(0o755);
    expect(await mode("fresh/summary.json")).toBe(0o644);
    expect(await mode("fresh/.prebuildsim-run")).toBe(0o644);
    // An earlier output of another kind is replaced only with --force.
    await mkdir(join(cwd, "was-explore"));
    await writeFile(join(cwd, "was-explore", ".prebuildsim-explore"), "");
    await expectRefused(
      ["run", "@ok.yaml", "--out", "@was-explore"],
      /^--out \S+was-explore: is a prebuildsim explore output, not a run output; add --force to replace it, or choose a new or empty directory$/,
    );
    const forced = await runCli(["run", "ok.yaml", "--out", "was-explore", "--no-report", "--force"], cwd);
    expectVerdict(forced);
    expect((await listTree(join(cwd, "was-explore"))).filter((f) => f.startsWith("."))).toEqual([
      ".prebuildsim-run",
    ]);
  });

  it("a suite into a reports/ folder keeps what else is there, and runs twice (npm start)", {
    timeout: 300_000,
  }, async () => {
    const home = await scratchDir();
    await mkdir(join(home, "scenarios"));
    await writeFile(join(home, "scenarios", "tiny.yaml"), VALID);
    // A fresh clone: reports/ holds the committed example and markers.
    await mkdir(join(home, "reports", "example"), { recursive: true });
    await writeFile(join(home, "reports", ".prebuildsim-suite"), "");
    await writeFile(join(home, "reports", ".gitkeep"), "");
    await writeFile(join(home, "reports", "example", ".prebuildsim-run"), "");
    await writeFile(join(home, "reports", "example", "summary.json"), "{}");
    for (let i = 0; i < 2; i++) {
      const suite = await runCli(["suite", "scenarios", "--out", "reports", "--jobs", "1"], home);
      expectVerdict(suite);
    }
    expect(await listTree(join(home, "reports"))).toEqual(
      expect.arrayContaining([
        ".gitkeep",
        ".prebuildsim-suite",
        "example/summary.json",
        "index.html",
        "tiny-1/.prebuildsim-run",
        "tiny-1/summary.json",
      ]),
    );
    expect(await readFile(join(home, "reports", "example", "summary.json"), "utf8")).toBe("{}");
  });
});
