// Runs `prebuildsim` in a scratch tree as a child process with a wall-time deadline; past it the
// child's whole process group (its explore workers included) is killed.
import { spawn } from "node:child_process";

export interface CliResult {
  /** The exit code, or null when the deadline killed it. */
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

export function runCli(cwd: string, args: readonly string[], deadline: number): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/prebuildsim.js", ...args], {
      cwd,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    let killed = false;
    const timer = setTimeout(
      () => {
        killed = true;
        if (child.pid !== undefined) {
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {
            // Already gone.
          }
        }
      },
      Math.max(0, deadline - started),
    );
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: killed ? null : code, stdout, stderr, wallMs: Date.now() - started });
    });
  });
}
