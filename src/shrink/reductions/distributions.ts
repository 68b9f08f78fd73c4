// Randomness the failure may not need: every duration distribution made fixed (its median, or a
// uniform's low end), a Poisson claim stream made periodic at the same mean rate, a diurnal shape
// dropped, the provisioners' failure rate dropped (builds then fail only where a fault or a preset says so).
import { parseRate } from "../../scenario/rate.ts";
import { type Data, isData, mapAt, roundedDuration } from "../data.ts";
import { type Candidate, change, edited, type Reduction, type ShrinkState } from "../reduction.ts";
import { claimStreams } from "./claims.ts";

const DISTRIBUTIONS: readonly (readonly [string, string])[] = [
  ["provisioners", "buildTime"],
  ["provisioners", "deleteTime"],
  ["provisioners", "agentReadyAfter"],
  ["provisioners", "agentReinitAfter"],
  ["database", "latency"],
];

/** The fixed value standing in for a distribution, or undefined when it is fixed already. */
function fixedOf(distribution: Data): unknown {
  if (distribution.fixed !== undefined) return undefined;
  if (distribution.median !== undefined) return distribution.median;
  if (Array.isArray(distribution.uniform)) return distribution.uniform[0];
  return undefined;
}

function distributionCandidates(state: ShrinkState): Candidate[] {
  const out: Candidate[] = [];
  for (const [section, key] of DISTRIBUTIONS) {
    const distribution = mapAt(state.data, section)?.[key];
    const fixed = isData(distribution) ? fixedOf(distribution) : undefined;
    if (fixed === undefined) continue;
    out.push(
      change(
        state,
        `fix ${section}.${key} at ${String(fixed)}`,
        edited(state, (copy) => {
          (mapAt(copy, section) as Data)[key] = { fixed };
        }),
      ),
    );
  }
  const failureRate = mapAt(state.data, "provisioners")?.failureRate;
  if (typeof failureRate === "number" && failureRate > 0)
    out.push(
      change(
        state,
        `drop provisioners.failureRate ${failureRate}`,
        edited(state, (copy) => {
          delete (mapAt(copy, "provisioners") as Data).failureRate;
        }),
      ),
    );
  return out;
}

function claimCandidates(state: ShrinkState): Candidate[] {
  const out: Candidate[] = [];
  claimStreams(state.data).forEach((claim, i) => {
    if (!isData(claim)) return;
    const streamOf = (copy: Data) => claimStreams(copy)[i] as Data;
    if (claim.hours !== undefined || claim.timezone !== undefined)
      out.push(
        change(
          state,
          `drop the diurnal shape of claim stream ${i}`,
          edited(state, (copy) => {
            delete streamOf(copy).hours;
            delete streamOf(copy).timezone;
          }),
        ),
      );
    const rate = typeof claim.rate === "string" ? parseRate(claim.rate) : undefined;
    if (rate?.ok && rate.value > 0 && claim.hours === undefined) {
      const every = roundedDuration(3_600_000 / rate.value);
      out.push(
        change(
          state,
          `claim stream ${i} periodic: rate ${String(claim.rate)} -> every ${every}`,
          edited(state, (copy) => {
            const stream = streamOf(copy);
            delete stream.rate;
            stream.every = every;
          }),
        ),
      );
    }
  });
  return out;
}

export const distributionReductions: Reduction = {
  name: "distributions",
  candidates(state) {
    return [...distributionCandidates(state), ...claimCandidates(state)];
  },
};
