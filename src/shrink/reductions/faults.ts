// Faults first: each is dropped, then its window (or a crash's restart delay) halved, then moved
// later — halfway towards the latest start before the violation (or the run's end). A later, shorter fault disturbs less of
// the history, so the violation that remains is easier to read.
import { type Data, durationAt, isData, listAt, roundedDuration, withoutElement } from "../data.ts";
import { type Candidate, change, edited, type Reduction, type ShrinkState } from "../reduction.ts";
import { violationOffset } from "./duration.ts";

const MINUTE = 60_000;

function label(fault: Data, index: number): string {
  return `fault ${index} (${String(fault.kind)} at ${String(fault.at)})`;
}

function withField(state: ShrinkState, index: number, key: string, value: string): Data {
  return edited(state, (copy) => {
    (listAt(copy, "faults")[index] as Data)[key] = value;
  });
}

export const faultReductions: Reduction = {
  name: "faults",
  candidates(state) {
    const faults = listAt(state.data, "faults");
    const total = durationAt(state.data, "duration") ?? 0;
    const out: Candidate[] = [];
    faults.forEach((fault, i) => {
      if (isData(fault))
        out.push(change(state, `drop ${label(fault, i)}`, withoutElement(state.data, "faults", i)));
    });
    faults.forEach((fault, i) => {
      if (!isData(fault)) return;
      for (const key of ["duration", "restartAfter"]) {
        const d = durationAt(fault, key);
        if (d === undefined || d < 2 * MINUTE) continue;
        const shorter = roundedDuration(d / 2);
        out.push(
          change(
            state,
            `shorten ${label(fault, i)}: ${key} ${String(fault[key])} -> ${shorter}`,
            withField(state, i, key, shorter),
          ),
        );
      }
    });
    faults.forEach((fault, i) => {
      if (!isData(fault)) return;
      const at = durationAt(fault, "at");
      if (at === undefined) return;
      // A fault moved past the violation could not have caused it; nor may it outlast the run.
      const end = Math.min(total, violationOffset(state) ?? total);
      const latest = end - (durationAt(fault, "duration") ?? 0);
      const later = Math.floor((at + (latest - at) / 2) / MINUTE) * MINUTE;
      if (later - at < MINUTE) return;
      const text = roundedDuration(later);
      out.push(change(state, `move ${label(fault, i)} later: at ${text}`, withField(state, i, "at", text)));
    });
    return out;
  },
};
