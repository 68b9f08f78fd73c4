// Upstream's preset_snapshot_test tables (spec §9.1), one `describe` per upstream test, rows named
// as upstream names them. Backoff interval 5 s as upstream.
import { describe, expect, it } from "vitest";
import { MINUTE, SECOND } from "../../src/clock/types.ts";
import type { RunningPrebuildRow, WorkspaceTransition } from "../../src/db/rows.ts";
import {
  backoffAction,
  cancelPendingAction,
  createAction,
  deleteAction,
} from "../../src/prebuilds/reconciliationActions.ts";
import {
  globalSnapshot,
  inProgress,
  type Options,
  optionSet0,
  optionSet1,
  optionSet3,
  prebuiltWorkspace,
  preset,
  runningPrebuilds,
  state,
  T0,
  TestClock,
} from "./fixtures.ts";

const backoffInterval = 5 * SECOND;

describe("TestNoPrebuilds", () => {
  it("a preset without prebuilds desired creates nothing", () => {
    const clock = new TestClock();
    const ps = globalSnapshot({ presets: [preset(true, 0, optionSet0)] }, clock).filterByPreset(
      optionSet0.presetId,
    );
    expect(ps.calculateState()).toEqual(state());
    expect(ps.calculateActions(backoffInterval)).toEqual([]);
  });
});

describe("TestNetNew", () => {
  it("a preset with one prebuild desired creates one", () => {
    const clock = new TestClock();
    const ps = globalSnapshot({ presets: [preset(true, 1, optionSet0)] }, clock).filterByPreset(
      optionSet0.presetId,
    );
    expect(ps.calculateState()).toEqual(state({ desired: 1 }));
    expect(ps.calculateActions(backoffInterval)).toEqual([createAction(1)]);
  });
});

describe("TestOutdatedPrebuilds", () => {
  const outdated = optionSet0;
  const current = optionSet1;
  const clock = new TestClock();
  const snapshot = globalSnapshot(
    {
      presets: [preset(false, 1, outdated), preset(true, 1, current)],
      runningPrebuilds: [prebuiltWorkspace(outdated, clock)],
    },
    clock,
  );

  it("the outdated preset deletes its prebuild", () => {
    const ps = snapshot.filterByPreset(outdated.presetId);
    expect(ps.calculateState()).toEqual(state({ actual: 1 }));
    expect(ps.calculateActions(backoffInterval)).toEqual([deleteAction([outdated.prebuiltWorkspaceId])]);
  });

  it("the current preset creates without waiting for the outdated one to go", () => {
    const ps = snapshot.filterByPreset(current.presetId);
    expect(ps.calculateState()).toEqual(state({ desired: 1 }));
    expect(ps.calculateActions(backoffInterval)).toEqual([createAction(1)]);
  });
});

describe("TestDeleteOutdatedPrebuilds", () => {
  it("an in-progress delete does not stop the deletion of another outdated prebuild", () => {
    const outdated = optionSet0;
    const clock = new TestClock();
    const ps = globalSnapshot(
      {
        presets: [preset(false, 1, outdated)],
        runningPrebuilds: [prebuiltWorkspace(outdated, clock)],
        prebuildsInProgress: [inProgress(outdated, "delete", 1)],
      },
      clock,
    ).filterByPreset(outdated.presetId);
    expect(ps.calculateState()).toEqual(state({ actual: 1, deleting: 1 }));
    expect(ps.calculateActions(backoffInterval)).toEqual([deleteAction([outdated.prebuiltWorkspaceId])]);
  });
});

describe("TestCancelPendingPrebuilds", () => {
  const current = optionSet3;
  const pending = [{ presetId: current.presetId, count: 2 }];

  it("CancelPendingPrebuildsNonActiveVersion", () => {
    const clock = new TestClock();
    const ps = globalSnapshot(
      { presets: [preset(false, 0, current)], pendingPrebuilds: pending },
      clock,
    ).filterByPreset(current.presetId);
    expect(ps.calculateActions(backoffInterval)).toEqual([cancelPendingAction()]);
  });

  it("NotCancelPendingPrebuildsActiveVersion", () => {
    const clock = new TestClock();
    const ps = globalSnapshot(
      { presets: [preset(true, 0, current)], pendingPrebuilds: pending },
      clock,
    ).filterByPreset(current.presetId);
    expect(ps.calculateActions(backoffInterval)).toEqual([]);
  });
});

