// `merge` of `explore --perturb` shards: the runs of one seed are told apart by their perturbation
// number (not taken for overlapping shards), the perturb summaries are merged, and a perturbed
// shard does not merge with an unperturbed one.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mergeCommand } from "../../../src/cli/commands/merge.ts";
import type { ExploreRecord } from "../../../src/cli/exploreRecord.ts";
import { InputError } from "../../../src/run/inputError.ts";
import { captureIo, scratchDir } from "../cliProcess.ts";

const summary = { ok: true, violations: [] } as unknown as ExploreRecord["results"][number]["summary"];
const point = {
  type: "cycle-statement" as const,
  replica: "replica-0",
  cycle: 1,
  acquiredAt: "2026-03-02T08:01:00.000Z",
  previousEnd: "2026-03-02T08:00:00.000Z",
  afterStatements: 0,
  statements: 3,
};

function shard(seed: number, perturbed: boolean): ExploreRecord {
  const runs = [1, 2].map((number) => ({
    seed,
    dir: null,
    summary,
    perturbation: {
      number,
      point,
      fault: { at: "PT59.999S", kind: "lock-connection-lost", replica: "replica-0", afterStatements: 0 },
      landing: { outcome: "landed" as const, detail: "struck replica-0 cycle 1" },
    },
  }));
  return {
    scenario: "two",
    scenarioPath: "two.yaml",
    swarm: false,
    seeds: { from: 1, to: 2 },
    shards: [{ index: seed, count: 2 }],
    results: [{ seed, dir: null, summary }, ...(perturbed ? runs : [])],
    ...(perturbed
      ? {
          perturb: {
            mode: "all" as const,
            faults: ["lock-connection-lost"],
            maxRuns: 2,
            seeds: [{ seed, cycleStatements: 3, cycles: 1, notifications: 0, perturbations: 3, runs: 2 }],
          },
        }
      : {}),
  };
}

async function write(cwd: string, dir: string, record: ExploreRecord): Promise<void> {
  await mkdir(join(cwd, dir));
  await writeFile(join(cwd, dir, "explore.json"), JSON.stringify(record));
}

describe("merge of perturbed shards", () => {
  it("keeps every perturbed run and merges the per-seed perturb records", async () => {
    const cwd = await scratchDir();
    await write(cwd, "s1", shard(1, true));
    await write(cwd, "s2", shard(2, true));
    const io = captureIo();
    const out = join(cwd, "all");
    await mergeCommand(io, {
      dirs: [join(cwd, "s1"), join(cwd, "s2")],
      out,
      force: false,
      junit: undefined,
      summary: undefined,
    });
    const merged = JSON.parse(await readFile(join(out, "explore.json"), "utf8")) as ExploreRecord;
    expect(merged.results.map((r) => [r.seed, r.perturbation?.number ?? 0])).toEqual([
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 0],
      [2, 1],
      [2, 2],
    ]);
    expect(merged.perturb?.seeds.map((s) => s.seed)).toEqual([1, 2]);
    expect(io.stdout).toContain("two: 6 runs, 0 failed");
    expect(await readFile(join(out, "index.md"), "utf8")).toContain("## Perturbed runs");
  });

  it("refuses to merge a perturbed shard with an unperturbed one", async () => {
    const cwd = await scratchDir();
    await write(cwd, "s1", shard(1, true));
    await write(cwd, "s2", shard(2, false));
    const merging = mergeCommand(captureIo(), {
      dirs: [join(cwd, "s1"), join(cwd, "s2")],
      out: join(cwd, "all"),
      force: false,
      junit: undefined,
      summary: undefined,
    });
    await expect(merging).rejects.toThrow(InputError);
    await expect(merging).rejects.toThrow("explores two, not two (perturb all)");
  });
});
