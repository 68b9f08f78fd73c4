// Scenario fields several fault kinds share, each documented once, and the swarm helpers that
// rewrite them.
import { z } from "zod";
import type { Duration } from "../../clock/types.ts";
import { durationField, integerField, nameField, probabilityField } from "../../scenario/fields.ts";
import { formatIsoDuration, parseIsoDuration } from "../../scenario/isoTime.ts";
import type { DataPath } from "../../scenario/problem.ts";
import type { FaultWindow, ReplicaRef } from "../../scenario/scenario.ts";
import type { FaultArbitraries, FaultData, FaultNormaliser, SwarmDraws } from "./faultKind.ts";

export const faultAt = durationField("nonNegative").meta({
  description: "When the fault strikes, as an offset from the scenario's start.",
  examples: ["PT20M", "PT1H30M"],
});

export const faultDuration = durationField("positive").meta({
  description: "How long the fault's window lasts; it must end by the end of the run.",
  examples: ["PT10M"],
});

export const faultRate = (what: string) => probabilityField.meta({ description: what, examples: [0.2, 1] });

/** A replica by number (0 is the first) or by name. */
export const replicaRefField = z
  .union([integerField(0), nameField], {
    error: "expected a replica number (0 is the first) or a replica name",
  })
  .meta({ description: "The replica, by number (0 is the first) or by name.", examples: [0, "replica-1"] });

/** A replica by number or name, or `holder`: whichever replica holds the reconciliation lock. */
export const replicaOrHolderField = z
  .union([integerField(0), z.literal("holder"), nameField], {
    error: "expected a replica number (0 is the first), a replica name or holder",
  })
  .meta({
    description:
      "The replica, by number (0 is the first) or by name; `holder`: whichever replica holds the reconciliation lock.",
    examples: [0, "replica-1", "holder"],
  });

/** `holder` resolves to null (decided when the fault strikes); anything else to the replica. */
export function replicaOrHolder(ref: number | string, path: DataPath, n: FaultNormaliser): ReplicaRef | null {
  return ref === "holder" ? null : n.replicaRef(ref, path);
}

export const duringField = z.literal("cycle", { error: "expected cycle" }).meta({
  description:
    "Strike partway through the replica's next reconciliation cycle at or after `at` (while it holds the lock), after `afterStatements` of its store operations.",
  examples: ["cycle"],
});

export const afterStatementsField = integerField(0).meta({
  description:
    "How many of the cycle's store operations run before the fault strikes; drawn from the seed when absent.",
  examples: [0, 5],
});

export function kindField<K extends string>(kind: K, description: string) {
  return z.literal(kind).meta({ description, examples: [kind] });
}

function durationOf(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const parsed = parseIsoDuration(value);
  return parsed.ok ? parsed.value : undefined;
}

/** Rounds to whole seconds (at least one): scenario files read better that way. */
function seconds(ms: number): string {
  return formatIsoDuration(Math.max(1000, Math.round(ms / 1000) * 1000));
}

export function roundRate(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A window's length scaled by 0.5–2× (at most half the run), then its start drawn over the first three quarters. */
export function varyWindow(data: FaultData, draws: SwarmDraws): void {
  const length = durationOf(data.duration);
  if (length !== undefined) data.duration = seconds(Math.min(length * draws.scale(), draws.total / 2));
  varyAt(data, draws);
}

/** The start drawn over the first three quarters of the run (less the window, if any). */
export function varyAt(data: FaultData, draws: SwarmDraws): void {
  const window = durationOf(data.duration) ?? 0;
  data.at = seconds(draws.next() * Math.max(0, draws.total * 0.75 - window));
}

/** A duration field scaled by 0.5–2×. */
export function varyDuration(data: FaultData, key: string, draws: SwarmDraws): void {
  const length = durationOf(data[key]);
  if (length !== undefined) data[key] = seconds(length * draws.scale());
}

/** A signed duration field redrawn within ±2× its size. */
export function varySignedDuration(data: FaultData, key: string, draws: SwarmDraws): void {
  const raw = data[key];
  const size = durationOf(typeof raw === "string" ? raw.replace(/^-/, "") : undefined);
  if (size === undefined) return;
  const skew = Math.round((draws.next() * 4 - 2) * size);
  data[key] = skew < 0 ? `-${formatIsoDuration(-skew)}` : formatIsoDuration(skew);
}

/** `at` and `duration` checked against the run and turned into a window [at, until). */
export function windowOf(
  f: { readonly at: Duration; readonly duration: Duration },
  path: DataPath,
  n: FaultNormaliser,
): FaultWindow {
  const moment = n.moment(f.at, [...path, "at"]);
  n.windowEnd(f.at, f.duration, [...path, "duration"]);
  return { ...moment, duration: f.duration, until: moment.at + f.duration };
}

/** Generated timing of a replica's tick fault: a replica, a count and a number to let pass. */
export function tickFaultArbitrary(a: FaultArbitraries) {
  return a.fc.record({
    at: a.at,
    replica: a.replica,
    count: a.fc.integer({ min: 1, max: 3 }),
    after: a.fc.integer({ min: 0, max: 5 }),
  });
}