describe("TestInProgressActions", () => {
  const current = optionSet0;
  const cases: {
    name: string;
    transition: WorkspaceTransition;
    desired: number;
    running: number;
    inProgress: number;
    state: Parameters<typeof state>[0];
    creates: number;
    deletes: number;
  }[] = [
    {
      name: "start-short",
      transition: "start",
      desired: 1,
      running: 0,
      inProgress: 1,
      state: { desired: 1, starting: 1 },
      creates: 0,
      deletes: 0,
    },
    {
      name: "start-balanced",
      transition: "start",
      desired: 2,
      running: 1,
      inProgress: 1,
      state: { actual: 1, desired: 2, starting: 1 },
      creates: 0,
      deletes: 0,
    },
    {
      name: "start-extraneous",
      transition: "start",
      desired: 2,
      running: 2,
      inProgress: 1,
      state: { actual: 2, desired: 2, starting: 1 },
      creates: 0,
      deletes: 0,
    },
    {
      name: "stop-short",
      transition: "stop",
      desired: 1,
      running: 0,
      inProgress: 1,
      state: { desired: 1, stopping: 1 },
      creates: 1,
      deletes: 0,
    },
    {
      name: "stop-balanced",
      transition: "stop",
      desired: 3,
      running: 2,
      inProgress: 1,
      state: { actual: 2, desired: 3, stopping: 1 },
      creates: 1,
      deletes: 0,
    },
    {
      name: "stop-extraneous",
      transition: "stop",
      desired: 3,
      running: 3,
      inProgress: 1,
      state: { actual: 3, desired: 3, stopping: 1 },
      creates: 0,
      deletes: 0,
    },
    {
      name: "delete-short",
      transition: "delete",
      desired: 1,
      running: 0,
      inProgress: 1,
      state: { desired: 1, deleting: 1 },
      creates: 1,
      deletes: 0,
    },
    {
      name: "delete-balanced",
      transition: "delete",
      desired: 2,
      running: 1,
      inProgress: 1,
      state: { actual: 1, desired: 2, deleting: 1 },
      creates: 1,
      deletes: 0,
    },
    {
      name: "delete-extraneous",
      transition: "delete",
      desired: 2,
      running: 2,
      inProgress: 1,
      state: { actual: 2, desired: 2, deleting: 1 },
      creates: 0,
      deletes: 0,
    },
    {
      name: "start-inhibit",
      transition: "start",
      desired: 3,
      running: 1,
      inProgress: 2,
      state: { actual: 1, desired: 3, starting: 2 },
      creates: 0,
      deletes: 0,
    },
    {
      name: "delete-inhibit",
      transition: "delete",
      desired: 3,
      running: 5,
      inProgress: 2,
      state: { actual: 5, desired: 3, deleting: 2, extraneous: 2 },
      creates: 0,
      deletes: 2,
    },
  ];

  it.each(cases)("$name", (tc) => {
    const clock = new TestClock();
    const ps = globalSnapshot(
      {
        presets: [preset(true, tc.desired, current)],
        runningPrebuilds: runningPrebuilds(current, tc.running, () => clock.now()),
        prebuildsInProgress: [inProgress(current, tc.transition, tc.inProgress)],
      },
      clock,
    ).filterByPreset(current.presetId);

    expect(ps.calculateState()).toEqual(state(tc.state));
    const actions = ps.calculateActions(backoffInterval);
    if (tc.creates > 0) expect(actions).toEqual([createAction(tc.creates)]);
    else if (tc.deletes > 0) {
      expect(actions).toHaveLength(1);
      expect(actions[0]?.actionType).toBe(deleteAction([]).actionType);
      expect(actions[0]?.deleteIds).toHaveLength(tc.deletes);
    } else expect(actions).toEqual([]);
  });
});

