// The run's `duration`, cut to just after the violation plus the convergence window (a liveness
// violation needs that window to be judged), to just after the last event or fault plus that
// window, or to half — shortest first. The loader refuses a cut that leaves an event or a fault
// outside the run.
import { parseIsoInstant } from "../../scenario/isoTime.ts";
import { type Data, durationAt, isData, listAt, mapAt, roundedDuration } from "../data.ts";
import { change, edited, type Reduction, type ShrinkState } from "../reduction.ts";
import { matchingViolation } from "../target.ts";

const MINUTE = 60_000;
/** `expect.convergeWithin`'s default (SCENARIOS.md §1, the schema's `prefault`). */
const DEFAULT_CONVERGE_WITHIN = 30 * MINUTE;

function convergeWithin(data: Data): number {
  const expect = mapAt(data, "expect");
  return (expect === undefined ? undefined : durationAt(expect, "convergeWithin")) ?? DEFAULT_CONVERGE_WITHIN;
}

/** Where the last event or fault ends, as an offset from start. */
function lastDisturbanceEnd(data: Data): number {
  let end = 0;
  for (const item of [...listAt(data, "events"), ...listAt(data, "faults")]) {
    if (!isData(item)) continue;
    end = Math.max(end, (durationAt(item, "at") ?? 0) + (durationAt(item, "duration") ?? 0));
  }
  return end;
}

/** When the kept violation happened in the last reproducing run, as an offset from start. */
export function violationOffset(state: ShrinkState): number | undefined {
  const violation = matchingViolation(state.summary, state.target);
  if (violation === undefined) return undefined;
  const at = parseIsoInstant(violation.at);
  const start = parseIsoInstant(state.summary.start);
  return at.ok && start.ok ? at.value - start.value : undefined;
}

export const durationReductions: Reduction = {
  name: "duration",
  candidates(state) {
    const total = durationAt(state.data, "duration");
    if (total === undefined) return [];
    const window = convergeWithin(state.data);
    const offset = violationOffset(state);
    const cuts = [
      ...(offset === undefined ? [] : [offset + window]),
      lastDisturbanceEnd(state.data) + window,
      total / 2,
    ]
      .map((ms) => Math.ceil(ms / MINUTE) * MINUTE)
      .filter((ms) => ms >= MINUTE && ms < total);
    return [...new Set(cuts)]
      .sort((a, b) => a - b)
      .map((ms) => {
        const duration = roundedDuration(ms);
        const copy = edited(state, (c) => {
          c.duration = duration;
        });
        return change(state, `cut the run: duration ${String(state.data.duration)} -> ${duration}`, copy);
      });
  },
};
