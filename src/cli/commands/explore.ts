// `prebuildsim explore <scenario.yaml> --seeds 1..500 [--jobs N] [--swarm] [--shard i/n]`: many
// seeds in worker processes; prints the failing seeds with their violations and how to replay
// each, writes explore.json, the failing seeds' run directories and an index report.
import { join, relative } from "node:path";
import { InputError } from "../../run/inputError.ts";
import { checkOutputDirectory, openOutputDirectory } from "../../run/outputDirectory.ts";
import type { ShrinkBudget } from "../../shrink/budget.ts";
import { type CiReportOptions, checkCiReportFiles, writeCiReports } from "../ciReports.ts";
import { ExitCode } from "../exitCodes.ts";
import type { SeedDone, SeedJob } from "../exploreProtocol.ts";
import {
  type ExploredSeed,
  type ExploreRecord,
  exploreOutcomes,
  exploreTitle,
  failureReport,
  type PerturbRecord,
  writeExploreIndex,
  writeExploreRecord,
} from "../exploreRecord.ts";
import { shrinkFailingSeeds } from "../exploreShrink.ts";
import type { CliIo } from "../main.ts";
import { perturbationListing } from "../perturb/perturbReport.ts";
import { DEFAULT_MAX_RUNS, PERTURBING_KINDS, type PerturbMode } from "../perturb/plan.ts";
import { planPerturbedRuns } from "../perturb/runs.ts";
import { Progress } from "../progress.ts";
import { readScenarioInput } from "../scenarioInput.ts";
import { type SeedRange, type Shard, shardSeeds } from "../seeds.ts";
import { runInWorkers, WorkerCrashError } from "../workerPool.ts";

export interface ExploreOptions extends CiReportOptions {
  scenario: string;
  seeds: SeedRange;
  jobs: number;
  swarm: boolean;
  shard: Shard | undefined;
  out: string | undefined;
  keepAll: boolean;
  force: boolean;
  databaseUrl: string | undefined;
  /** `--perturb all|sample`: each seed's unperturbed run, then runs that each inject one perturbation. */
  perturb?: PerturbMode | undefined;
  /** `--max-runs`: perturbed runs per seed with `--perturb all`. */
  maxRuns?: number;
  /** `--perturb-faults`: the fault kinds that perturb (default every kind that can). */
  perturbFaults?: readonly string[];
  /** `--shrink`: shrink each failing seed within this budget. */
  shrink?: ShrinkBudget | undefined;
}

export async function exploreCommand(io: CliIo, o: ExploreOptions): Promise<ExitCode> {
  // Bad input is found here, before any worker starts or anything is written.
  const input = await readScenarioInput(o.scenario);
  const out = o.out ?? join("reports", `explore-${input.scenario.name}`);
  await checkCiReportFiles(o, [o.scenario]);
  const output = await checkOutputDirectory(out, "explore", {
    force: o.force,
    protect: [o.scenario],
    createParents: o.out === undefined,
  });
  const seeds = shardSeeds(o.seeds, o.shard);
  const jobs: SeedJob[] = seeds.map((seed) => ({
    type: "run",
    scenarioPath: o.scenario,
    scenarioText: input.text,
    seed,
    swarm: o.swarm,
    runDir: join(out, `seed-${seed}`),
    keepAll: o.keepAll,
    force: o.force,
    databaseUrl: o.databaseUrl,
  }));
  // Seeds are written as they finish: an earlier exploration here is replaced by an empty directory.
  await openOutputDirectory(output, true);
  const progress = new Progress();
  const label = o.perturb === undefined ? "seeds" : "unperturbed runs";
  const baseline = o.perturb === undefined ? jobs : jobs.map((j) => ({ ...j, recordPoints: true }));
  const results = await exploreJobs(baseline, o, progress, (done, total, failed) =>
    progress.update(
      `explore ${input.scenario.name}: ${done}/${total} ${label}, ${failed} failed`,
      done === total,
    ),
  );
  let perturb: PerturbRecord | undefined;
  if (o.perturb !== undefined) {
    const plan = planPerturbedRuns(results, jobs, {
      mode: o.perturb,
      maxRuns: o.maxRuns ?? DEFAULT_MAX_RUNS,
      faults: o.perturbFaults ?? PERTURBING_KINDS,
      run: { start: input.scenario.start, end: input.scenario.start + input.scenario.duration },
      out,
    });
    perturb = plan.record;
    const perturbed = await exploreJobs(plan.jobs, o, progress, (done, total, failed) =>
      progress.update(
        `explore ${input.scenario.name}: ${done}/${total} perturbed runs, ${failed} failed`,
        done === total,
      ),
    );
    results.push(...perturbed);
  }
  let explored: ExploredSeed[] = results
    .sort((a, b) => a.seed - b.seed || (a.perturbation?.number ?? 0) - (b.perturbation?.number ?? 0))
    .map((r) => ({
      seed: r.seed,
      dir: r.dir === null ? null : relative(out, r.dir),
      summary: r.summary,
      ...(r.perturbation === undefined ? {} : { perturbation: r.perturbation }),
    }));
  if (o.shrink !== undefined)
    explored = await shrinkFailingSeeds(out, explored, {
      budget: o.shrink,
      databaseUrl: o.databaseUrl,
      progress,
      report: true,
    });
  progress.done();
  const record: ExploreRecord = {
    scenario: input.scenario.name,
    scenarioPath: o.scenario,
    swarm: o.swarm,
    seeds: o.seeds,
    shards: [o.shard ?? { index: 1, count: 1 }],
    results: explored,
    ...(perturb === undefined ? {} : { perturb }),
  };
  await writeExploreRecord(out, record);
  await writeExploreIndex(out, record, (dir) => join(out, dir));
  io.out(perturbationListing(record));
  io.out(failureReport(record, out));
  await writeCiReports(o, exploreTitle(record), exploreOutcomes(record, out));
  io.out(`index: ${join(out, "index.html")}\n`);
  return record.results.every((r) => r.summary.ok) ? ExitCode.Ok : ExitCode.Failed;
}

/** Runs the jobs in worker processes; a seed's bad input is exit 2 naming the seed. */
async function exploreJobs(
  jobs: readonly SeedJob[],
  o: ExploreOptions,
  progress: Progress,
  onProgress: (done: number, total: number, failed: number) => void,
): Promise<SeedDone[]> {
  let failed = 0;
  try {
    return await runInWorkers(jobs, {
      jobs: o.jobs,
      onDone: (done, finished, total) => {
        if (!done.summary.ok) failed++;
        onProgress(finished, total, failed);
      },
    });
  } catch (error) {
    progress.done();
    if (error instanceof WorkerCrashError && error.badInput)
      throw new InputError([`seed ${error.seed}:`, ...error.lines.map((l) => `  ${l}`)], { cause: error });
    throw error;
  }
}
