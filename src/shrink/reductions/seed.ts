// Last, the seed: a small seed reads better in an issue, and a failure that needs no particular
// seed is worth knowing about.
import type { Candidate, Reduction } from "../reduction.ts";

/** The seeds tried, smallest first. */
export const SMALL_SEEDS = [0, 1, 2, 3, 4] as const;

export const seedReductions: Reduction = {
  name: "seed",
  candidates(state) {
    return SMALL_SEEDS.filter((seed) => seed < state.seed).map(
      (seed): Candidate => ({ what: `seed ${state.seed} -> ${seed}`, data: state.data, seed }),
    );
  },
};
