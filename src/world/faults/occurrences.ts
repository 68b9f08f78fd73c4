// Which occurrences a perturbation takes (the notifications it drops or delays, the ticks it
// misses, the cycles it makes act on a stale snapshot): from `at` on, the first `after<Thing>` pass
// untouched, then the next `count` (1 when absent) are taken — or, with `duration`, every one
// inside the window [at, at + duration). A concrete point of a recorded run is `at` with
// `after<Thing>: k`: "the (k+1)-th job notification from 20 minutes on".
import type { Duration, Instant } from "../../clock/types.ts";
import { integerField } from "../../scenario/fields.ts";
import type { DataPath } from "../../scenario/problem.ts";
import type { Moment } from "../../scenario/scenario.ts";
import type { Perturbations } from "../perturbations.ts";
import type { FaultNormaliser, FaultWorld, Schedule } from "./faultKind.ts";
import { faultDuration, windowOf } from "./fields.ts";

export interface Selection {
  /** How many occurrences from `at` on pass before the fault takes any. */
  readonly after: number;
  /** How many it takes; null: every one inside the window. */
  readonly count: number | null;
  readonly duration: Duration | null;
  /** End of the window; null without one. */
  readonly until: Instant | null;
}

export function countField(what: string) {
  return integerField(1).meta({
    description: `How many ${what} the fault takes (1 when absent); not with \`duration\`.`,
    examples: [1, 3],
  });
}

export const selectionDuration = faultDuration.meta({
  description:
    "Instead of `count`: every occurrence inside the window [at, at + duration); it must end by the end of the run.",
  examples: ["PT10M"],
});

export function afterField(what: string) {
  return integerField(0).meta({
    description: `How many ${what} at or after \`at\` pass untouched before the fault takes any (0 when absent).`,
    examples: [0, 4],
  });
}

/** `count` or `duration` (not both) and the `after…` field, checked and normalised. */
export function selectionOf(
  f: { readonly at: Duration; readonly count?: number; readonly duration?: Duration },
  after: number | undefined,
  path: DataPath,
  n: FaultNormaliser,
): Moment & Selection {
  if (f.duration === undefined) {
    return {
      ...n.moment(f.at, [...path, "at"]),
      after: after ?? 0,
      count: f.count ?? 1,
      duration: null,
      until: null,
    };
  }
  if (f.count !== undefined) n.report([...path, "count"], "expected count or duration, not both");
  const w = windowOf({ at: f.at, duration: f.duration }, path, n);
  return { ...w, after: after ?? 0, count: null, until: w.until };
}

/** The selection's part of `fault.start`. */
export function selectionParameters(s: Selection, afterKey: string): Record<string, unknown> {
  return {
    ...(s.count === null ? {} : { count: s.count }),
    ...(s.after === 0 ? {} : { [afterKey]: s.after }),
  };
}

/** The counting, as occurrences come. */
export class Occurrences {
  #seen = 0;
  #taken = 0;

  constructor(private readonly s: Moment & Selection) {}

  /** Whether the occurrence at `t` is one the fault takes. */
  take(t: Instant): boolean {
    if (t < this.s.at || (this.s.until !== null && t >= this.s.until) || this.complete) return false;
    this.#seen += 1;
    if (this.#seen <= this.s.after) return false;
    this.#taken += 1;
    return true;
  }

  get taken(): number {
    return this.#taken;
  }

  /** All `count` taken (never for a window: its end completes it). */
  get complete(): boolean {
    return this.s.count !== null && this.#taken >= this.s.count;
  }
}

/**
 * The timeline a selection's fault shares: `fault.start` at `at` (with the window's end) — or
 * earlier in the same instant, when an occurrence is taken before the fault task's turn — and its
 * outcome once the last taken occurrence's disturbance has ended (`settled`), at the window's end,
 * or when the run ends, whichever comes first.
 */
export function scheduleSelection(
  s: Moment & Selection,
  world: FaultWorld,
  schedule: Schedule,
  report: () => { effect: Record<string, number>; until: Instant; noop: string },
): { begin(): void; settled(): void } {
  const outcome = () => {
    const r = report();
    world.outcome(r.effect, r.until, r.noop);
  };
  let begun = false;
  const begin = () => {
    if (begun) return;
    begun = true;
    world.start(s.until);
    world.onRunEnd(outcome);
  };
  schedule(s.at, 0, begin);
  if (s.until !== null) {
    schedule(s.until, 1, () => {
      world.end();
      outcome();
    });
  }
  return { begin, settled: outcome };
}

/** The rule registry a perturbation needs; the injector always gives one. */
export function perturbationsOf(world: FaultWorld): Perturbations {
  if (world.perturbations === undefined) throw new Error("fault world without perturbations");
  return world.perturbations;
}
