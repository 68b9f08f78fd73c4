// Claim streams, and people's ordinary build streams alike: each dropped, then made lighter — a
// Poisson rate halved, an `every` period doubled, an `at` list cut to its first half (a shorter
// window of requests).
import { parseRate } from "../../scenario/rate.ts";
import { type Data, durationAt, isData, listAt, mapAt, roundedDuration } from "../data.ts";
import { type Candidate, change, type Reduction, type ShrinkState } from "../reduction.ts";

/** Which of the workload's stream lists: claims, or people's ordinary builds. */
type StreamList = "claims" | "builds";

function streamsAt(data: Data, list: StreamList): unknown[] {
  const workload = mapAt(data, "workload");
  return workload === undefined ? [] : listAt(workload, list);
}

/** The claim streams of `data` (workload.claims), possibly empty. */
export function claimStreams(data: Data): unknown[] {
  return streamsAt(data, "claims");
}

/** A copy of the data and one of its stream lists, to edit. */
function editable(state: ShrinkState, list: StreamList): { copy: Data; claims: unknown[] } {
  const copy = structuredClone(state.data);
  return { copy, claims: streamsAt(copy, list) };
}

/**
 * Without stream `index`. The streams after it keep drawing their claims from the random streams
 * they drew from (`stream`: their old position), so dropping one changes no other's claims.
 */
function dropStream(state: ShrinkState, list: StreamList, index: number): Data {
  const { copy, claims } = editable(state, list);
  claims.forEach((claim, i) => {
    if (i > index && isData(claim) && claim.stream === undefined) claim.stream = i;
  });
  claims.splice(index, 1);
  const workload = mapAt(copy, "workload");
  if (claims.length === 0 && workload !== undefined) {
    delete workload[list];
    if (Object.keys(workload).length === 0) delete copy.workload;
  }
  return copy;
}

function withStream(state: ShrinkState, list: StreamList, index: number, edit: (claim: Data) => void): Data {
  const { copy, claims } = editable(state, list);
  edit(claims[index] as Data);
  return copy;
}

function label(list: StreamList, stream: Data, index: number): string {
  return list === "claims"
    ? `claim stream ${index} (${String(stream.preset)})`
    : `build stream ${index} (${String(stream.template ?? "the first template")})`;
}

/** The lighter variant of one stream, or undefined when it is as light as it sensibly gets. */
function lighter(state: ShrinkState, list: StreamList, claim: Data, i: number): Candidate | undefined {
  if (typeof claim.rate === "string") {
    const rate = parseRate(claim.rate);
    if (!rate.ok || rate.value < 2) return undefined;
    const half = `${Math.floor(rate.value / 2)}/h`;
    return change(
      state,
      `lower the rate of ${label(list, claim, i)}: ${claim.rate} -> ${half}`,
      withStream(state, list, i, (c) => {
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
      `lower the rate of ${label(list, claim, i)}: every ${String(claim.every)} -> ${longer}`,
      withStream(state, list, i, (c) => {
        c.every = longer;
      }),
    );
  }
  if (Array.isArray(claim.at) && claim.at.length > 1) {
    const kept = Math.ceil(claim.at.length / 2);
    return change(
      state,
      `shorten the window of ${label(list, claim, i)}: the first ${kept} of ${claim.at.length} claims`,
      withStream(state, list, i, (c) => {
        c.at = (c.at as unknown[]).slice(0, kept);
      }),
    );
  }
  return undefined;
}

function streamReduction(list: StreamList, name: string): Reduction {
  return {
    name,
    candidates(state) {
      const streams = streamsAt(state.data, list);
      const out: Candidate[] = [];
      streams.forEach((stream, i) => {
        if (isData(stream))
          out.push(change(state, `drop ${label(list, stream, i)}`, dropStream(state, list, i)));
      });
      streams.forEach((stream, i) => {
        const candidate = isData(stream) ? lighter(state, list, stream, i) : undefined;
        if (candidate !== undefined) out.push(candidate);
      });
      return out;
    },
  };
}

export const claimReductions: Reduction = streamReduction("claims", "claim streams");
/** People's ordinary builds (workload.builds): dropped and lightened like claim streams. */
export const buildStreamReductions: Reduction = streamReduction("builds", "build streams");
