// `build-failures`: builds finishing inside the window fail with `rate` (of one preset and one
// transition, or all), on top of the presets' own failure rates. The provisioner asks
// `world/buildFailures.ts` about each build it finishes.
import { z } from "zod";
import type { WorkspaceTransition } from "../../db/rows.ts";
import { presetRefField } from "../../scenario/fields.ts";
import { presetRefKey } from "../../scenario/presetRef.ts";
import type { FaultWindow, PresetRef } from "../../scenario/scenario.ts";
import type { FaultKind } from "./faultKind.ts";
import { faultAt, faultDuration, faultRate, kindField, roundRate, varyWindow, windowOf } from "./fields.ts";

export type BuildFailures = {
  readonly kind: "build-failures";
  /** Probability that a matching build fails inside the window. */
  readonly rate: number;
  /** null: builds of every preset. */
  readonly preset: PresetRef | null;
  /** null: builds of every transition. */
  readonly transition: WorkspaceTransition | null;
} & FaultWindow;

const schema = z.strictObject({
  kind: kindField("build-failures", "Builds finishing inside the window fail with the given probability."),
  at: faultAt,
  duration: faultDuration,
  rate: faultRate("Probability that a matching build fails inside the window."),
  preset: presetRefField
    .meta({
      description: "Only builds of this preset (`template/preset`); all builds when absent.",
      examples: ["dev/small"],
    })
    .optional(),
  transition: z
    .enum(["start", "stop", "delete"])
    .meta({
      description: "Only builds of this transition; every transition when absent.",
      examples: ["start"],
    })
    .optional(),
});

export const buildFailures: FaultKind<"build-failures", BuildFailures, typeof schema> = {
  kind: "build-failures",
  schema,
  normalise: (f, path, n) => ({
    kind: f.kind,
    ...windowOf(f, path, n),
    rate: f.rate,
    preset: f.preset === undefined ? null : n.presetRef(f.preset, [...path, "preset"]),
    transition: f.transition ?? null,
  }),
  parameters: (f) => ({
    rate: f.rate,
    preset: f.preset === null ? null : presetRefKey(f.preset),
    transition: f.transition,
  }),
  settleEnd: (f) => f.until,
  vary(data, draws) {
    varyWindow(data, draws);
    if (typeof data.rate === "number") data.rate = roundRate(0.05 + draws.next() * 0.95);
  },
  arbitrary: (a) =>
    a.fc
      .tuple(
        a.window,
        a.probability,
        a.fc.option(a.fc.constantFrom(...a.presetRefs), { nil: undefined }),
        a.fc.option(a.fc.constantFrom("start" as const, "stop" as const, "delete" as const), {
          nil: undefined,
        }),
      )
      .map(([w, rate, preset, transition]) => ({
        kind: "build-failures" as const,
        ...w,
        rate,
        preset,
        transition,
      })),
  effectWords: { buildsFailed: ["build failed", "builds failed"] },
  inject(f, world, schedule) {
    schedule(f.at, 0, () => world.start(f.until));
    schedule(f.until, 1, () => {
      world.end();
      const { covered, failed } = world.windows.buildsIn(f);
      const reason =
        covered === 0
          ? "no matching build finished inside the window"
          : `${covered} matching build${covered === 1 ? "" : "s"} finished inside the window, none failed`;
      world.outcome({ buildsFailed: failed }, f.until, reason);
    });
  },
};
