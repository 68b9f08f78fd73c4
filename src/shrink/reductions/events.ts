// Operator events: each dropped on its own (a pause without its resume is still a valid scenario).
import { isData, listAt, withoutElement } from "../data.ts";
import { type Candidate, change, type Reduction } from "../reduction.ts";

function actionOf(event: Record<string, unknown>): string {
  return Object.keys(event).find((k) => k !== "at") ?? "event";
}

export const eventReductions: Reduction = {
  name: "events",
  candidates(state) {
    const out: Candidate[] = [];
    listAt(state.data, "events").forEach((event, i) => {
      if (!isData(event)) return;
      const what = `drop event ${i} (${actionOf(event)} at ${String(event.at)})`;
      out.push(change(state, what, withoutElement(state.data, "events", i)));
    });
    return out;
  },
};
