// What the reconciler reports as it works, standing in for upstream's tracer spans and debug logs.
// The payloads have exactly the fields of the trace kinds `reconcile.cycle.start`,
// `reconcile.cycle.end`, `reconcile.preset` and `preset.status` (src/trace/events.ts), so the world
// turns each call into one trace line without reshaping it.
import type { TraceKinds } from "../trace/events.ts";
import type { ReconciliationState } from "./presetSnapshot.ts";
import { actionTypeName, type ReconciliationActions } from "./reconciliationActions.ts";

export type CycleStartEvent = TraceKinds["reconcile.cycle.start"];
export type CycleEndEvent = TraceKinds["reconcile.cycle.end"];
export type PresetEvaluatedEvent = TraceKinds["reconcile.preset"];
export type PresetStatusEvent = TraceKinds["preset.status"];

/** A provision notification the full queue refused (trace kind `notify.drop`). */
export type JobNotificationDroppedEvent = TraceKinds["notify.drop"];

/** Every hook is optional; hooks must not wait (they run on the reconciler's task). */
export interface ReconcilerObserver {
  cycleStart?(event: CycleStartEvent): void;
  cycleEnd?(event: CycleEndEvent): void;
  /** One preset's state and the actions calculated for it, before they run. */
  presetEvaluated?(event: PresetEvaluatedEvent): void;
  /** The reconciler changed a preset's stored prebuild status. */
  presetStatusChanged?(event: PresetStatusEvent): void;
  jobNotificationDropped?(event: JobNotificationDroppedEvent): void;
}

/** How presets are named in traces: `template/version/preset`. */
export function presetTraceKey(preset: {
  templateName: string;
  templateVersionName: string;
  name: string;
}): string {
  return `${preset.templateName}/${preset.templateVersionName}/${preset.name}`;
}

export function stateTraceFields(state: ReconciliationState): Record<string, number> {
  return {
    actual: state.actual,
    expired: state.expired,
    desired: state.desired,
    eligible: state.eligible,
    extraneous: state.extraneous,
    starting: state.starting,
    stopping: state.stopping,
    deleting: state.deleting,
  };
}

/** An action as a trace line carries it: only the payload its type uses. */
export function actionTraceFields(action: ReconciliationActions): PresetEvaluatedEvent["actions"][number] {
  const fields: PresetEvaluatedEvent["actions"][number] = { type: actionTypeName(action.actionType) };
  if (action.create > 0) fields.create = action.create;
  if (action.deleteIds.length > 0) fields.deleteIds = [...action.deleteIds];
  if (action.backoffUntil !== null) fields.backoffUntil = new Date(action.backoffUntil).toISOString();
  return fields;
}
