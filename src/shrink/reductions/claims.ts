// Claim streams: each dropped, then made lighter — a Poisson rate halved, an `every` period
// doubled, an `at` list cut to its first half (a shorter window of claims).
import { parseRate } from "../../scenario/rate.ts";
import { type Data, durationAt, isData, listAt, mapAt, roundedDuration } from "../data.ts";
import { type Candidate, change, type Reduction, type ShrinkState } from "../reduction.ts";

/** The claim streams of `data` (workload.claims), possibly empty. */
export function claimStreams(data: Data): unknown[] {
  const workload = mapAt(data, "workload");
  return workload === undefined ? [] : listAt(workload, "claims");
}

/** A copy of the data and its claim stream list, to edit. */
function editable(state: ShrinkState): { copy: Data; claims: unknown[] } {
  const copy = structuredClone(state.data);
  return { copy, claims: claimStreams(copy) };
}

/**
 * Without stream `index`. The streams after it keep drawing their claims from the random streams
 * they drew from (`stream`: their old position), so dropping one changes no other's claims.
 */
function dropStream(state: ShrinkState, index: number): Data {
  const { copy, claims } = editable(state);
  claims.forEach((claim, i) => {
    if (i > index && isData(claim) && claim.stream === undefined) claim.stream = i;
  });
  claims.splice(index, 1);
  if (claims.length === 0) delete copy.workload;
  return copy;
}

function withStream(state: ShrinkState, index: number, edit: (claim: Data) => void): Data {
  const { copy, claims } = editable(state);
  edit(claims[index] as Data);
  return copy;
}

function label(claim: Data, index: number): string {
  return `claim stream ${index} (${String(claim.preset)})`;
}

/** The lighter variant of one stream, or undefined when it is as light as it sensibly gets. */
function lighter(state: ShrinkState, claim: Data, i: number): Candidate | undefined {
  if (typeof claim.rate === "string") {
    const rate = parseRate(claim.rate);
    if (!rate.ok || rate.value < 2) return undefined;
    const half = `${Math.floor(rate.value / 2)}/h`;
    return change(
      state,
      `lower the rate of ${label(claim, i)}: ${claim.rate} -> ${half}`,
      withStream(state, i, (c) => {
        c.rate = half;
      }),
    );
  }
  const every = durationAt(claim, "every");
  if (every !== undefined) {
    const total = durationAt(state.data, "duration") ?? 0;
    if (every * 2 > total) return undefined;
    const longer = roundedDuration(every * 2);
    return change(
      state,
      `lower the rate of ${label(claim, i)}: every ${String(claim.every)} -> ${longer}`,
      withStream(state, i, (c) => {
        c.every = longer;
      }),
    );
  }
  if (Array.isArray(claim.at) && claim.at.length > 1) {
    const kept = Math.ceil(claim.at.length / 2);
    return change(
      state,
      `shorten the window of ${label(claim, i)}: the first ${kept} of ${claim.at.length} claims`,
      withStream(state, i, (c) => {
        c.at = (c.at as unknown[]).slice(0, kept);
      }),
    );
  }
  return undefined;
}

export const claimReductions: Reduction = {
  name: "claim streams",
  candidates(state) {
    const streams = claimStreams(state.data);
    const out: Candidate[] = [];
    streams.forEach((claim, i) => {
      if (isData(claim)) out.push(change(state, `drop ${label(claim, i)}`, dropStream(state, i)));
    });
    streams.forEach((claim, i) => {
      const candidate = isData(claim) ? lighter(state, claim, i) : undefined;
      if (candidate !== undefined) out.push(candidate);
    });
    return out;
  },
};
