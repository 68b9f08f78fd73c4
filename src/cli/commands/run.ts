// `prebuildsim run <scenario.yaml>`: one run, checked, written to a run directory.
import { join } from "node:path";
import { executeRun } from "../../run/execute.ts";
import { InputError } from "../../run/inputError.ts";
import { checkOutputFile } from "../../run/outputDirectory.ts";
import { checkRunDirectory, writeRunDirectory } from "../../run/runDirectory.ts";
import { writeOpenMetrics } from "../../world/openMetrics.ts";
import { writePrometheusJson } from "../../world/prometheusJson.ts";
import { type CiReportOptions, checkCiReportFiles, writeCiReports } from "../ciReports.ts";
import { withDriver } from "../database.ts";
import { ExitCode } from "../exitCodes.ts";
import type { CliIo } from "../main.ts";
import { shortSummary } from "../printSummary.ts";
import { Progress } from "../progress.ts";
import { readScenarioInput } from "../scenarioInput.ts";
import { virtualProgress } from "./virtualProgress.ts";

export interface RunCommandOptions extends CiReportOptions {
  /** Write the replicas' metrics as an OpenMetrics time series here. */
  metricsOut?: string | undefined;
  scenario: string;
  seed: number | undefined;
  out: string | undefined;
  json: boolean;
  quiet: boolean;
  swarm: boolean;
  report: boolean;
  force: boolean;
  databaseUrl: string | undefined;
  /** Leave the run's PostgreSQL schema as the run ended (needs databaseUrl). */
  keepDatabase?: boolean;
}

/** The default run directory: `reports/<name>-<seed>`. */
export function defaultRunDir(name: string, seed: number): string {
  return join("reports", `${name}-${seed}`);
}

export async function runCommand(io: CliIo, o: RunCommandOptions): Promise<ExitCode> {
  if (o.keepDatabase === true && o.databaseUrl === undefined)
    throw new InputError(
      "--keep-database: expected --database-url too (PGlite's database lives in this process only)",
    );
  // The swarm variation depends on the seed, which may come from the scenario itself.
  let input = await readScenarioInput(o.scenario);
  const seed = o.seed ?? input.scenario.seed;
  if (o.swarm) input = await readScenarioInput(o.scenario, seed);
  const dir = o.out ?? defaultRunDir(input.scenario.name, seed);
  // Where the run goes is checked before it starts: a bad --out costs nothing and loses nothing.
  const output = { force: o.force, protect: [o.scenario], createParents: o.out === undefined };
  await checkRunDirectory(dir, output);
  await checkCiReportFiles(o, [o.scenario]);
  if (o.metricsOut !== undefined) await checkOutputFile(o.metricsOut, "--metrics-out", [o.scenario]);
  if (o.keepDatabase === true && o.databaseUrl === undefined)
    throw new InputError(
      "--keep-database: expected --database-url too (PGlite's database lives in this process only)",
    );
  const progress = new Progress();
  let kept: string | undefined;
  const files = await withDriver(
    o.databaseUrl,
    (driver) => {
      kept = driver.description.replace(/^postgres schema /, "");
      return executeRun(input, {
        seed,
        driver,
        onProgress: virtualProgress(progress, input.scenario, seed),
        metrics: o.metricsOut !== undefined,
      });
    },
    { keepSchema: o.keepDatabase === true },
  );
  progress.done();
  if (o.keepDatabase === true && kept !== undefined)
    io.err(
      `the run's database is kept in schema ${kept}: psql with PGOPTIONS="-c search_path=${kept}", or prebuildsim import --database-url "<url>?options=-c%20search_path%3D${kept}"; drop it with DROP SCHEMA ${kept} CASCADE\n`,
    );
  await writeRunDirectory(dir, files, { report: o.report, output });
  // A .json file gets Prometheus' range-query JSON (what `import --from-prometheus` reads).
  if (o.metricsOut !== undefined && files.metrics !== null)
    await (o.metricsOut.endsWith(".json") ? writePrometheusJson : writeOpenMetrics)(
      o.metricsOut,
      files.metrics,
    );
  await writeCiReports(o, `prebuildsim run ${input.scenario.name}`, [
    {
      group: input.scenario.name,
      name: `seed ${seed}`,
      summary: files.summary,
      runDir: dir,
      reproduce: [
        `prebuildsim replay ${dir}`,
        `prebuildsim run ${o.scenario} --seed ${seed}${o.swarm ? " --swarm" : ""}`,
      ],
    },
  ]);
  if (o.json) io.out(`${JSON.stringify(files.summary, null, 2)}\n`);
  else if (!o.quiet) io.out(shortSummary(files.summary, dir));
  return files.summary.ok ? ExitCode.Ok : ExitCode.Failed;
}
