// explore.json: what an exploration (or one shard of it) found, seed by seed — the input of
// `merge` and of scripts. Run directories are named relative to the file's directory.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunSummary } from "../check/summary.ts";
import { renderIndexReport } from "../report/index.ts";
import { InputError } from "../run/inputError.ts";
import type { CiOutcomeInput } from "./ciOutcome.ts";
import type { PerturbationJob } from "./exploreProtocol.ts";
import type { Landing } from "./perturb/landing.ts";
import { describePerturbation, perturbedRunsAppendix } from "./perturb/perturbReport.ts";
import type { PerturbMode } from "./perturb/plan.ts";
import { violationLine } from "./printSummary.ts";
import type { SeedRange, Shard } from "./seeds.ts";

export const EXPLORE_FILE = "explore.json";

/** A failing seed's minimal scenario (`explore --shrink`). */
export interface ShrunkSeed {
  /** The shrink output (minimal.yaml, shrink.log, run/) relative to the explore directory. */
  dir: string;
  /** The minimal scenario's seed. */
  seed: number;
  /** Elements (faults, events, claim streams, presets, replicas) before and after. */
  before: number;
  after: number;
  /** The minimal run's summary. */
  summary: RunSummary;
}

export interface ExploredSeed {
  seed: number;
  /** The seed's run directory relative to the explore directory, or null when not kept. */
  dir: string | null;
  summary: RunSummary;
  /** `explore --perturb`: the run's perturbation and whether it landed (absent: an unperturbed run). */
  perturbation?: PerturbationJob & { landing: Landing };
  /** With `--shrink`: the failing seed's minimal scenario, or null when its failure did not reproduce. */
  shrunk?: ShrunkSeed | null;
}

/** What `explore --perturb` recorded and chose, seed by seed. */
export interface PerturbRecord {
  mode: PerturbMode;
  /** The fault kinds used. */
  faults: string[];
  /** `--max-runs` (mode `all`: per seed). */
  maxRuns: number;
  seeds: Array<{
    seed: number;
    /** Points recorded by the unperturbed run: before each cycle statement, and notifications. */
    cycleStatements: number;
    cycles: number;
    notifications: number;
    /** Every (point, fault kind) pair a kind can strike. */
    perturbations: number;
    /** The perturbations run. */
    runs: number;
  }>;
}

export interface ExploreRecord {
  scenario: string;
  scenarioPath: string;
  swarm: boolean;
  seeds: SeedRange;
  /** The shards this record covers (all of them after a merge). */
  shards: Shard[];
  results: ExploredSeed[];
  perturb?: PerturbRecord;
}

