// The second phase of `explore --perturb`: from each seed's unperturbed run (its recorded points)
// to the perturbed runs' jobs, one per chosen perturbation, each with a run directory of its own
// (`seed-S-perturb-N`, N the perturbation's number in the seed's full list).
import { join } from "node:path";
import type { RunBounds } from "../../world/faults/perturbationPoint.ts";
import type { SeedDone, SeedJob } from "../exploreProtocol.ts";
import type { PerturbRecord } from "../exploreRecord.ts";
import { type PerturbMode, perturbationsOf, sampledPerturbation, spreadEvenly } from "./plan.ts";

export interface PerturbPlanOptions {
  mode: PerturbMode;
  maxRuns: number;
  faults: readonly string[];
  /** The scenario's start and end (epoch ms): faults are offsets from the start. */
  run: RunBounds;
  /** The explore directory. */
  out: string;
}

/** The perturbed runs' jobs and what the record says about them, seed by seed in seed order. */
export function planPerturbedRuns(
  baselines: readonly SeedDone[],
  jobs: readonly SeedJob[],
  o: PerturbPlanOptions,
): { jobs: SeedJob[]; record: PerturbRecord } {
  const record: PerturbRecord = { mode: o.mode, faults: [...o.faults], maxRuns: o.maxRuns, seeds: [] };
  const out: SeedJob[] = [];
  for (const job of [...jobs].sort((a, b) => a.seed - b.seed)) {
    const points = baselines.find((b) => b.seed === job.seed)?.points ?? [];
    const all = perturbationsOf(points, o.faults, o.run);
    const sampled = o.mode === "sample" ? sampledPerturbation(all, job.seed) : null;
    const chosen = o.mode === "all" ? spreadEvenly(all, o.maxRuns) : sampled === null ? [] : [sampled];
    const cyclePoints = points.filter((p) => p.type === "cycle-statement");
    record.seeds.push({
      seed: job.seed,
      cycleStatements: cyclePoints.length,
      cycles: new Set(cyclePoints.map((p) => `${p.replica}/${p.cycle}`)).size,
      notifications: points.length - cyclePoints.length,
      perturbations: all.length,
      runs: chosen.length,
    });
    for (const p of chosen) {
      const { recordPoints: _unperturbed, ...rest } = job;
      out.push({
        ...rest,
        runDir: join(o.out, `seed-${job.seed}-perturb-${p.number}`),
        perturbation: { number: p.number, point: p.point, fault: p.fault },
      });
    }
  }
  return { jobs: out, record };
}
