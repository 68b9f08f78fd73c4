// The world's side of the port's simulation hooks (src/prebuilds/simulationHooks.ts): each
// observation becomes one trace line under the replica's name, and each perturbation asks the
// scenario's faults. New perturbation hooks are answered here. Nothing is counted here: the cycle
// numbers of summary.json are counted once, from these lines (src/check/statistics.ts).
import type { Clock } from "../clock/types.ts";
import type { SimulationHooks } from "../prebuilds/simulationHooks.ts";
import type { TraceRecord } from "../trace/trace.ts";
import type { FaultWindows } from "./faultWindows.ts";

export interface ReconcilerHooksDeps {
  /** The replica: the trace lines' actor. */
  readonly actor: string;
  readonly emit: (record: TraceRecord) => void;
  readonly faults: FaultWindows;
  /** The shared virtual clock (faults are scheduled on it, not on the replica's skewed view). */
  readonly clock: Clock;
}

export function reconcilerHooks({ actor, emit, faults, clock }: ReconcilerHooksDeps): SimulationHooks {
  return {
    cycleStart: (e) => emit({ actor, kind: "reconcile.cycle.start", ...e }),
    cycleEnd: (e) => emit({ actor, kind: "reconcile.cycle.end", ...e }),
    presetEvaluated: (e) => emit({ actor, kind: "reconcile.preset", ...e }),
    presetStatusChanged: (e) => emit({ actor, kind: "preset.status", ...e }),
    jobNotificationDropped: (e) => emit({ actor, kind: "notify.drop", ...e }),
    provisionNotifyRefused: () => faults.notificationsRefused(clock.now()),
  };
}
