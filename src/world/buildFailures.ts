// Whether a build fails: the preset's own failure rate for start builds (SCENARIOS.md
// `failureRate`), combined with every `build-failures` fault window that covers the build. Each
// source is an independent chance of failure, so a rate-1.0 window fails everything it covers and
// windows never make a broken preset healthier.
import type { Instant } from "../clock/types.ts";
import type { WorkspaceTransition } from "../db/rows.ts";
import type { Fault } from "../scenario/scenario.ts";
import type { CatalogPreset } from "./catalog.ts";

export type BuildFailureWindow = Extract<Fault, { kind: "build-failures" }>;

export interface BuildToJudge {
  readonly transition: WorkspaceTransition;
  /** The build's preset, or undefined for builds without one. */
  readonly preset: CatalogPreset | undefined;
}

export function windowCovers(w: BuildFailureWindow, build: BuildToJudge, at: Instant): boolean {
  if (at < w.at || at >= w.until) return false;
  if (w.transition !== null && w.transition !== build.transition) return false;
  if (w.preset === null) return true;
  return (
    build.preset !== undefined &&
    build.preset.template === w.preset.template &&
    (w.preset.version === undefined || build.preset.version === w.preset.version) &&
    build.preset.name === w.preset.preset
  );
}

/**
 * The probability that `build`, finishing at `at`, fails. `defaultStartFailureRate` covers start
 * builds without a preset (a preset's own rate already falls back to it in the scenario).
 */
export function buildFailureProbability(
  build: BuildToJudge,
  at: Instant,
  windows: readonly BuildFailureWindow[],
  defaultStartFailureRate: number,
): number {
  const base = build.transition === "start" ? (build.preset?.spec.failureRate ?? defaultStartFailureRate) : 0;
  let survive = 1 - base;
  for (const w of windows) if (windowCovers(w, build, at)) survive *= 1 - w.rate;
  return 1 - survive;
}
