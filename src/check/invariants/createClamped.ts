// `create-clamped` (safety): no reconcile cycle creates more prebuilds for a preset than its desired
// count (upstream's safety clamp, spec §4.8), and none at all for a preset that is not active.
// Creations are counted from the builds written, per replica cycle; the bound is the desired count
// the cycle worked with, and independently the most the scenario can ever ask of that preset.

import type { Scenario } from "../../scenario/scenario.ts";
import { presetKey } from "../../trace/presetKey.ts";
import type { TraceLine } from "../../trace/trace.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind, type LineOf, PREBUILDS_INITIATOR } from "../lines.ts";
import type { RunModel } from "../runModel.ts";

interface PresetInCycle {
  /** `state.desired` of the cycle's reconcile.preset line for it. */
  desired: number | undefined;
  reconcileLine: number | undefined;
  activeAtStart: boolean;
  createLines: number[];
  reported: boolean;
}

/** True for the first build of a new prebuilt workspace. */
export function isPrebuildCreation(line: LineOf<"build.create">): boolean {
  return line.initiator === PREBUILDS_INITIATOR && line.transition === "start" && line.buildNumber === 1;
}

/** The largest desired count the scenario can give a preset: its static count, its schedules, setDesired events. */
export function scenarioDesiredCeiling(scenario: Scenario): Map<string, number> {
  const ceiling = new Map<string, number>();
  for (const t of scenario.templates)
    for (const v of t.versions)
      for (const p of v.presets) {
        let most = p.desiredInstances ?? 0;
        for (const s of p.scheduling?.schedules ?? []) most = Math.max(most, s.instances);
        ceiling.set(presetKey(t.name, v.name, p.name), most);
      }
  for (const e of scenario.events)
    if (e.kind === "setDesired") {
      const key = presetKey(e.template, e.version, e.preset);
      ceiling.set(key, Math.max(ceiling.get(key) ?? 0, e.instances));
    }
  return ceiling;
}

export class CreateClamped implements InvariantChecker {
  readonly name = "create-clamped";
  readonly kind = "safety";
  readonly #log = new ViolationLog(this.name);
  /** actor → preset key → what that actor's open cycle did for the preset */
  readonly #cycles = new Map<string, Map<string, PresetInCycle>>();
  #ceiling: Map<string, number> | undefined;

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    if (isKind(line, "reconcile.cycle.start")) {
      this.#cycles.set(line.actor, new Map());
    } else if (isKind(line, "reconcile.cycle.end")) {
      this.#cycles.delete(line.actor);
    } else if (isKind(line, "reconcile.preset")) {
      const entry = this.#entry(line.actor, line.preset, model);
      if (entry === undefined) return;
      entry.desired = typeof line.state.desired === "number" ? line.state.desired : undefined;
      entry.reconcileLine = line.seq;
    } else if (isKind(line, "build.create") && isPrebuildCreation(line)) {
      const key = model.presetKey(line.preset);
      if (key === null) return;
      const entry = this.#entry(line.actor, key, model);
      if (entry === undefined) return;
      entry.createLines.push(line.seq);
      this.#judge(line, key, entry, model);
    }
  }

  #entry(actor: string, key: string, model: RunModel): PresetInCycle | undefined {
    const cycle = this.#cycles.get(actor);
    if (cycle === undefined) return undefined;
    let entry = cycle.get(key);
    if (entry === undefined) {
      entry = {
        desired: undefined,
        reconcileLine: undefined,
        activeAtStart: model.isActive(key),
        createLines: [],
        reported: false,
      };
      cycle.set(key, entry);
    }
    return entry;
  }

  #judge(line: LineOf<"build.create">, key: string, entry: PresetInCycle, model: RunModel): void {
    if (entry.reported) return;
    this.#ceiling ??= scenarioDesiredCeiling(model.scenario);
    const created = entry.createLines.length;
    const ceiling = this.#ceiling.get(key) ?? 0;
    let why: string | undefined;
    if (!entry.activeAtStart && !model.isActive(key)) why = `${key} is not active`;
    else if (entry.desired !== undefined && created > entry.desired)
      why = `the cycle's desired count is ${entry.desired}`;
    else if (created > ceiling) why = `the scenario never asks for more than ${ceiling}`;
    if (why === undefined) return;
    entry.reported = true;
    const cycle = model.cycle(line.actor);
    this.#log.add(
      instantOf(line),
      key,
      `${line.actor} created ${created} prebuild(s) for ${key} in one cycle, but ${why}`,
      [cycle?.startLine, entry.reconcileLine, ...entry.createLines],
    );
  }

  finish(): void {}
}
