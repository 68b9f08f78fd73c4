// Upstream's TestFailedBuildBackoff (spec §9.4) at the snapshot level: backoff interval 1 min,
// preset desired 2. The backoff rows are what GetPresetsBackoff returns after each step.
import { describe, expect, it } from "vitest";
import { MINUTE, SECOND } from "../../src/clock/types.ts";
import type { PresetBackoffRow, RunningPrebuildRow } from "../../src/db/rows.ts";
import { ActionType, backoffAction, createAction } from "../../src/prebuilds/reconciliationActions.ts";
import { globalSnapshot, optionSet0, prebuiltWorkspace, preset, state, TestClock } from "./fixtures.ts";

const backoffInterval = MINUTE;

describe("TestFailedBuildBackoff", () => {
  const clock = new TestClock();
  // Two failed prebuilds whose builds were created now: NumFailed 2, LastBuildAt now.
  const firstFailure = clock.now();
  const backoffRow = (numFailed: number, lastBuildAt: number): PresetBackoffRow => ({
    templateVersionId: optionSet0.templateVersionId,
    presetId: optionSet0.presetId,
    numFailed,
    lastBuildAt,
  });
  const snapshotAt = (running: RunningPrebuildRow[], backoff: PresetBackoffRow) =>
    globalSnapshot(
      { presets: [preset(true, 2, optionSet0)], runningPrebuilds: running, backoffs: [backoff] },
      clock,
    ).filterByPreset(optionSet0.presetId);

  it("right after the failures: one Backoff action for 2 × interval", () => {
    const ps = snapshotAt([], backoffRow(2, firstFailure));
    const actions = ps.calculateActions(backoffInterval);
    expect(actions).toEqual([backoffAction(firstFailure + 2 * MINUTE)]);
    expect(actions[0]?.create).toBe(0);
    expect(ps.calculateState()).toEqual(state({ desired: 2 }));
    expect(ps.backoff?.numFailed).toBe(2);
    expect(Math.trunc(((actions[0]?.backoffUntil ?? 0) - clock.now()) / MINUTE)).toBe(2);
  });

  it("one second later: the same Backoff, with the same deadline", () => {
    clock.advance(SECOND);
    expect(snapshotAt([], backoffRow(2, firstFailure)).calculateActions(backoffInterval)).toEqual([
      backoffAction(firstFailure + 2 * MINUTE),
    ]);
  });

  it("at exactly the deadline it is still backing off (strictly-after check)", () => {
    clock.t = firstFailure + 2 * MINUTE;
    expect(snapshotAt([], backoffRow(2, firstFailure)).calculateActions(backoffInterval)).toEqual([
      backoffAction(firstFailure + 2 * MINUTE),
    ]);
  });

  it("one second past the deadline: Create 2", () => {
    clock.t = firstFailure + 2 * MINUTE + SECOND;
    expect(snapshotAt([], backoffRow(2, firstFailure)).calculateActions(backoffInterval)).toEqual([
      createAction(2),
    ]);
  });

  it("then one more failure and one success: Backoff again, for 3 × interval from the new failure", () => {
    const newFailure = clock.now();
    const succeeded = prebuiltWorkspace(optionSet0, clock);
    const ps = snapshotAt([succeeded], backoffRow(3, newFailure));
    const actions = ps.calculateActions(backoffInterval);
    expect(actions).toHaveLength(1);
    expect(actions[0]?.actionType).toBe(ActionType.Backoff);
    expect(actions[0]?.create).toBe(0);
    expect(ps.calculateState()).toEqual(state({ actual: 1, desired: 2, eligible: 1 }));
    expect(ps.backoff?.numFailed).toBe(3);
    expect(Math.trunc(((actions[0]?.backoffUntil ?? 0) - clock.now()) / MINUTE)).toBe(3);
  });
});

describe("backoff suppresses every other action (spec §10.2 quirk 2)", () => {
  it("an inactive preset with pending jobs and running prebuilds only backs off", () => {
    const clock = new TestClock();
    const ps = globalSnapshot(
      {
        presets: [preset(false, 1, optionSet0)],
        runningPrebuilds: [prebuiltWorkspace(optionSet0, clock)],
        pendingPrebuilds: [{ presetId: optionSet0.presetId, count: 2 }],
        backoffs: [
          {
            templateVersionId: optionSet0.templateVersionId,
            presetId: optionSet0.presetId,
            numFailed: 1,
            lastBuildAt: clock.now(),
          },
        ],
      },
      clock,
    ).filterByPreset(optionSet0.presetId);
    expect(ps.calculateActions(backoffInterval)).toEqual([backoffAction(clock.now() + MINUTE)]);
  });

  it("a backoff row with no failures is ignored", () => {
    const clock = new TestClock();
    const ps = globalSnapshot(
      {
        presets: [preset(true, 1, optionSet0)],
        backoffs: [
          {
            templateVersionId: optionSet0.templateVersionId,
            presetId: optionSet0.presetId,
            numFailed: 0,
            lastBuildAt: clock.now(),
          },
        ],
      },
      clock,
    ).filterByPreset(optionSet0.presetId);
    expect(ps.calculateActions(backoffInterval)).toEqual([createAction(1)]);
  });
});
