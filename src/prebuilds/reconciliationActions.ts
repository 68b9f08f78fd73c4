// What the state machine asks the reconciler to do for one preset (spec §3.7, §3.8).
import type { Instant } from "../clock/types.ts";

/** Action kinds, numbered as upstream's enumeration. */
export const ActionType = {
  Undefined: 0,
  Create: 1,
  Delete: 2,
  Backoff: 3,
  CancelPending: 4,
} as const;
export type ActionType = (typeof ActionType)[keyof typeof ActionType];

const ACTION_TYPE_NAMES: Readonly<Record<ActionType, string>> = {
  [ActionType.Undefined]: "undefined",
  [ActionType.Create]: "create",
  [ActionType.Delete]: "delete",
  [ActionType.Backoff]: "backoff",
  [ActionType.CancelPending]: "cancel_pending",
};

/** A readable name for logs and traces. */
export function actionTypeName(type: ActionType): string {
  return ACTION_TYPE_NAMES[type];
}

/**
 * One action. Which payload field is meaningful depends on the type; the others keep their
 * zero values (0, no ids, no instant), as upstream's struct does.
 */
export interface ReconciliationActions {
  readonly actionType: ActionType;
  /** Create: how many prebuilds to create. */
  readonly create: number;
  /** Delete: which prebuilt workspaces to delete, in this order. */
  readonly deleteIds: readonly string[];
  /** Backoff: the instant until which the preset is left alone; null is Go's zero time. */
  readonly backoffUntil: Instant | null;
}

export function createAction(count: number): ReconciliationActions {
  return { actionType: ActionType.Create, create: count, deleteIds: [], backoffUntil: null };
}

export function deleteAction(ids: readonly string[]): ReconciliationActions {
  return { actionType: ActionType.Delete, create: 0, deleteIds: ids, backoffUntil: null };
}

export function backoffAction(until: Instant): ReconciliationActions {
  return { actionType: ActionType.Backoff, create: 0, deleteIds: [], backoffUntil: until };
}

export function cancelPendingAction(): ReconciliationActions {
  return { actionType: ActionType.CancelPending, create: 0, deleteIds: [], backoffUntil: null };
}

/** Upstream's `IsNoop`: nothing to do. CancelPending carries no payload but is never a no-op. */
export function isNoop(action: ReconciliationActions): boolean {
  return (
    action.actionType !== ActionType.CancelPending &&
    action.create === 0 &&
    action.deleteIds.length === 0 &&
    action.backoffUntil === null
  );
}