export async function writeExploreRecord(dir: string, record: ExploreRecord): Promise<void> {
  await writeFile(join(dir, EXPLORE_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

export async function readExploreRecord(dir: string): Promise<ExploreRecord> {
  const path = join(dir, EXPLORE_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new InputError(`${path}: cannot read: ${(error as Error).message} (is ${dir} an explore output?)`, {
      cause: error,
    });
  }
  try {
    const record = JSON.parse(text) as ExploreRecord;
    if (!Array.isArray(record.results) || typeof record.scenario !== "string")
      throw new Error("not an explore record");
    return record;
  } catch (error) {
    throw new InputError(`${path}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The command that reruns one seed from scratch; a perturbed run reruns from its run directory's
 * scenario.yaml (`runDir`), which holds the perturbation as an ordinary fault.
 */
export function rerunCommand(
  record: Pick<ExploreRecord, "scenarioPath" | "swarm">,
  seed: number,
  perturbedRunDir?: string,
): string {
  if (perturbedRunDir !== undefined)
    return `prebuildsim run ${join(perturbedRunDir, "scenario.yaml")} --seed ${seed}`;
  return `prebuildsim run ${record.scenarioPath} --seed ${seed}${record.swarm ? " --swarm" : ""}`;
}

/** How a result is named: `seed 7`, or `seed 7 perturbation #12`. */
export function resultName(r: ExploredSeed): string {
  return r.perturbation === undefined
    ? `seed ${r.seed}`
    : `seed ${r.seed} perturbation #${r.perturbation.number}`;
}

function rerunOf(record: ExploreRecord, r: ExploredSeed, runDir: string | null): string | null {
  if (r.perturbation === undefined) return rerunCommand(record, r.seed);
  return runDir === null ? null : rerunCommand(record, r.seed, runDir);
}

/** The title `--junit` and `--summary` give an exploration. */
export function exploreTitle(record: ExploreRecord): string {
  const failed = record.results.filter((r) => !r.summary.ok).length;
  const perturb = record.perturb === undefined ? "" : ` --perturb ${record.perturb.mode}`;
  return `prebuildsim explore ${record.scenario}${record.swarm ? " --swarm" : ""}${perturb}: ${record.results.length} ${runsWord(record)}, ${failed} failed`;
}

/** One CI outcome per explored seed (`baseDir`: where explore.json is), with the commands that replay and rerun it. */
export function exploreOutcomes(record: ExploreRecord, baseDir: string): CiOutcomeInput[] {
  return record.results.map((r) => {
    const runDir = r.dir === null ? null : join(baseDir, r.dir);
    const rerun = rerunOf(record, r, runDir);
    return {
      group: record.scenario,
      name: resultName(r),
      summary: r.summary,
      runDir,
      reproduce: [
        ...(runDir === null ? [] : [`prebuildsim replay ${runDir}`]),
        ...(rerun === null ? [] : [rerun]),
      ],
    };
  });
}

/** The failing seeds, each with its violations and how to replay it. */
export function failureReport(record: ExploreRecord, baseDir: string): string {
  const failed = record.results.filter((r) => !r.summary.ok);
  const lines = [
    `${record.scenario}: ${record.results.length} ${runsWord(record)}, ${failed.length} failed${record.swarm ? " (swarm)" : ""}`,
  ];
  for (const r of failed) {
    lines.push(`${resultName(r)}: FAIL`);
    if (r.perturbation !== undefined)
      lines.push(`  perturbation: ${describePerturbation(r.perturbation)}: ${r.perturbation.landing.detail}`);
    for (const v of r.summary.violations) lines.push(`  ✗ ${violationLine(v)}`);
    const runDir = r.dir === null ? null : join(baseDir, r.dir);
    if (runDir !== null) lines.push(`  replay: prebuildsim replay ${runDir}`);
    const rerun = rerunOf(record, r, runDir);
    if (rerun !== null) lines.push(`  rerun:  ${rerun}`);
    if (r.shrunk !== undefined)
      lines.push(
        r.shrunk === null
          ? "  minimal: none (the failure did not reproduce when shrinking)"
          : `  minimal: ${join(baseDir, r.shrunk.dir, "minimal.yaml")} (${r.shrunk.before} -> ${r.shrunk.after} elements, seed ${r.shrunk.seed})`,
      );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * index.html and index.md over the kept run directories, failing seeds first, then the minimal
 * scenarios' runs (`--shrink`); `resolve` turns a directory relative to the record into a path.
 */
export async function writeExploreIndex(
  outDir: string,
  record: ExploreRecord,
  resolve: (relativeDir: string) => string,
): Promise<void> {
  const kept = record.results.filter((r) => r.dir !== null);
  const ordered = [...kept.filter((r) => !r.summary.ok), ...kept.filter((r) => r.summary.ok)];
  const minimal = record.results.flatMap((r) => (r.shrunk ? [r.shrunk] : []));
  const failed = record.results.filter((r) => !r.summary.ok).length;
  const dirOf = (r: ExploredSeed): string => resolve(r.dir ?? "");
  await renderIndexReport(
    outDir,
    [
      ...ordered.map((r) => ({ dir: dirOf(r), summary: r.summary })),
      ...minimal.map((m) => ({ dir: resolve(join(m.dir, "run")), summary: m.summary })),
    ],
    `explore ${record.scenario}: ${record.results.length} ${runsWord(record)}, ${failed} failed${minimal.length > 0 ? `, ${minimal.length} shrunk` : ""}`,
    record.perturb === undefined ? undefined : perturbedRunsAppendix(outDir, record, dirOf),
  );
}

function runsWord(record: ExploreRecord): string {
  return record.perturb === undefined ? "seeds" : "runs";
}
