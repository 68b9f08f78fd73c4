// End to end, as a person runs it: the whole pipeline of `prebuildsim run` (simulation, the
// invariant checks listening to every trace line, the end state, the summary) on the reference
// deployment — 3 replicas, 10 presets with desired 5, default intervals, Poisson claims, 2% build
// failures, 24 virtual hours; target: under 30 s — and `explore` on a 1-hour scenario with 2 worker
// processes, in seeds per minute (worker start-up included, as a user pays it).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import type { SeedJob } from "../src/cli/exploreProtocol.ts";
import { scenarioFromText } from "../src/cli/scenarioInput.ts";
import { runInWorkers } from "../src/cli/workerPool.ts";
import { RealClock } from "../src/clock/real.ts";
import { sharedDriver } from "../src/db/backend.ts";
import { executeRun } from "../src/run/execute.ts";
import type { BenchResult } from "./main.ts";

const PRESETS = Array.from({ length: 10 }, (_, i) => `p${i}`);

/** The reference deployment as scenario YAML; `bench/profile.ts` runs it too. */
export function referenceScenario(name: string, duration: string): string {
  return stringify({
    name,
    description: "Benchmark reference deployment",
    start: "2026-03-02T00:00:00Z",
    duration,
    replicas: { count: 3 },
    provisioners: { daemons: 8, failureRate: 0.02 },
    users: { count: 100 },
    templates: [
      {
        name: "dev",
        versions: [{ name: "v1", presets: PRESETS.map((p) => ({ name: p, desiredInstances: 5 })) }],
      },
    ],
    workload: { claims: PRESETS.map((p) => ({ preset: `dev/${p}`, rate: "2/h" })) },
  });
}

// Enough seeds that the two workers' start-up (a PGlite each) weighs as it does in a real explore.
const SEEDS = 32;

export async function run(): Promise<BenchResult[]> {
  const wall = new RealClock();
  const results: BenchResult[] = [];

  const reference = scenarioFromText("bench reference", referenceScenario("bench-reference", "PT24H"));
  const driver = await sharedDriver();
  const t0 = wall.now();
  const files = await executeRun(reference, { seed: 1, driver });
  const seconds = (wall.now() - t0) / 1000;
  results.push({
    name: "reference run, 24 h (3 replicas, 10×5 prebuilds, claims, 2% failures)",
    value: seconds,
    unit: "s wall",
    note: `target < 30 s; ${files.summary.events} trace lines, ${files.summary.ok ? "ok" : "violations"}`,
  });
  results.push({
    name: "reference run, simulated seconds per wall second",
    value: files.summary.simulatedSeconds / seconds,
    unit: "sim s / wall s",
  });

  const out = await mkdtemp(join(tmpdir(), "prebuildsim-bench-explore-"));
  const text = referenceScenario("bench-explore", "PT1H");
  const jobs: SeedJob[] = Array.from({ length: SEEDS }, (_, i) => ({
    type: "run",
    scenarioPath: "bench explore",
    scenarioText: text,
    seed: i + 1,
    swarm: false,
    runDir: join(out, `seed-${i + 1}`),
    keepAll: false,
    databaseUrl: undefined,
  }));
  const t1 = wall.now();
  await runInWorkers(jobs, { jobs: 2 });
  const minutes = (wall.now() - t1) / 60_000;
  await rm(out, { recursive: true, force: true });
  results.push({
    name: `explore, 1 h scenario, 2 workers (${SEEDS} seeds)`,
    value: SEEDS / minutes,
    unit: "seeds/min",
  });
  return results;
}
