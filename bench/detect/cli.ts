// Runs `prebuildsim` in a scratch tree as a child process with a wall-time deadline; past it the
// child's whole process group (its explore workers included) is killed.
import { spawn } from "node:child_process";

export interface CliResult {
  /** The exit code, or null when the deadline or `stopWhen` killed it. */
  code: number | null;
  /** `stopWhen` said yes before it exited. */
  stopped: boolean;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** How often `stopWhen` is asked. */
const POLL_MS = 2000;

/** `stopWhen`, asked every two seconds, ends the child early once its answer is known. */
export function runCli(
  cwd: string,
  args: readonly string[],
  deadline: number,
  stopWhen?: () => boolean,
): Promise<CliResult> {
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
    let stopped = false;
    const kill = () => {
      killed = true;
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(kill, Math.max(0, deadline - started));
    const poll =
      stopWhen === undefined
        ? undefined
        : setInterval(() => {
            if (killed || !stopWhen()) return;
            stopped = true;
            kill();
          }, POLL_MS);
    const settle = () => {
      clearTimeout(timer);
      if (poll !== undefined) clearInterval(poll);
    };
    child.on("error", (error) => {
      settle();
      reject(error);
    });
    child.on("close", (code) => {
      settle();
      resolve({ code: killed ? null : code, stopped, stdout, stderr, wallMs: Date.now() - started });
    });
  });
}
