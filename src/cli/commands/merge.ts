// `prebuildsim merge DIR… --out DIR`: the explore.json of several shards become one record and one
// index whose links point into the shards' own directories.
import { join, relative } from "node:path";
import { InputError } from "../../run/inputError.ts";
import { checkOutputDirectory, replaceOutputDirectory } from "../../run/outputDirectory.ts";
import { type CiReportOptions, checkCiReportFiles, writeCiReports } from "../ciReports.ts";
import { ExitCode } from "../exitCodes.ts";
import {
  EXPLORE_FILE,
  type ExploredSeed,
  type ExploreRecord,
  exploreOutcomes,
  exploreTitle,
  failureReport,
  readExploreRecord,
  resultName,
  writeExploreIndex,
  writeExploreRecord,
} from "../exploreRecord.ts";
import type { CliIo } from "../main.ts";

export async function mergeCommand(
  io: CliIo,
  o: { dirs: string[]; out: string; force: boolean } & CiReportOptions,
): Promise<ExitCode> {
  // The shards being merged are never replaced by their own merge, even with --force.
  const output = await checkOutputDirectory(o.out, "merge", {
    force: o.force,
    protect: o.dirs.map((dir) => join(dir, EXPLORE_FILE)),
  });
  await checkCiReportFiles(o, []);
  const records = await Promise.all(
    o.dirs.map(async (dir) => ({ dir, record: await readExploreRecord(dir) })),
  );
  const first = records[0]?.record;
  if (first === undefined) throw new InputError("merge: name at least one explore directory");
  const how = (r: ExploreRecord) =>
    `${r.scenario}${r.swarm ? " (swarm)" : ""}${r.perturb === undefined ? "" : ` (perturb ${r.perturb.mode})`}`;
  const problems = records
    .filter(({ record }) => how(record) !== how(first))
    .map(({ dir, record }) => `${dir}: explores ${how(record)}, not ${how(first)}`);
  if (problems.length > 0) throw new InputError(problems);
  // Results keep a path to their shard's directory; the same run twice means overlapping shards.
  const byRun = new Map<string, ExploredSeed & { home: string }>();
  for (const { dir, record } of records)
    for (const r of record.results) {
      const name = resultName(r);
      if (byRun.has(name))
        throw new InputError(`${dir}: ${name} is also in ${byRun.get(name)?.home} (overlapping shards)`);
      byRun.set(name, { ...r, home: dir });
    }
  const seeds = [...byRun.values()].sort(
    (a, b) => a.seed - b.seed || (a.perturbation?.number ?? 0) - (b.perturbation?.number ?? 0),
  );
  const merged: ExploreRecord = {
    scenario: first.scenario,
    scenarioPath: first.scenarioPath,
    swarm: first.swarm,
    seeds: {
      from: Math.min(...records.map((r) => r.record.seeds.from)),
      to: Math.max(...records.map((r) => r.record.seeds.to)),
    },
    shards: records.flatMap((r) => r.record.shards),
    results: seeds.map(({ home, ...r }) => ({
      ...r,
      dir: r.dir === null ? null : relative(o.out, join(home, r.dir)),
      ...(r.shrunk ? { shrunk: { ...r.shrunk, dir: relative(o.out, join(home, r.shrunk.dir)) } } : {}),
    })),
    ...(first.perturb === undefined
      ? {}
      : {
          perturb: {
            ...first.perturb,
            seeds: records.flatMap((r) => r.record.perturb?.seeds ?? []).sort((a, b) => a.seed - b.seed),
          },
        }),
  };
  // Links are relative, so they hold once the staging directory has become o.out.
  await replaceOutputDirectory(output, async (staging) => {
    await writeExploreRecord(staging, merged);
    await writeExploreIndex(staging, merged, (dir) => join(staging, dir));
  });
  io.out(failureReport(merged, o.out));
  await writeCiReports(o, exploreTitle(merged), exploreOutcomes(merged, o.out));
  io.out(`index: ${join(o.out, "index.html")}\n`);
  return merged.results.every((r) => r.summary.ok) ? ExitCode.Ok : ExitCode.Failed;
}
