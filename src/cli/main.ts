// `prebuildsim`: the command line (SCENARIOS.md §3). Each command lives in its own module; this file
// wires them to commander and turns every outcome into the contract's exit code: 0 ok, 1 a
// violation / divergence / failed seed, 2 bad input (one line per problem, no stack trace, nothing
// written), 3 an internal error. A command's module is loaded when it runs: `--version`, `--help`
// and light commands do not pay for PGlite, jsdom and the charts.
import { pathToFileURL } from "node:url";
import { Command, CommanderError, Option } from "commander";
import { PRODUCT_VERSION } from "../check/summarize.ts";
import { InputError } from "../run/inputError.ts";
import { ScenarioError } from "../scenario/problem.ts";
import { DEFAULT_SEEDS_PER_POINT, DEFAULT_TARGET_HIT_RATE } from "../sweep/defaults.ts";
import { ExitCode } from "./exitCodes.ts";
import {
  DEFAULT_MAX_RUNS,
  PERTURB_MODES,
  PERTURBING_KINDS,
  parseMaxRuns,
  parsePerturbFaults,
} from "./perturb/plan.ts";
import { DEFAULT_JOBS, parseJobs, parseSeed, parseSeedRange } from "./seeds.ts";
import { resolveShard } from "./shardAuto.ts";

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs per failing seed that `explore --shrink` spends at most unless told. */
const EXPLORE_SHRINK_BUDGET = "30";

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** An empty --database-url (or PREBUILDSIM_DATABASE_URL="") means the in-process PGlite, as db/ reads it. */
function databaseUrlOption(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function program(io: CliIo, setExit: (code: ExitCode) => void): Command {
  const cli = new Command("prebuildsim")
    .description("Deterministic simulator for Coder's prebuilt-workspace reconciler")
    .version(PRODUCT_VERSION.replace(/^prebuildsim /, ""), "-V, --version")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError("(run prebuildsim --help for usage)")
    .exitOverride();
  const databaseUrl = () =>
    new Option("--database-url <url>", "run on this PostgreSQL instead of the in-process PGlite").env(
      "PREBUILDSIM_DATABASE_URL",
    );

  cli
    .command("run")
    .description("run one scenario, check its invariants and write a run directory with the report")
    .argument("<scenario>", "scenario file (YAML)")
    .option("--seed <n>", "seed (default: the scenario's)")
    .option("--out <dir>", "run directory (default: reports/<name>-<seed>)")
    .option("--json", "print summary.json instead of the short summary")
    .option("--quiet", "print nothing; the exit code tells the verdict")
    .option("--swarm", "vary the fault parameters by seed, as explore --swarm does")
    .option("--no-report", "write the run files only, no report.html/report.md/charts")
    .option(
      "--metrics-out <file>",
      "also write the replicas' Coder metrics at every sample as OpenMetrics (promtool tsdb create-blocks-from openmetrics), or as Prometheus range-query JSON when FILE ends in .json",
    )
    .option(
      "--junit <file>",
      "also write the verdicts as JUnit XML (one testcase per run, a failure per violated invariant)",
    )
    .option("--summary <file>", "also append a Markdown job summary (e.g. $GITHUB_STEP_SUMMARY)")
    .option("--force", "replace an earlier output of prebuildsim of another kind (never anything else)")
    .addOption(databaseUrl())
    .option(
      "--keep-database",
      "with --database-url: leave the run's schema as the run ended, for psql and prebuildsim import",
    )
    .action(async (scenario: string, o) => {
      setExit(
        await (await import("./commands/run.ts")).runCommand(io, {
          scenario,
          seed: o.seed === undefined ? undefined : parseSeed(o.seed),
          out: o.out,
          json: o.json === true,
          quiet: o.quiet === true,
          swarm: o.swarm === true,
          report: o.report !== false,
          metricsOut: o.metricsOut,
          junit: o.junit,
          summary: o.summary,
          force: o.force === true,
          databaseUrl: databaseUrlOption(o.databaseUrl),
          keepDatabase: o.keepDatabase === true,
        }),
      );
    });

  cli
    .command("replay")
    .description("rerun a run directory's scenario and seed and compare the trace line by line")
    .argument("<dir>", "a run directory written by run or explore")
    .addOption(databaseUrl())
    .action(async (dir: string, o) => {
      setExit(
        await (await import("./commands/replay.ts")).replayCommand(io, {
          dir,
          databaseUrl: databaseUrlOption(o.databaseUrl),
        }),
      );
    });

  cli
    .command("explore")
    .description("run many seeds in worker processes and list the failing ones with how to replay each")
    .argument("<scenario>", "scenario file (YAML)")
    .requiredOption("--seeds <range>", "seeds to run, e.g. 1..500")
    .option("--jobs <n>", `worker processes (default: ${DEFAULT_JOBS})`, String(DEFAULT_JOBS))
    .option("--swarm", "also draw the fault parameters per seed")
    .option(
      "--shard <i/n|auto>",
      "run only the i-th of n interleaved slices of the seeds; auto: from the CI engine's environment",
    )
    .option("--shard-count <n>", "with --shard auto in a Kubernetes Indexed Job: the number of completions")
    .option("--out <dir>", "output directory (default: reports/explore-<name>)")
    .option(
      "--junit <file>",
      "also write the verdicts as JUnit XML (one testcase per run, a failure per violated invariant)",
    )
    .option("--summary <file>", "also append a Markdown job summary (e.g. $GITHUB_STEP_SUMMARY)")
    .option("--force", "replace an earlier output of prebuildsim of another kind (never anything else)")
    .addOption(
      new Option("--keep <which>", "run directories to keep").choices(["failing", "all"]).default("failing"),
    )
    .addOption(
      new Option(
        "--perturb <mode>",
        "perturbation exploration: each seed's unperturbed run records where a perturbation can land (every statement of every locked reconciliation cycle, and the notifications), then each further run injects one fault at one such point; all: every point in order (at most --max-runs per seed, spread evenly); sample: one point drawn from each seed",
      ).choices(PERTURB_MODES),
    )
    .option(
      "--max-runs <n>",
      `with --perturb all: at most this many perturbed runs per seed, spread evenly over the points (default: ${DEFAULT_MAX_RUNS})`,
    )
    .option(
      "--perturb-faults <kinds>",
      `with --perturb: the fault kinds that perturb, comma-separated (default: ${PERTURBING_KINDS.join(",")})`,
    )
    .option(
      "--shrink [budget]",
      `also shrink each failing seed to a minimal scenario, within this many runs or this much simulated time (default ${EXPLORE_SHRINK_BUDGET})`,
    )
    .addOption(databaseUrl())
    .action(async (scenario: string, o) => {
      if (o.perturb === undefined && (o.maxRuns !== undefined || o.perturbFaults !== undefined))
        throw new InputError("--max-runs and --perturb-faults need --perturb all or --perturb sample");
      const shrink =
        o.shrink === undefined
          ? undefined
          : (await import("./commands/shrink.ts")).parseBudgetOption(
              o.shrink === true ? EXPLORE_SHRINK_BUDGET : o.shrink,
              "--shrink",
            );
      setExit(
        await (await import("./commands/explore.ts")).exploreCommand(io, {
          perturb: o.perturb,
          ...(o.maxRuns === undefined ? {} : { maxRuns: parseMaxRuns(o.maxRuns) }),
          ...(o.perturbFaults === undefined ? {} : { perturbFaults: parsePerturbFaults(o.perturbFaults) }),
          shrink,
          scenario,
          seeds: parseSeedRange(o.seeds),
          jobs: parseJobs(o.jobs),
          swarm: o.swarm === true,
          shard: resolveShard(o.shard, o.shardCount, process.env),
          out: o.out,
          keepAll: o.keep === "all",
          junit: o.junit,
          summary: o.summary,
          force: o.force === true,
          databaseUrl: databaseUrlOption(o.databaseUrl),
        }),
      );
    });

  cli
    .command("shrink")
    .description("shrink a failing run to the smallest scenario that still breaks the same invariant")
    .argument("<input>", "a failing run directory, or a scenario file (with --seed)")
    .option("--seed <n>", "seed (default: the run directory's, or the scenario's)")
    .option("--invariant <name>", "the invariant to keep broken (default: the run's first violation)")
    .option("--budget <runs|duration>", "at most this many runs (200) or this much simulated time (P2D)")
    .option("--out <dir>", "output directory (default: reports/shrink-<name>-<seed>)")
    .option("--no-report", "write the minimal run's files only, no report.html/report.md/charts")
    .option("--force", "replace an earlier output of prebuildsim of another kind (never anything else)")
    .addOption(databaseUrl())
    .action(async (input: string, o) => {
      setExit(
        await (await import("./commands/shrink.ts")).shrinkCommand(io, {
          input,
          seed: o.seed === undefined ? undefined : parseSeed(o.seed),
          invariant: o.invariant,
          budget: o.budget,
          out: o.out,
          force: o.force === true,
          report: o.report !== false,
          databaseUrl: databaseUrlOption(o.databaseUrl),
        }),
      );
    });

  cli
    .command("sweep")
    .description(
      "capacity planning: run a grid of scenario variations and recommend the smallest that meets a hit-rate target",
    )
    .argument("<scenario>", "scenario file (YAML)")
    .option(
      "--vary <PATH=V1,V2,…>",
      'a field of the scenario file and its values (repeatable), e.g. templates.dev.versions.v1.presets.small.desiredInstances=1..8; a name with dots, brackets, = or quotes in JSON quotes: presets."GPU 1.5"',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      "--seeds <k>",
      "seeds per point, from the scenario's own seed on",
      String(DEFAULT_SEEDS_PER_POINT),
    )
    .option("--jobs <n>", `worker processes (default: ${DEFAULT_JOBS})`, String(DEFAULT_JOBS))
    .option("--target-hit-rate <r>", "the hit rate to meet, like 0.9 or 90%", String(DEFAULT_TARGET_HIT_RATE))
    .option(
      "--preset <template/preset>",
      'the preset whose claims and pool are measured, template/preset or template/version/preset, a name with a slash in JSON quotes: ml/"CPU / small" (default: the one swept or claimed)',
    )
    .option("--out <dir>", "output directory (default: reports/sweep-<name>)")
    .option("--force", "replace an earlier output of prebuildsim of another kind (never anything else)")
    .addOption(databaseUrl())
    .action(async (scenario: string, o) => {
      const { parseSeedsPerPoint, parseTargetHitRate, sweepCommand } = await import("./commands/sweep.ts");
      setExit(
        await sweepCommand(io, {
          scenario,
          vary: o.vary,
          seeds: parseSeedsPerPoint(o.seeds),
          jobs: parseJobs(o.jobs),
          target: parseTargetHitRate(o.targetHitRate),
          preset: o.preset,
          out: o.out,
          force: o.force === true,
          databaseUrl: databaseUrlOption(o.databaseUrl),
        }),
      );
    });

  cli
    .command("merge")
    .description("merge the results of explore shards into one index")
    .argument("<dirs...>", "output directories of explore --shard runs")
    .requiredOption("--out <dir>", "where to write the merged index")
    .option("--force", "replace an earlier output of prebuildsim of another kind (never anything else)")
    .option(
      "--junit <file>",
      "also write the verdicts as JUnit XML (one testcase per run, a failure per violated invariant)",
    )
    .option("--summary <file>", "also append a Markdown job summary (e.g. $GITHUB_STEP_SUMMARY)")
    .action(async (dirs: string[], o) => {
      setExit(
        await (await import("./commands/merge.ts")).mergeCommand(io, {
          dirs,
          out: o.out,
          junit: o.junit,
          summary: o.summary,
          force: o.force === true,
        }),
      );
    });

  cli
    .command("suite")
    .description("run every scenario of a folder with its own seed and print a table of verdicts (npm start)")
    .argument("[dir]", "folder of scenario files", "scenarios")
    .option("--out <dir>", "where the run directories and index.html go (default: reports)")
    .option("--force", "replace an earlier output of prebuildsim of another kind (never anything else)")
    .option("--jobs <n>", `worker processes (default: ${DEFAULT_JOBS})`, String(DEFAULT_JOBS))
    .option("--no-report", "write the run files only in each run directory, no report.html/report.md/charts")
    .option(
      "--junit <file>",
      "also write the verdicts as JUnit XML (one testcase per run, a failure per violated invariant)",
    )
    .option("--summary <file>", "also append a Markdown job summary (e.g. $GITHUB_STEP_SUMMARY)")
    .addOption(databaseUrl())
    .action(async (dir: string, o) => {
      setExit(
        await (await import("./commands/suite.ts")).suiteCommand(io, {
          dir,
          out: o.out,
          force: o.force === true,
          jobs: parseJobs(o.jobs),
          report: o.report !== false,
          junit: o.junit,
          summary: o.summary,
          databaseUrl: databaseUrlOption(o.databaseUrl),
        }),
      );
    });

  cli
    .command("import")
    .description(
      "write a scenario from a real deployment: a Coder database, the CSV files of --print-queries, or a Prometheus export",
    )
    .option("--database-url <url>", "the Coder PostgreSQL to read (one read-only transaction, only SELECTs)")
    .option("--from-csv <dir>", "the CSV files that psql wrote from the queries of --print-queries")
    .option("--from-prometheus <file>", "a Prometheus range-query JSON export of Coder's prebuild metrics")
    .option("--print-queries", "print the import's queries as a psql script (\\copy into CSV files) and exit")
    .option("--since <instant>", "window start, e.g. 2026-03-02T00:00:00Z (default: the first build's hour)")
    .option("--until <instant>", "window end (default: the hour after the last build)")
    .option("--organization <name>", "only this organization's templates")
    .option(
      "--template <name>",
      "only this template (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      "--timezone <zone>",
      "the organisation's IANA time zone for the demand's hours (default: inferred)",
    )
    .option("--name <name>", "the scenario's name", "imported")
    .option("--out <file>", "where the scenario goes")
    .option("--force", "replace an existing --out that prebuildsim import did not write")
    .action(async (o) => {
      setExit(
        await (await import("./commands/import.ts")).importCommand(io, {
          databaseUrl: databaseUrlOption(o.databaseUrl),
          fromCsv: o.fromCsv,
          fromPrometheus: o.fromPrometheus,
          printQueries: o.printQueries === true,
          since: o.since,
          until: o.until,
          organization: o.organization,
          templates: o.template,
          timezone: o.timezone,
          name: o.name,
          out: o.out,
          force: o.force === true,
        }),
      );
    });

  cli
    .command("report")
    .description("re-render report.html, report.md and the charts of a run directory")
    .argument("<dir>", "a run directory")
    .action(async (dir: string) => {
      setExit(await (await import("./commands/report.ts")).reportCommand(io, { dir }));
    });

  cli
    .command("schema")
    .description("print the JSON Schema of the scenario format (for editors)")
    .action(async () => {
      setExit((await import("./commands/schema.ts")).schemaCommand(io));
    });
  return cli;
}

/** Runs the command line; resolves to the exit code instead of exiting (tests call this too). */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<ExitCode> {
  let code: ExitCode = ExitCode.Ok;
  const cli = program(io, (c) => {
    code = c;
  });
  try {
    await cli.parseAsync([...argv]);
    return code;
  } catch (error) {
    return reportError(error, io);
  }
}

/** Prints an error the way its kind deserves and picks the exit code. */
export function reportError(error: unknown, io: CliIo): ExitCode {
  if (error instanceof CommanderError) {
    // Commander already printed its one line (unknown option, missing argument, …).
    return error.exitCode === 0 ? ExitCode.Ok : ExitCode.BadInput;
  }
  if (error instanceof ScenarioError) {
    for (const p of error.problems) io.err(`${p.toString()}\n`);
    return ExitCode.BadInput;
  }
  if (error instanceof InputError) {
    for (const line of error.lines) io.err(`${line}\n`);
    return ExitCode.BadInput;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.err(`prebuildsim: internal error (please report it with the command that caused it):\n${detail}\n`);
  return ExitCode.Internal;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv);
}
