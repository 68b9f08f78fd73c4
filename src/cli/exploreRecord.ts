// explore.json: what an exploration (or one shard of it) found, seed by seed — the input of
// `merge` and of scripts. Run directories are named relative to the file's directory.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunSummary } from "../check/summary.ts";
import { renderIndexReport } from "../report/index.ts";
import { InputError } from "../run/inputError.ts";
import type { CiOutcomeInput } from "./ciOutcome.ts";
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
  /** With `--shrink`: the failing seed's minimal scenario, or null when its failure did not reproduce. */
  shrunk?: ShrunkSeed | null;
}

export interface ExploreRecord {
  scenario: string;
  scenarioPath: string;
  swarm: boolean;
  seeds: SeedRange;
  /** The shards this record covers (all of them after a merge). */
  shards: Shard[];
  results: ExploredSeed[];
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

/** The command that reruns one seed from scratch. */
export function rerunCommand(record: Pick<ExploreRecord, "scenarioPath" | "swarm">, seed: number): string {
  return `prebuildsim run ${record.scenarioPath} --seed ${seed}${record.swarm ? " --swarm" : ""}`;
}

/** The title `--junit` and `--summary` give an exploration. */
export function exploreTitle(record: ExploreRecord): string {
  const failed = record.results.filter((r) => !r.summary.ok).length;
  return `prebuildsim explore ${record.scenario}${record.swarm ? " --swarm" : ""}: ${record.results.length} seeds, ${failed} failed`;
}

/** One CI outcome per explored seed (`baseDir`: where explore.json is), with the commands that replay and rerun it. */
export function exploreOutcomes(record: ExploreRecord, baseDir: string): CiOutcomeInput[] {
  return record.results.map((r) => {
    const runDir = r.dir === null ? null : join(baseDir, r.dir);
    return {
      group: record.scenario,
      name: `seed ${r.seed}`,
      summary: r.summary,
      runDir,
      reproduce: [...(runDir === null ? [] : [`prebuildsim replay ${runDir}`]), rerunCommand(record, r.seed)],
    };
  });
}

/** The failing seeds, each with its violations and how to replay it. */
export function failureReport(record: ExploreRecord, baseDir: string): string {
  const failed = record.results.filter((r) => !r.summary.ok);
  const lines = [
    `${record.scenario}: ${record.results.length} seeds, ${failed.length} failed${record.swarm ? " (swarm)" : ""}`,
  ];
  for (const r of failed) {
    lines.push(`seed ${r.seed}: FAIL`);
    for (const v of r.summary.violations) lines.push(`  ✗ ${violationLine(v)}`);
    if (r.dir !== null) lines.push(`  replay: prebuildsim replay ${join(baseDir, r.dir)}`);
    lines.push(`  rerun:  ${rerunCommand(record, r.seed)}`);
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
  await renderIndexReport(
    outDir,
    [
      ...ordered.map((r) => ({ dir: resolve(r.dir ?? ""), summary: r.summary })),
      ...minimal.map((m) => ({ dir: resolve(join(m.dir, "run")), summary: m.summary })),
    ],
    `explore ${record.scenario}: ${record.results.length} seeds, ${failed} failed${minimal.length > 0 ? `, ${minimal.length} shrunk` : ""}`,
  );
}
