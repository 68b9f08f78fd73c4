// The trigger the cycle-bound faults share (issue #13 part 1): from `at` on, wait for the named
// replica's (or the lock holder's) reconciliation cycle and strike after some of its store
// operations — the scenario's `afterStatements`, or a count drawn from the seed.
import type { ReplicaRef } from "../../scenario/scenario.ts";
import type { FaultData, FaultWorld } from "./faultKind.ts";
import { armingOffset, type PerturbationPoint, type RunBounds } from "./perturbationPoint.ts";

export interface CycleStrike {
  /** null: whichever replica holds the lock. */
  readonly replica: ReplicaRef | null;
  /** null: drawn from the seed (the fault's own stream, `faults/<kind>/<n>/trigger`). */
  readonly afterStatements: number | null;
  /** Acts on the replica whose cycle it is, on that replica's task. */
  readonly strike: (replica: string) => void;
}

/** Arms the strike now (a `fault.armed` line says for whom and after how many statements). */
export function armCycleStrike(world: FaultWorld, s: CycleStrike): void {
  const afterStatements = s.afterStatements ?? world.drawStatements();
  world.armed(s.replica?.name ?? "holder", afterStatements);
  world.cycles.arm({
    replica: s.replica?.name ?? null,
    afterStatements,
    shrinks: s.afterStatements === null,
    strike: s.strike,
  });
}

/** Why an armed fault never struck. */
export function neverHeldReason(replica: ReplicaRef | null): string {
  return replica === null
    ? "no replica held the reconciliation lock long enough before the end"
    : `${replica.name} did not hold the reconciliation lock long enough again before the end`;
}

/**
 * The trigger that strikes a recorded cycle-statement point (`explore --perturb`): armed just
 * before that cycle for its replica, after the point's statements; null for other points.
 */
export function strikeAtPoint(point: PerturbationPoint, run: RunBounds): FaultData | null {
  if (point.type !== "cycle-statement") return null;
  return {
    at: armingOffset(point, run.start),
    replica: point.replica,
    afterStatements: point.afterStatements,
  };
}
