// The worker pool of `explore`: N child processes (node:child_process.fork), each with its own
// database, fed one seed at a time from a shared queue so slow seeds do not hold up fast ones.
// Results come back in completion order; the caller sorts them.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type {
  FromWorker,
  SeedCrashed,
  SeedDone,
  SeedJob,
  SweepRunDone,
  SweepRunJob,
} from "./exploreProtocol.ts";

// The worker entry sits beside this module: exploreWorker.ts in the checkout, exploreWorker.js in
// the compiled package.
const COMPILED = import.meta.url.endsWith(".js");
const WORKER_ENTRY = fileURLToPath(new URL(`./exploreWorker.${COMPILED ? "js" : "ts"}`, import.meta.url));

/**
 * In the checkout, workers run TypeScript through tsx, resolved from here so any working directory
 * works; the compiled package needs no loader (and has no tsx).
 */
function workerExecArgv(): string[] {
  return COMPILED ? [] : ["--import", import.meta.resolve("tsx")];
}

export class WorkerCrashError extends Error {
  constructor(
    readonly seed: number | undefined,
    readonly lines: readonly string[],
    readonly badInput: boolean,
  ) {
    super(`${seed === undefined ? "a worker" : `seed ${seed}`}: ${lines.join("\n")}`);
    this.name = "WorkerCrashError";
  }
}

export interface PoolOptions<Done = SeedDone> {
  jobs: number;
  /** Called after every finished seed (progress output). */
  onDone?: (done: Done, finished: number, total: number) => void;
}

/** What a worker answers to a job: an explore seed's summary, or a sweep run's measures. */
export type AnswerTo<Job extends SeedJob | SweepRunJob> = Job extends SweepRunJob ? SweepRunDone : SeedDone;

/** Runs every job; rejects with a WorkerCrashError at the first seed that crashed (all workers stop). */
export function runInWorkers(jobs: readonly SeedJob[], options: PoolOptions): Promise<SeedDone[]> {
  return runJobsInWorkers(jobs, options);
}

/** `runInWorkers` for any kind of job the workers know (explore seeds, sweep runs). */
export function runJobsInWorkers<Job extends SeedJob | SweepRunJob>(
  jobs: readonly Job[],
  options: PoolOptions<AnswerTo<Job>>,
): Promise<AnswerTo<Job>[]> {
  const pending = [...jobs];
  const results: AnswerTo<Job>[] = [];
  const workers: ChildProcess[] = [];
  const width = Math.max(1, Math.min(options.jobs, jobs.length));
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      for (const w of workers) {
        if (error !== undefined) w.kill();
        else if (w.connected) w.send({ type: "stop" });
      }
      if (error === undefined) resolve(results);
      else reject(error);
    };
    const feed = (worker: ChildProcess) => {
      const job = pending.shift();
      if (job === undefined) {
        if (results.length === jobs.length) finish();
        return;
      }
      current.set(worker, job.seed);
      worker.send(job);
    };
    const current = new Map<ChildProcess, number>();
    if (jobs.length === 0) {
      resolve(results);
      return;
    }
    for (let i = 0; i < width; i++) {
      const worker = fork(WORKER_ENTRY, [], {
        execArgv: workerExecArgv(),
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        serialization: "json",
      });
      workers.push(worker);
      worker.on("message", (message: FromWorker) => {
        current.delete(worker);
        if (message.type === "crashed") {
          const crash = message as SeedCrashed;
          finish(new WorkerCrashError(crash.seed, crash.lines, crash.badInput));
          return;
        }
        const answer = message as AnswerTo<Job>;
        results.push(answer);
        options.onDone?.(answer, results.length, jobs.length);
        feed(worker);
      });
      worker.on("exit", (code, signal) => {
        if (settled || !current.has(worker)) return;
        finish(
          new WorkerCrashError(
            current.get(worker),
            [`worker process exited (code ${code}, signal ${signal}) while running it`],
            false,
          ),
        );
      });
      worker.on("error", (error) =>
        finish(new WorkerCrashError(current.get(worker), [error.message], false)),
      );
      feed(worker);
    }
  });
}