describe("TestExtraneous", () => {
  it("the older of two prebuilds is deleted when one is desired", () => {
    const current = optionSet0;
    const clock = new TestClock();
    const older = prebuiltWorkspace(current, clock, { id: "older", createdAt: clock.now() - 60 * MINUTE });
    const newer = prebuiltWorkspace(current, clock, { id: "newer", createdAt: clock.now() });
    // The newer one comes first in the input, so only the age ordering can pick the older.
    const ps = globalSnapshot(
      { presets: [preset(true, 1, current)], runningPrebuilds: [newer, older] },
      clock,
    ).filterByPreset(current.presetId);
    expect(ps.calculateState()).toEqual(state({ actual: 2, desired: 1, extraneous: 1, eligible: 2 }));
    expect(ps.calculateActions(backoffInterval)).toEqual([deleteAction(["older"])]);
  });
});

describe("TestExpiredPrebuilds", () => {
  const current = optionSet3; // TTL 5 s
  const cases: {
    name: string;
    running: number;
    desired: number;
    expired: number;
    invalidated: number;
    state: Parameters<typeof state>[0];
    actions: (rows: RunningPrebuildRow[]) => unknown[];
  }[] = [
    {
      name: "no expired prebuilds - no actions taken",
      running: 2,
      desired: 2,
      expired: 0,
      invalidated: 0,
      state: { actual: 2, desired: 2 },
      actions: () => [],
    },
    {
      name: "one expired prebuild – deleted and replaced",
      running: 2,
      desired: 2,
      expired: 1,
      invalidated: 0,
      state: { actual: 2, desired: 2, expired: 1 },
      actions: (rows) => [deleteAction([rows[0]!.id]), createAction(1)],
    },
    {
      name: "all prebuilds expired – all deleted and recreated",
      running: 2,
      desired: 2,
      expired: 2,
      invalidated: 0,
      state: { actual: 2, desired: 2, expired: 2 },
      actions: (rows) => [deleteAction([rows[0]!.id, rows[1]!.id]), createAction(2)],
    },
    {
      name: "expired prebuilds deleted to reach desired count",
      running: 4,
      desired: 2,
      expired: 2,
      invalidated: 0,
      state: { actual: 4, desired: 2, expired: 2, extraneous: 0 },
      actions: (rows) => [deleteAction([rows[0]!.id, rows[1]!.id])],
    },
    {
      name: "expired prebuild deleted first, then extraneous",
      running: 4,
      desired: 2,
      expired: 1,
      invalidated: 0,
      state: { actual: 4, desired: 2, expired: 1, extraneous: 1 },
      actions: (rows) => [deleteAction([rows[0]!.id]), deleteAction([rows[1]!.id])],
    },
    {
      name: "preset has been invalidated - both instances expired",
      running: 2,
      desired: 2,
      expired: 0,
      invalidated: 2,
      state: { actual: 2, desired: 2, expired: 2 },
      actions: (rows) => [deleteAction([rows[0]!.id, rows[1]!.id]), createAction(2)],
    },
    {
      name: "preset has been invalidated, but one prebuild instance is newer",
      running: 2,
      desired: 2,
      expired: 0,
      invalidated: 1,
      state: { actual: 2, desired: 2, expired: 1 },
      actions: (rows) => [deleteAction([rows[0]!.id]), createAction(1)],
    },
  ];

  it.each(cases)("$name", (tc) => {
    const clock = new TestClock();
    const now = clock.now();
    const invalidatedAt = now + MINUTE;
    const ttl = current.ttl * SECOND;
    // As upstream: the first `invalidated` rows are created well before the invalidation, later
    // ones after it; the first `expired` rows are pushed past the TTL. Expired rows come first.
    const rows = runningPrebuilds(current, tc.running, (i) => {
      let createdAt = now;
      if (i < tc.invalidated) createdAt -= ttl + 10 * SECOND;
      else if (tc.invalidated > 0) createdAt = invalidatedAt + MINUTE;
      if (i < tc.expired) createdAt -= ttl + 10 * SECOND;
      return createdAt;
    });
    const presetRow = preset(
      true,
      tc.desired,
      current,
      tc.invalidated > 0 ? { lastInvalidatedAt: invalidatedAt } : {},
    );
    const ps = globalSnapshot({ presets: [presetRow], runningPrebuilds: rows }, clock).filterByPreset(
      current.presetId,
    );

    expect(ps.calculateState()).toEqual(state(tc.state));
    expect(ps.calculateActions(backoffInterval)).toEqual(tc.actions(rows));
  });
});

