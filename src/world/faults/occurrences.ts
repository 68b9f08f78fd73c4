// Which occurrences a perturbation takes (the notifications it drops or delays, the ticks it
// misses, the cycles it makes act on a stale snapshot): from `at` on, the first `after<Thing>` pass
// untouched, then the next `count` (1 when absent) are taken — or, with `duration`, every one
// inside the window [at, at + duration). A concrete point of a recorded run is `at` with
// `after<Thing>: k`: "the (k+1)-th job notification from 20 minutes on".
import type { z } from "zod";
import type { Duration, Instant } from "../../clock/types.ts";
import { integerField } from "../../scenario/fields.ts";
import type { DataPath } from "../../scenario/problem.ts";
import type { Moment } from "../../scenario/scenario.ts";
import type { Perturbations } from "../perturbations.ts";
import type { FaultNormaliser, FaultWorld, Schedule } from "./faultKind.ts";
import { faultAt, faultDuration, windowOf } from "./fields.ts";

export interface Selection {
  /** How many occurrences from `at` on pass before the fault takes any. */
  readonly after: number;
  /** How many it takes; null: every one inside the window. */
  readonly count: number | null;
  readonly duration: Duration | null;
  /** End of the window; null without one. */
  readonly until: Instant | null;
}

function afterField(what: string) {
  return integerField(0).meta({
    description: `How many ${what} at or after \`at\` pass untouched before the fault takes any (0 when absent).`,
    examples: [0, 4],
  });
}

/**
 * The selection's fields of a fault's mapping — `at`, `count?`, `duration?` and `afterKey?` —
 * where `what` names the occurrences ("notifications") and `afterWhat` those `afterKey` counts.
 */
export function selectionFields<K extends string>(what: string, afterKey: K, afterWhat: string) {
  return {
    at: faultAt,
    count: integerField(1)
      .meta({
        description: `How many ${what} the fault takes (1 when absent); not with \`duration\`.`,
        examples: [1, 3],
      })
      .optional(),
    duration: faultDuration
      .meta({
        description: `Instead of \`count\`: every one of the ${what} inside the window [at, at + duration); it must end by the end of the run.`,
        examples: ["PT10M"],
      })
      .optional(),
    ...({ [afterKey]: afterField(afterWhat).optional() } as {
      [P in K]: z.ZodOptional<ReturnType<typeof afterField>>;
    }),
  };
}

/** `count` or `duration` (not both) and the `after…` field, checked and normalised. */
export function selectionOf(
  f: { readonly at: Duration; readonly count?: number | undefined; readonly duration?: Duration | undefined },
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

/** "from at on" / "inside the window", and past how many, for a `fault.noop` reason. */
export function selectionWhen(s: Pick<Selection, "until" | "after">): string {
  return `${s.until === null ? "from at on" : "inside the window"}${s.after > 0 ? ` past the first ${s.after}` : ""}`;
}

/** The counting, as occurrences come. */
class Occurrences {
  #seen = 0;
  #taken = 0;

  constructor(private readonly s: Moment & Selection) {}

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

  get complete(): boolean {
    return this.s.count !== null && this.#taken >= this.s.count;
  }
}

/** A perturbation's bookkeeping, shared by the kinds that take occurrences. */
export interface Perturbation {
  /** Where to register the fault's rule. */
  readonly rules: Perturbations;
  /**
   * Whether the occurrence at `t` is taken; a taken one disturbs the system until `until`. A
   * `subject` (what the occurrence is about) is listed in the outcome's `subjects` when taken.
   */
  take(t: Instant, until?: Instant, subject?: string): boolean;
  /** All `count` taken (never for a window: its end completes it). */
  readonly complete: boolean;
  /** Reports the outcome now: the last taken occurrence's disturbance has ended. */
  settled(): void;
}

/**
 * `fault.start` at `at` (with the window's end) — or earlier in the same instant, when an
 * occurrence is taken before the fault task's turn — and the outcome (`effectKey` counts what
 * was taken; `noop` says why nothing was) once `settled`, at the window's end, or when the run
 * ends, whichever comes first.
 */
export function perturbation(
  s: Moment & Selection,
  world: FaultWorld,
  schedule: Schedule,
  effectKey: string,
  noop: string,
): Perturbation {
  if (world.perturbations === undefined) throw new Error("fault world without perturbations");
  const occurrences = new Occurrences(s);
  let last: Instant = s.at;
  const subjects: string[] = [];
  const outcome = () => world.outcome({ [effectKey]: occurrences.taken }, last, noop, subjects);
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
  return {
    rules: world.perturbations,
    take(t, until = t, subject) {
      if (!occurrences.take(t)) return false;
      begin();
      last = until;
      if (subject !== undefined) subjects.push(subject);
      return true;
    },
    get complete() {
      return occurrences.complete;
    },
    settled: outcome,
  };
}
