// `provisioning-bounded` (safety): a cycle creates no more prebuilds for a preset than
// desired − running − starting (spec §3.7: Create = max(D − R − S, 0), R the running prebuilds that
// are not expired), counted by the reference model as the cycle's snapshot could have seen them —
// so running + starting never exceeds desired by the reconciler's own doing. A reconciler that
// ignores in-progress builds (creates D − R every cycle) breaks it at its second cycle.
// Legitimate over-provisioning is not flagged because each cycle is judged on its own snapshot:
// a replica that lost its lock mid-cycle and a replica that acquired it meanwhile each create what
// their snapshots justified (the overlap of spec §10.1.1); a claim racing a delete, a lowered
// desired count or a finished start are dealt with by later cycles' deletions, not creations.
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind } from "../lines.ts";
import type { ReferenceModel } from "../reference/referenceModel.ts";
import type { RunModel } from "../runModel.ts";
import { isPrebuildCreation } from "./createClamped.ts";

interface Decision {
  bound: number;
  /** What the bound came from, formatted only for a violation (this runs per preset per cycle). */
  desired: number;
  running: number;
  starting: number;
  line: number;
  created: number[];
  reported: boolean;
}

export class ProvisioningBounded implements InvariantChecker {
  readonly name = "provisioning-bounded";
  readonly kind = "safety";
  readonly #log = new ViolationLog(this.name);
  /** actor → preset → what its current cycle may create */
  readonly #decisions = new Map<string, Map<string, Decision>>();

  constructor(private readonly reference: ReferenceModel) {}

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    const actor = line.actor;
    if (isKind(line, "reconcile.cycle.start")) {
      this.#decisions.set(actor, new Map());
    } else if (isKind(line, "reconcile.preset")) {
      const key = line.preset;
      const views = this.reference.snapshotViews(actor, key);
      const decisions = this.#decisions.get(actor);
      if (views.length === 0 || decisions === undefined) return;
      const now = this.reference.clockOf(actor, instantOf(line));
      let best: Omit<Decision, "line" | "created" | "reported"> | undefined;
      for (const v of views) {
        const desired = this.reference.desiredAt(key, now, v);
        const running = this.reference.unexpired(v, key, now).length;
        const bound = Math.max(desired - running - v.starting, 0);
        if (best === undefined || bound > best.bound)
          best = { bound, desired, running, starting: v.starting };
      }
      if (best === undefined) return;
      decisions.set(key, { ...best, line: line.seq, created: [], reported: false });
    } else if (isKind(line, "build.create") && isPrebuildCreation(line)) {
      const key = model.presetKey(line.preset);
      const decision = key === null ? undefined : this.#decisions.get(actor)?.get(key);
      if (key === null || decision === undefined) return;
      decision.created.push(line.seq);
      if (decision.reported || decision.created.length <= decision.bound) return;
      decision.reported = true;
      this.#log.add(
        instantOf(line),
        key,
        `${actor} created ${decision.created.length} prebuild(s) for ${key} in one cycle, but its snapshot allowed at most ${decision.bound} (desired ${decision.desired}, running ${decision.running}, starting ${decision.starting})`,
        [model.cycle(actor)?.startLine, decision.line, ...decision.created],
      );
    }
  }

  finish(): void {}
}