describe("TestDeprecated", () => {
  it("a deprecated template's prebuilds are deleted", () => {
    const current = optionSet0;
    const clock = new TestClock();
    const ps = globalSnapshot(
      {
        presets: [preset(true, 1, current, { deprecated: true })],
        runningPrebuilds: [prebuiltWorkspace(current, clock)],
      },
      clock,
    ).filterByPreset(current.presetId);
    expect(ps.calculateState()).toEqual(state({ actual: 1 }));
    expect(ps.calculateActions(backoffInterval)).toEqual([deleteAction([current.prebuiltWorkspaceId])]);
  });
});

describe("TestLatestBuildFailed", () => {
  const current = optionSet0;
  const other = optionSet1;
  const clock = new TestClock();
  const lastBuildTime = clock.now();
  const numFailed = 1;
  const snapshot = globalSnapshot(
    {
      presets: [preset(true, 1, current), preset(true, 1, other)],
      runningPrebuilds: [prebuiltWorkspace(other, clock)],
      backoffs: [
        {
          templateVersionId: current.templateVersionId,
          presetId: current.presetId,
          numFailed,
          lastBuildAt: lastBuildTime,
        },
      ],
    },
    clock,
  );

  it("the failing preset backs off", () => {
    const ps = snapshot.filterByPreset(current.presetId);
    expect(ps.calculateState()).toEqual(state({ desired: 1 }));
    expect(ps.calculateActions(backoffInterval)).toEqual([
      backoffAction(lastBuildTime + numFailed * backoffInterval),
    ]);
  });

  it("the healthy preset does not back off", () => {
    const ps = snapshot.filterByPreset(other.presetId);
    expect(ps.calculateState()).toEqual(state({ actual: 1, desired: 1, eligible: 1 }));
    expect(ps.calculateActions(backoffInterval)).toEqual([]);
  });

  it("once the interval has elapsed the failing preset creates again", () => {
    // Upstream advances by interval + 1 µs; milliseconds are our resolution.
    const later = new TestClock(clock.now() + backoffInterval + 1);
    const ps = globalSnapshot(
      {
        presets: snapshot.presets,
        runningPrebuilds: snapshot.runningPrebuilds,
        backoffs: snapshot.backoffs,
      },
      later,
    ).filterByPreset(current.presetId);
    expect(ps.calculateState()).toEqual(state({ desired: 1 }));
    expect(ps.calculateActions(backoffInterval)).toEqual([createAction(1)]);
  });
});

describe("TestMultiplePresetsPerTemplateVersion", () => {
  const shared = { templateId: "template-m", templateVersionId: "version-m", ttl: 0 };
  const preset1: Options = {
    ...shared,
    presetId: "preset-1",
    presetName: "my-preset-1",
    prebuiltWorkspaceId: "ws-1",
    workspaceName: "prebuilds1",
  };
  const preset2: Options = {
    ...shared,
    presetId: "preset-2",
    presetName: "my-preset-2",
    prebuiltWorkspaceId: "ws-2",
    workspaceName: "prebuilds2",
  };
  const clock = new TestClock(T0);
  const snapshot = globalSnapshot(
    {
      presets: [preset(true, 1, preset1), preset(true, 1, preset2)],
      prebuildsInProgress: [inProgress(preset1, "start", 1)],
    },
    clock,
  );

  it("nothing has to be created for preset 1", () => {
    const ps = snapshot.filterByPreset(preset1.presetId);
    expect(ps.calculateState()).toEqual(state({ starting: 1, desired: 1 }));
    expect(ps.calculateActions(backoffInterval)).toEqual([]);
  });

  it("preset 1's in-progress build does not count for preset 2", () => {
    const ps = snapshot.filterByPreset(preset2.presetId);
    expect(ps.calculateState()).toEqual(state({ desired: 1 }));
    expect(ps.calculateActions(backoffInterval)).toEqual([createAction(1)]);
  });
});
