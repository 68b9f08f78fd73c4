// Runs the real command line in a child process (bin/prebuildsim.js), in a scratch working
// directory, so tests see exactly what a person would: stdout, stderr, the exit code, the files.
import { spawn } from "node:child_process";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import type { CliIo } from "../../src/cli/main.ts";

export const REPO = resolve(import.meta.dirname, "../..");

/** A valid one-preset scenario that runs in seconds (too short to converge: its verdict is FAIL). */
export const TINY_SCENARIO = `name: tiny
duration: PT10M
templates:
  - name: dev
    versions:
      - name: v1
        presets: [{name: small, desiredInstances: 1}]
`;

/** An in-process CliIo that keeps what was printed. */
export function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
  };
  return io;
}
const BIN = join(REPO, "bin/prebuildsim.js");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<CliRun> {
  return runProcess(process.execPath, [BIN, ...args], cwd, env);
}

/** Any program, as runCli runs the command line: output collected, PGlite unless `env` says otherwise. */
export function runProcess(
  file: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(file, [...args], {
      cwd,
      env: { ...process.env, PREBUILDSIM_DATABASE_URL: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

export async function scratchDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "prebuildsim-cli-"));
}

/** Every path under `dir`, relative, sorted (to assert that nothing was written). */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}
