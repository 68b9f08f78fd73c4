// Memory of an explore worker across many seeds (issue #19: it should stay flat): one worker
// process (the pool of `explore --jobs 1`) runs N seeds of the 1-hour reference deployment, and the
// worker's resident set (VmRSS, and its high-water VmHWM, from /proc — Linux only) is read after
// every tenth of the seeds. N is BENCH_MEMORY_SEEDS (default 40, a few minutes); only when named:
// `BENCH_MEMORY_SEEDS=1000 npm run bench memory`.
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInWorkers } from "../src/cli/workerPool.ts";
import { referenceSeedJobs } from "./e2e.bench.ts";
import type { BenchResult } from "./main.ts";

export const onlyWhenNamed = true;

interface WorkerMemory {
  rssMiB: number;
  hwmMiB: number;
}

/** The resident set of this process's (only) child, the worker. */
function workerMemory(): WorkerMemory | undefined {
  const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, "utf8")
    .trim()
    .split(/\s+/);
  const pid = children.find((c) => c !== "");
  if (pid === undefined) return undefined;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: kib("VmRSS") / 1024, hwmMiB: kib("VmHWM") / 1024 };
}

export async function run(): Promise<BenchResult[]> {
  const seeds = Number(process.env.BENCH_MEMORY_SEEDS ?? "40");
  if (!(Number.isInteger(seeds) && seeds > 0))
    throw new Error(`BENCH_MEMORY_SEEDS must be a positive integer, got ${process.env.BENCH_MEMORY_SEEDS}`);
  const every = Math.max(1, Math.round(seeds / 10));
  const out = await mkdtemp(join(tmpdir(), "prebuildsim-bench-memory-"));
  const jobs = referenceSeedJobs("bench-memory", seeds, out);
  const results: BenchResult[] = [];
  const readings: WorkerMemory[] = [];
  try {
    await runInWorkers(jobs, {
      jobs: 1,
      onDone: (_done, finished) => {
        if (finished % every !== 0 && finished !== 1 && finished !== seeds) return;
        const m = workerMemory();
        if (m === undefined) return;
        readings.push(m);
        results.push({
          name: `worker RSS after ${finished} of ${seeds} seeds`,
          value: m.rssMiB,
          unit: "MiB",
          note: `high-water ${m.hwmMiB.toFixed(0)} MiB`,
        });
      },
    });
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  const first = readings[Math.min(1, readings.length - 1)];
  const last = readings.at(-1);
  if (first !== undefined && last !== undefined)
    results.push({
      name: "worker RSS growth from the first tenth to the end",
      value: last.rssMiB - first.rssMiB,
      unit: "MiB",
    });
  return results;
}
