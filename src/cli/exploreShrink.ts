// `explore --shrink`: each failing seed's kept run directory shrunk to a minimal scenario (its
// scenario.yaml holds a swarm seed's drawn faults, so the shrink starts from what ran), bounded
// per seed by the budget, one after another on one database in this process, each into
// `shrink-<seed>/` (`shrink-<seed>-perturb-<n>/` for a perturbed run) beside the run directory.
import { join } from "node:path";
import { executeRun } from "../run/execute.ts";
import type { ShrinkBudget } from "../shrink/budget.ts";
import { readShrinkInput } from "../shrink/input.ts";
import { checkShrinkDirectory, writeShrinkDirectory } from "../shrink/output.ts";
import { shrink } from "../shrink/search.ts";
import { withDriver } from "./database.ts";
import { type ExploredSeed, resultName } from "./exploreRecord.ts";
import type { Progress } from "./progress.ts";

export async function shrinkFailingSeeds(
  out: string,
  results: readonly ExploredSeed[],
  options: { budget: ShrinkBudget; databaseUrl: string | undefined; progress: Progress; report: boolean },
): Promise<ExploredSeed[]> {
  const failing = results.filter((r) => !r.summary.ok && r.dir !== null);
  if (failing.length === 0) return [...results];
  return withDriver(options.databaseUrl, async (driver) => {
    // Keyed by the result: with --perturb, one seed has several runs.
    const shrunk = new Map<ExploredSeed, ExploredSeed["shrunk"]>();
    for (const [i, r] of failing.entries()) {
      const dir =
        r.perturbation === undefined
          ? `shrink-${r.seed}`
          : `shrink-${r.seed}-perturb-${r.perturbation.number}`;
      const input = await readShrinkInput(join(out, r.dir ?? ""), undefined);
      const checked = await checkShrinkDirectory(join(out, dir), { force: false });
      const result = await shrink({
        data: input.data,
        seed: input.seed,
        origin: input.origin,
        budget: options.budget,
        run: (source, seed) => executeRun(source, { seed, driver, judgeReach: false }),
        onStep: (s) =>
          options.progress.update(`shrink: ${resultName(r)} (${i + 1}/${failing.length}), ${s.runs} runs`),
      });
      if (result.status === "not-reproduced") {
        shrunk.set(r, null);
        continue;
      }
      await writeShrinkDirectory(checked, result, options.budget, { report: options.report });
      shrunk.set(r, {
        dir,
        seed: result.seed,
        before: result.before.total,
        after: result.after.total,
        summary: result.run.summary,
      });
    }
    return results.map((r) => (shrunk.has(r) ? { ...r, shrunk: shrunk.get(r) ?? null } : r));
  });
}
