// The port's only view of the simulation. Upstream's reconciler has no such thing: what it reports
// goes to tracer spans and debug logs, and nothing outside it reaches in. The simulation needs both
// directions, so they pass through this one narrow interface, injected by whoever builds the
// reconciler (the world's replica; tests pass their own), as TigerBeetle injects its faults into
// storage and network rather than into the replica. A reconciler built without hooks behaves as
// upstream's.
//
// Two kinds of hook:
// - observations: what the reconciler did, reported as it happens. They must not wait (they run on
//   the reconciler's task) and must not change its course. The payloads are plain data, shaped so
//   the world can write each as one trace line (the trace kinds `reconcile.cycle.start`,
//   `reconcile.cycle.end`, `reconcile.preset`, `preset.status`, `notify.drop`) without reshaping;
//   the port itself knows nothing of the trace.
// - perturbations: questions the port asks at the one point where the world may disturb it (a
//   fault). Each answers synchronously and defaults to "undisturbed". New perturbations (a stale
//   snapshot, a missed ticker tick, a dropped notification) are added here as one more optional
//   hook, asked at its line in the port and marked there `// simulation hook: …`.
import type { ReconciliationState } from "./presetSnapshot.ts";
import { actionTypeName, type ReconciliationActions } from "./reconciliationActions.ts";

/** A cycle began (before the lock is tried). */
export type CycleStartEvent = Record<string, never>;

/** A cycle ended, whatever the outcome. */
export interface CycleEndEvent {
  /** Virtual time the cycle took, lock wait included. */
  elapsedMs: number;
  lockAcquired: boolean;
  paused: boolean;
  presetsTotal: number;
  presetsReconciled: number;
  /** Why the cycle failed, when it did. */
  error?: string;
}

/** An action as the hooks report it: only the payload its type uses. */
export interface ReportedAction {
  type: string;
  create?: number;
  deleteIds?: string[];
  /** ISO instant. */
  backoffUntil?: string;
}

/** One preset's state and the actions calculated for it, before they run. */
export interface PresetEvaluatedEvent {
  /** `template/version/preset` (presetReportKey). */
  preset: string;
  presetId: string;
  state: Record<string, number>;
  actions: ReportedAction[];
}

/** The reconciler changed a preset's stored prebuild status. */
export interface PresetStatusEvent {
  preset: string;
  presetId: string;
  status: string;
}

/** A provision notification the full (or refusing) queue dropped. */
export interface JobNotificationDroppedEvent {
  job: string;
}

/** Every hook is optional; see the file comment for the two kinds. */
export interface SimulationHooks {
  // Observations.
  cycleStart?(event: CycleStartEvent): void;
  cycleEnd?(event: CycleEndEvent): void;
  presetEvaluated?(event: PresetEvaluatedEvent): void;
  presetStatusChanged?(event: PresetStatusEvent): void;
  jobNotificationDropped?(event: JobNotificationDroppedEvent): void;

  // Perturbations.
  /** While it returns true the provision-notify queue refuses every job (a fault); default false. */
  provisionNotifyRefused?(): boolean;
}

/** No simulation: what upstream's reconciler is. */
export const NO_SIMULATION_HOOKS: SimulationHooks = Object.freeze({});

/** How hook payloads name presets: `template/version/preset`. */
export function presetReportKey(preset: {
  templateName: string;
  templateVersionName: string;
  name: string;
}): string {
  return `${preset.templateName}/${preset.templateVersionName}/${preset.name}`;
}

export function stateReportFields(state: ReconciliationState): Record<string, number> {
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

export function actionReportFields(action: ReconciliationActions): ReportedAction {
  const fields: ReportedAction = { type: actionTypeName(action.actionType) };
  if (action.create > 0) fields.create = action.create;
  if (action.deleteIds.length > 0) fields.deleteIds = [...action.deleteIds];
  if (action.backoffUntil !== null) fields.backoffUntil = new Date(action.backoffUntil).toISOString();
  return fields;
}
