// `desired-follows-schedule` (safety): the desired count a cycle acts on for a preset (the `desired`
// of its `reconcile.preset` line) is what upstream resolves at that instant on that replica's
// clock (spec §3.5): 0 when inactive; else the first matching schedule of a valid set in the
// preset's time zone, else the static `desired_instances`. The checks evaluate the schedules
// themselves (reference/scheduleTarget.ts). The static count and activity are taken as any
// snapshot in the cycle's window could have read them (an operator may change them meanwhile).
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind } from "../lines.ts";
import type { ReferenceModel } from "../reference/referenceModel.ts";
import type { RunModel } from "../runModel.ts";

export class DesiredFollowsSchedule implements InvariantChecker {
  readonly name = "desired-follows-schedule";
  readonly kind = "safety";
  readonly #log = new ViolationLog(this.name);
  /** preset → whether its last judged line was wrong (one violation per run of wrong lines) */
  readonly #wrong = new Map<string, boolean>();

  constructor(private readonly reference: ReferenceModel) {}

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    if (!isKind(line, "reconcile.preset")) return;
    const key = line.preset;
    const got = line.state.desired;
    if (typeof got !== "number" || this.reference.staticDesired(key) === null) return;
    const now = this.reference.clockOf(line.actor, instantOf(line));
    const views = this.reference.snapshotViews(line.actor, key);
    const expected = new Set(
      views.length === 0
        ? [this.reference.desiredAt(key, now)]
        : views.map((v) => this.reference.desiredAt(key, now, v)),
    );
    const wrong = !expected.has(got);
    const wasWrong = this.#wrong.get(key) ?? false;
    this.#wrong.set(key, wrong);
    if (!wrong || wasWrong) return;
    this.#log.add(
      instantOf(line),
      key,
      `${line.actor} acted on desired ${got} for ${key} at ${new Date(now).toISOString()} (its clock), but the preset's configuration gives ${[...expected].join(" or ")}`,
      [model.cycle(line.actor)?.startLine, line.seq],
    );
  }

  finish(): void {}
}
