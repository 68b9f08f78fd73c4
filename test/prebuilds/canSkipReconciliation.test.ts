// Upstream's TestCanSkipReconciliation (spec §9.1): CanSkip only when every action is a no-op.
import { describe, expect, it } from "vitest";
import { MINUTE } from "../../src/clock/types.ts";
import type { PresetBackoffRow, RunningPrebuildRow, TemplatePresetRow } from "../../src/db/rows.ts";
import { MemoryLogger } from "../../src/prebuilds/logger.ts";
import { PresetSnapshot } from "../../src/prebuilds/presetSnapshot.ts";
import { ActionType, isNoop } from "../../src/prebuilds/reconciliationActions.ts";
import { optionSet0, preset, runningPrebuilds, TestClock } from "./fixtures.ts";

const backoffInterval = 5 * MINUTE;
const clock = new TestClock();
const backoff: PresetBackoffRow = {
  templateVersionId: optionSet0.templateVersionId,
  presetId: optionSet0.presetId,
  numFailed: 3,
  lastBuildAt: clock.now() - MINUTE,
};

interface Case {
  name: string;
  preset: Partial<TemplatePresetRow> & { desiredInstances: number | null };
  running: number;
  pendingCount: number;
  backoff: PresetBackoffRow | null;
  isHardLimited: boolean;
  expectedCanSkip: boolean;
  expectedActionNoOp: boolean;
  /** The action that makes the list not a no-op, when there is one. */
  expectedAction?: ActionType;
}

const inactive = { usingActiveVersion: false, deleted: false, deprecated: false };
const active = { usingActiveVersion: true, deleted: false, deprecated: false };

const cases: Case[] = [
  {
    name: "inactive_with_nothing_to_cleanup",
    preset: { ...inactive, desiredInstances: 5 },
    running: 0,
    pendingCount: 0,
    backoff: null,
    isHardLimited: false,
    expectedCanSkip: true,
    expectedActionNoOp: true,
  },
  {
    name: "inactive_with_running_workspaces",
    preset: { ...inactive, desiredInstances: null },
    running: 1,
    pendingCount: 0,
    backoff: null,
    isHardLimited: false,
    expectedCanSkip: false,
    expectedActionNoOp: false,
    expectedAction: ActionType.Delete,
  },
  {
    name: "inactive_with_pending_jobs",
    preset: { ...inactive, desiredInstances: null },
    running: 0,
    pendingCount: 3,
    backoff: null,
    isHardLimited: false,
    expectedCanSkip: false,
    expectedActionNoOp: false,
    expectedAction: ActionType.CancelPending,
  },
  {
    name: "inactive_with_backoff",
    preset: { ...inactive, desiredInstances: null },
    running: 0,
    pendingCount: 0,
    backoff,
    isHardLimited: false,
    expectedCanSkip: false,
    expectedActionNoOp: false,
    expectedAction: ActionType.Backoff,
  },
  {
    name: "inactive_deleted_template_with_nothing_to_cleanup",
    preset: { ...inactive, deleted: true, desiredInstances: null },
    running: 0,
    pendingCount: 0,
    backoff: null,
    isHardLimited: false,
    expectedCanSkip: true,
    expectedActionNoOp: true,
  },
  {
    name: "inactive_deprecated_template_with_nothing_to_cleanup",
    preset: { ...inactive, deprecated: true, desiredInstances: null },
    running: 0,
    pendingCount: 0,
    backoff: null,
    isHardLimited: false,
    expectedCanSkip: true,
    expectedActionNoOp: true,
  },
  {
    name: "inactive_hard_limited",
    preset: { ...inactive, desiredInstances: null },
    running: 0,
    pendingCount: 0,
    backoff: null,
    isHardLimited: true,
    expectedCanSkip: true,
    expectedActionNoOp: true,
  },
  {
    name: "active_with_desired_instances",
    preset: { ...active, desiredInstances: 2 },
    running: 2,
    pendingCount: 0,
    backoff: null,
    isHardLimited: false,
    expectedCanSkip: false,
    expectedActionNoOp: true,
  },
  {
    name: "active_with_no_workspaces",
    preset: { ...active, desiredInstances: 5 },
    running: 0,
    pendingCount: 0,
    backoff: null,
    isHardLimited: false,
    expectedCanSkip: false,
    expectedActionNoOp: false,
    expectedAction: ActionType.Create,
  },
  {
    name: "active_with_backoff",
    preset: { ...active, desiredInstances: 5 },
    running: 0,
    pendingCount: 0,
    backoff,
    isHardLimited: false,
    expectedCanSkip: false,
    expectedActionNoOp: false,
    expectedAction: ActionType.Backoff,
  },
  // Hard-limit gating happens when executing Create, not here.
  {
    name: "active_hard_limited",
    preset: { ...active, desiredInstances: 5 },
    running: 0,
    pendingCount: 0,
    backoff: null,
    isHardLimited: true,
    expectedCanSkip: false,
    expectedActionNoOp: false,
    expectedAction: ActionType.Create,
  },
];

describe("TestCanSkipReconciliation", () => {
  it.each(cases)("$name", (tc) => {
    const running: RunningPrebuildRow[] = runningPrebuilds(optionSet0, tc.running, () => clock.now());
    const ps = new PresetSnapshot({
      preset: preset(
        tc.preset.usingActiveVersion ?? false,
        tc.preset.desiredInstances,
        optionSet0,
        tc.preset,
      ),
      prebuildSchedules: [],
      running,
      expired: [],
      inProgress: [],
      pendingCount: tc.pendingCount,
      backoff: tc.backoff,
      isHardLimited: tc.isHardLimited,
      clock,
      logger: new MemoryLogger(),
    });

    const canSkip = ps.canSkipReconciliation();
    expect(canSkip).toBe(tc.expectedCanSkip);
    const actions = ps.calculateActions(backoffInterval);
    const actionNoOp = actions.every(isNoop);
    expect(actionNoOp).toBe(tc.expectedActionNoOp);
    if (tc.expectedAction !== undefined)
      expect(actions.map((a) => a.actionType)).toContain(tc.expectedAction);
    if (canSkip) expect(actionNoOp).toBe(true);
  });

  it("an inactive preset with only expired prebuilds is not skipped, yet gets no action (spec §10.2 quirk 1)", () => {
    const [expiredRow] = runningPrebuilds(optionSet0, 1, () => clock.now() - 60 * MINUTE);
    const ps = new PresetSnapshot({
      preset: preset(false, 1, optionSet0),
      prebuildSchedules: [],
      running: [],
      expired: [expiredRow!],
      inProgress: [],
      pendingCount: 0,
      backoff: null,
      isHardLimited: false,
      clock,
      logger: new MemoryLogger(),
    });
    expect(ps.canSkipReconciliation()).toBe(false);
    expect(ps.calculateActions(backoffInterval)).toEqual([]);
  });
});
