// The world's side of the port's simulation hooks (src/prebuilds/simulationHooks.ts): each
// observation becomes one trace line under the replica's name (and feeds the replica's counters),
// and each perturbation asks the scenario's faults. New perturbation hooks are answered here.
import type { Clock } from "../clock/types.ts";
import type { SimulationHooks } from "../prebuilds/simulationHooks.ts";
import type { TraceRecord } from "../trace/trace.ts";
import type { FaultWindows } from "./faultWindows.ts";

/** What the replica counts of its reconciler's cycles, across its restarts. */
export interface CycleCounts {
  cycles: number;
  lockAcquired: number;
  /** Cycles that found the lock held by another replica. */
  lockSkipped: number;
  /** Cycles that ended with an error. */
  failedCycles: number;
  /** Virtual duration of every cycle, in order. */
  readonly cycleDurationsMs: number[];
}

export interface ReconcilerHooksDeps {
  /** The replica: the trace lines' actor. */
  readonly actor: string;
  readonly emit: (record: TraceRecord) => void;
  readonly counts: CycleCounts;
  readonly faults: FaultWindows;
  /** The shared virtual clock (faults are scheduled on it, not on the replica's skewed view). */
  readonly clock: Clock;
}

export function reconcilerHooks({
  actor,
  emit,
  counts,
  faults,
  clock,
}: ReconcilerHooksDeps): SimulationHooks {
  return {
    cycleStart: (e) => emit({ actor, kind: "reconcile.cycle.start", ...e }),
    cycleEnd: (e) => {
      counts.cycles += 1;
      counts.cycleDurationsMs.push(e.elapsedMs);
      if (e.error !== undefined) counts.failedCycles += 1;
      if (e.lockAcquired) counts.lockAcquired += 1;
      else if (e.error === undefined) counts.lockSkipped += 1;
      emit({ actor, kind: "reconcile.cycle.end", ...e });
    },
    presetEvaluated: (e) => emit({ actor, kind: "reconcile.preset", ...e }),
    presetStatusChanged: (e) => emit({ actor, kind: "preset.status", ...e }),
    jobNotificationDropped: (e) => emit({ actor, kind: "notify.drop", ...e }),
    provisionNotifyRefused: () => faults.notificationsRefused(clock.now()),
  };
}
