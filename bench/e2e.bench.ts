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

/** The reference deployment's shape; other benchmarks vary it (bench/day.bench.ts, bench/scale.bench.ts). */
export interface DeploymentShape {
  replicas: number;
  daemons: number;
  /** Presets in all, `presetsPerTemplate` to a template ("dev", then "dev1", "dev2", …). */
  presets: number;
  presetsPerTemplate: number;
  desiredInstances: number;
  /** Poisson claims per hour on every preset; 0 = no claims. */
  claimsPerHour: number;
  failureRate: number;
}

export const REFERENCE_SHAPE: DeploymentShape = {
  replicas: 3,
  daemons: 8,
  presets: 10,
  presetsPerTemplate: 10,
  desiredInstances: 5,
  claimsPerHour: 2,
  failureRate: 0.02,
};

/**
 * The reference deployment as scenario YAML (`bench/profile.ts` runs it too), or another shape of
 * it; with the reference shape the text is what it always was (the bench's trace hash is stable).
 */
export function referenceScenario(
  name: string,
  duration: string,
  shape: Partial<DeploymentShape> = {},
): string {
  const s = { ...REFERENCE_SHAPE, ...shape };
  const templateCount = Math.ceil(s.presets / s.presetsPerTemplate);
  const templates = Array.from({ length: templateCount }, (_, t) => {
    const count = Math.min(s.presetsPerTemplate, s.presets - t * s.presetsPerTemplate);
    const names = Array.from({ length: count }, (_, i) => `p${i}`);
    return { name: t === 0 ? "dev" : `dev${t}`, names };
  });
  return stringify({
    name,
    description: "Benchmark reference deployment",
    start: "2026-03-02T00:00:00Z",
    duration,
    replicas: { count: s.replicas },
    provisioners: { daemons: s.daemons, failureRate: s.failureRate },
    users: { count: 100 },
    templates: templates.map((t) => ({
      name: t.name,
      versions: [
        { name: "v1", presets: t.names.map((p) => ({ name: p, desiredInstances: s.desiredInstances })) },
      ],
    })),
    workload: {
      claims:
        s.claimsPerHour === 0
          ? []
          : templates.flatMap((t) =>
              t.names.map((p) => ({ preset: `${t.name}/${p}`, rate: `${s.claimsPerHour}/h` })),
            ),
    },
  });
}

/** Explore's jobs for seeds 1..`seeds` of the 1-hour reference deployment, run directories under `out`. */
export function referenceSeedJobs(name: string, seeds: number, out: string): SeedJob[] {
  const text = referenceScenario(name, "PT1H");
  return Array.from({ length: seeds }, (_, i) => ({
    type: "run",
    scenarioPath: name.replace(/-/g, " "),
    scenarioText: text,
    seed: i + 1,
    swarm: false,
    runDir: join(out, `seed-${i + 1}`),
    keepAll: false,
    databaseUrl: undefined,
  }));
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
  const jobs = referenceSeedJobs("bench-explore", SEEDS, out);
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
