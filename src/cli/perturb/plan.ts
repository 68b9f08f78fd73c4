// Which perturbations `explore --perturb` runs: every (point, fault kind) pair a kind can strike,
// in the order the points were recorded — all of them (`all`, at most `--max-runs` per seed,
// spread evenly over the list when there are more), or one per seed drawn from the seed
// (`sample`, stream `perturb/point` of the seed, so other draws do not shift).
import { Rng } from "../../kernel/rng.ts";
import { InputError } from "../../run/inputError.ts";
import type { FaultData } from "../../world/faults/faultKind.ts";
import type { PerturbationPoint, RunBounds } from "../../world/faults/perturbationPoint.ts";
import { FAULT_MODULES } from "../../world/faults/registry.ts";

export type PerturbMode = "all" | "sample";
export const PERTURB_MODES: readonly PerturbMode[] = ["all", "sample"];

/** `--max-runs` when not given. */
export const DEFAULT_MAX_RUNS = 200;

export interface Perturbation {
  /** 1 for the first of the seed's perturbations (the run directory's name carries it). */
  readonly number: number;
  readonly point: PerturbationPoint;
  /** The fault as the scenario file writes it. */
  readonly fault: FaultData;
}

/** The fault kinds that can perturb a run (their modules have `perturbAt`), in registry order. */
export const PERTURBING_KINDS: readonly string[] = FAULT_MODULES.filter((m) => m.perturbAt !== undefined).map(
  (m) => m.kind,
);

/** Every fault of `kinds` at every point it can strike, point by point. */
export function perturbationsOf(
  points: readonly PerturbationPoint[],
  kinds: readonly string[],
  run: RunBounds,
): Perturbation[] {
  const modules = FAULT_MODULES.filter((m) => kinds.includes(m.kind));
  const out: Perturbation[] = [];
  for (const point of points) {
    for (const m of modules) {
      const fault = m.perturbAt?.(point, run) ?? null;
      if (fault !== null) out.push({ number: out.length + 1, point, fault });
    }
  }
  return out;
}

/** At most `max` of `items`, evenly spaced over the whole list (the first always among them). */
export function spreadEvenly<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  return Array.from({ length: max }, (_, i) => items[Math.floor((i * items.length) / max)] as T);
}

/** The perturbation seed `seed` draws, or null when there is none to draw. */
export function sampledPerturbation(
  perturbations: readonly Perturbation[],
  seed: number,
): Perturbation | null {
  if (perturbations.length === 0) return null;
  return perturbations[new Rng(seed).stream("perturb/point").int(perturbations.length)] ?? null;
}

/** `--max-runs N`: at least one perturbed run. */
export function parseMaxRuns(text: string): number {
  const n = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InputError(`--max-runs: expected a positive whole number of perturbed runs, got ${text}`);
  return n;
}

/** `--perturb-faults a,b`: fault kinds that can perturb. */
export function parsePerturbFaults(text: string): string[] {
  const kinds = text.split(",").map((k) => k.trim());
  const unknown = kinds.filter((k) => !PERTURBING_KINDS.includes(k));
  if (unknown.length > 0 || kinds.length === 0)
    throw new InputError(
      `--perturb-faults: expected fault kinds among ${PERTURBING_KINDS.join(", ")}, got ${unknown.join(", ") || "nothing"}`,
    );
  return kinds;
}
