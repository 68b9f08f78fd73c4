// `prebuildsim suite [DIR]` (what `npm start` runs): every scenario file of a folder with its own
// seed, in worker processes; writes each run directory and an index report, prints a table of
// verdicts, and exits 0 when every scenario meets its expected verdict — no violation except of
// the invariants its `expect.allow` lists as known upstream behaviour.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { RunSummary } from "../../check/summary.ts";
import { renderIndexReport } from "../../report/index.ts";
import { InputError } from "../../run/inputError.ts";
import { checkOutputDirectory, openOutputDirectory } from "../../run/outputDirectory.ts";
import { checkRunDirectory } from "../../run/runDirectory.ts";
import { ScenarioError } from "../../scenario/problem.ts";
import { type CiReportOptions, checkCiReportFiles, writeCiReports } from "../ciReports.ts";
import { ExitCode } from "../exitCodes.ts";
import type { SeedJob } from "../exploreProtocol.ts";
import type { CliIo } from "../main.ts";
import { Progress } from "../progress.ts";
import { readScenarioInput } from "../scenarioInput.ts";
import { runInWorkers, WorkerCrashError } from "../workerPool.ts";

export interface SuiteOptions extends CiReportOptions {
  dir: string;
  /** Default `reports` (created when missing). */
  out: string | undefined;
  force: boolean;
  jobs: number;
  /** false: run files only in each run directory, no report.html/report.md/charts (`--no-report`). */
  report: boolean;
  databaseUrl: string | undefined;
}

async function scenarioFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new InputError(`${dir}: cannot read the folder: ${(error as Error).message}`, { cause: error });
  }
  const files = names.filter((n) => /\.ya?ml$/.test(n)).sort();
  if (files.length === 0) throw new InputError(`${dir}: no scenario files (*.yaml) in this folder`);
  return files.map((n) => join(dir, n));
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((c, i) => c.padEnd(widths[i] ?? 0))
    .join("  ")
    .trimEnd();
}

/** The verdict table, one row per scenario. */
export function verdictTable(summaries: readonly RunSummary[]): string {
  const header = ["scenario", "seed", "verdict", "violations", "allowed (broke as expected)", "wall"];
  const rows = summaries.map((s) => [
    s.scenario,
    String(s.seed),
    s.ok ? "PASS" : "FAIL",
    s.violations.length === 0 ? "-" : [...new Set(s.violations.map((v) => v.invariant))].join(", "),
    s.allowed.length === 0 ? "-" : [...new Set(s.allowed.map((v) => v.invariant))].join(", "),
    `${s.wallSeconds.toFixed(1)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return `${[row(header, widths), ...rows.map((r) => row(r, widths))].join("\n")}\n`;
}

export async function suiteCommand(io: CliIo, o: SuiteOptions): Promise<ExitCode> {
  const paths = await scenarioFiles(o.dir);
  // Every file is loaded before anything runs: all problems of all files at once, nothing written.
  const problems: string[] = [];
  const inputs = [];
  for (const path of paths) {
    try {
      inputs.push(await readScenarioInput(path));
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      problems.push(...error.problems.map(String));
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  // The suite's folder keeps what else is in it (reports/example/): the suite writes its index and
  // one run directory per scenario, each checked like run's --out before anything runs.
  const out = o.out ?? "reports";
  const protect = inputs.map((input) => input.path);
  const output = await checkOutputDirectory(out, "suite", {
    force: o.force,
    protect,
    createParents: o.out === undefined,
  });
  const jobs: SeedJob[] = inputs.map((input) => ({
    type: "run",
    scenarioPath: input.path,
    scenarioText: input.text,
    seed: input.scenario.seed,
    swarm: false,
    runDir: join(out, `${input.scenario.name}-${input.scenario.seed}`),
    keepAll: true,
    report: o.report,
    force: o.force,
    databaseUrl: o.databaseUrl,
  }));
  for (const job of jobs) await checkRunDirectory(job.runDir, { force: o.force, protect });
  await checkCiReportFiles(o, protect);
  await openOutputDirectory(output, false);
  const progress = new Progress();
  let results: Awaited<ReturnType<typeof runInWorkers>>;
  try {
    results = await runInWorkers(jobs, {
      jobs: o.jobs,
      onDone: (done, finished, total) =>
        progress.update(
          `suite: ${finished}/${total} scenarios (last: ${done.summary.scenario})`,
          finished === total,
        ),
    });
  } catch (error) {
    progress.done();
    if (error instanceof WorkerCrashError && error.badInput)
      throw new InputError([...error.lines], { cause: error });
    throw error;
  }
  progress.done();
  // Table and index in file order, whatever order the workers finished in.
  const order = new Map(jobs.map((j, i) => [j.runDir, i]));
  results.sort((a, b) => (order.get(a.dir ?? "") ?? 0) - (order.get(b.dir ?? "") ?? 0));
  await renderIndexReport(
    out,
    results.map((r) => ({ dir: r.dir ?? "", summary: r.summary })),
    "prebuildsim scenario library",
  );
  const summaries = results.map((r) => r.summary);
  const pathOf = new Map(jobs.map((j) => [j.runDir, j.scenarioPath]));
  await writeCiReports(
    o,
    `prebuildsim suite ${o.dir}`,
    results.map((r) => ({
      group: r.summary.scenario,
      name: `seed ${r.summary.seed}`,
      summary: r.summary,
      runDir: r.dir,
      reproduce: [
        ...(r.dir === null ? [] : [`prebuildsim replay ${r.dir}`]),
        `prebuildsim run ${pathOf.get(r.dir ?? "") ?? r.summary.scenario} --seed ${r.summary.seed}`,
      ],
    })),
  );
  io.out(verdictTable(summaries));
  const failed = summaries.filter((s) => !s.ok).length;
  io.out(
    `${summaries.length - failed} of ${summaries.length} scenarios met their expected verdict; index: ${join(out, "index.html")}\n`,
  );
  return failed === 0 ? ExitCode.Ok : ExitCode.Failed;
}
