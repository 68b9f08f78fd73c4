// Action kinds and IsNoop (spec §1.1, §3.8).
import { describe, expect, it } from "vitest";
import {
  ActionType,
  actionTypeName,
  backoffAction,
  cancelPendingAction,
  createAction,
  deleteAction,
  isNoop,
} from "../../src/prebuilds/reconciliationActions.ts";

describe("ActionType", () => {
  it("numbers the kinds in upstream's order", () => {
    expect(ActionType).toEqual({ Undefined: 0, Create: 1, Delete: 2, Backoff: 3, CancelPending: 4 });
  });

  it("has a readable name for every kind", () => {
    expect(Object.values(ActionType).map(actionTypeName)).toEqual([
      "undefined",
      "create",
      "delete",
      "backoff",
      "cancel_pending",
    ]);
  });
});

describe("isNoop", () => {
  const cases = [
    { name: "create 0", action: createAction(0), expected: true },
    { name: "create 1", action: createAction(1), expected: false },
    { name: "delete nothing", action: deleteAction([]), expected: true },
    { name: "delete one", action: deleteAction(["a"]), expected: false },
    { name: "backoff until an instant", action: backoffAction(1_000), expected: false },
    {
      name: "backoff until the epoch is still an instant, not Go's zero time",
      action: backoffAction(0),
      expected: false,
    },
    {
      name: "cancel pending carries no payload but is never a no-op",
      action: cancelPendingAction(),
      expected: false,
    },
    {
      name: "an undefined action with no payload",
      action: { ...createAction(0), actionType: ActionType.Undefined },
      expected: true,
    },
  ];
  it.each(cases)("$name", (tc) => {
    expect(isNoop(tc.action)).toBe(tc.expected);
  });
});
