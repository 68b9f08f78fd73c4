// GlobalSnapshot.filterByPreset (spec §3.2) and isHardLimited (§3.1).
import { describe, expect, it } from "vitest";
import { HOUR, SECOND } from "../../src/clock/types.ts";
import { PresetNotFoundError } from "../../src/prebuilds/globalSnapshot.ts";
import {
  globalSnapshot,
  inProgress,
  optionSet0,
  optionSet1,
  optionSet3,
  preset,
  runningPrebuilds,
  schedule,
  TestClock,
} from "./fixtures.ts";

describe("GlobalSnapshot.filterByPreset", () => {
  const clock = new TestClock();

  it("an unknown preset id is an error naming the id", () => {
    const snapshot = globalSnapshot({ presets: [preset(true, 1, optionSet0)] }, clock);
    expect(() => snapshot.filterByPreset("missing")).toThrow(PresetNotFoundError);
    expect(() => snapshot.filterByPreset("missing")).toThrow('no preset found with ID "missing"');
  });

  it("keeps only the preset's schedules, running prebuilds and in-progress rows", () => {
    const mine = runningPrebuilds(optionSet0, 2, () => clock.now(), "mine");
    const theirs = runningPrebuilds(optionSet1, 1, () => clock.now(), "theirs");
    const orphan = {
      ...runningPrebuilds(optionSet0, 1, () => clock.now(), "orphan")[0]!,
      currentPresetId: null,
    };
    const snapshot = globalSnapshot(
      {
        presets: [preset(true, 1, optionSet0), preset(true, 1, optionSet1)],
        prebuildSchedules: [
          schedule(optionSet0.presetId, "* 9 * * *", 2),
          schedule(optionSet1.presetId, "* 10 * * *", 3),
        ],
        runningPrebuilds: [mine[0]!, theirs[0]!, orphan, mine[1]!],
        prebuildsInProgress: [
          inProgress(optionSet0, "start", 1),
          inProgress(optionSet1, "stop", 4),
          { ...inProgress(optionSet0, "delete", 7), presetId: null },
          inProgress(optionSet0, "delete", 2),
        ],
      },
      clock,
    );
    const ps = snapshot.filterByPreset(optionSet0.presetId);
    expect(ps.preset.id).toBe(optionSet0.presetId);
    expect(ps.prebuildSchedules.map((s) => s.cronExpression)).toEqual(["* 9 * * *"]);
    expect(ps.running.map((p) => p.id)).toEqual(["mine-0", "mine-1"]);
    expect(ps.expired).toEqual([]);
    expect(ps.inProgress.map((p) => [p.transition, p.count])).toEqual([
      ["start", 1],
      ["delete", 2],
    ]);
  });

  it("splits running prebuilds by expiry at the clock's time, each list in input order", () => {
    // TTL 5 s: rows alternate old (expired) and fresh.
    const rows = runningPrebuilds(optionSet3, 5, (i) =>
      i % 2 === 0 ? clock.now() - 6 * SECOND : clock.now() - i * SECOND,
    );
    const ps = globalSnapshot(
      { presets: [preset(true, 5, optionSet3)], runningPrebuilds: rows },
      clock,
    ).filterByPreset(optionSet3.presetId);
    expect(ps.expired.map((p) => p.id)).toEqual(["ws-0", "ws-2", "ws-4"]);
    expect(ps.running.map((p) => p.id)).toEqual(["ws-1", "ws-3"]);
  });

  it("expiry moves with the clock: the same rows split differently later", () => {
    // TTL 5 s, ages 1 s and 2 s now; 5 s (not yet: strictly greater) and 6 s four seconds later.
    const later = new TestClock(clock.now() + 4 * SECOND);
    const rows = runningPrebuilds(optionSet3, 2, (i) => clock.now() - (i + 1) * SECOND);
    const now = globalSnapshot({ presets: [preset(true, 2, optionSet3)], runningPrebuilds: rows }, clock);
    const then = globalSnapshot({ presets: [preset(true, 2, optionSet3)], runningPrebuilds: rows }, later);
    expect(now.filterByPreset(optionSet3.presetId).expired).toHaveLength(0);
    expect(then.filterByPreset(optionSet3.presetId).expired.map((p) => p.id)).toEqual(["ws-1"]);
  });

  it("pending count and backoff come from the first matching row", () => {
    const snapshot = globalSnapshot(
      {
        presets: [preset(false, 1, optionSet0)],
        pendingPrebuilds: [
          { presetId: null, count: 9 },
          { presetId: optionSet1.presetId, count: 8 },
          { presetId: optionSet0.presetId, count: 3 },
          { presetId: optionSet0.presetId, count: 4 },
        ],
        backoffs: [
          { templateVersionId: "v", presetId: optionSet1.presetId, numFailed: 5, lastBuildAt: 1 },
          { templateVersionId: "v", presetId: optionSet0.presetId, numFailed: 2, lastBuildAt: 2 },
          { templateVersionId: "v", presetId: optionSet0.presetId, numFailed: 6, lastBuildAt: 3 },
        ],
      },
      clock,
    );
    const ps = snapshot.filterByPreset(optionSet0.presetId);
    expect(ps.pendingCount).toBe(3);
    expect(ps.backoff).toEqual({
      templateVersionId: "v",
      presetId: optionSet0.presetId,
      numFailed: 2,
      lastBuildAt: 2,
    });
  });

  it("no pending row means 0, no backoff row means none", () => {
    const ps = globalSnapshot({ presets: [preset(true, 1, optionSet0)] }, clock).filterByPreset(
      optionSet0.presetId,
    );
    expect(ps.pendingCount).toBe(0);
    expect(ps.backoff).toBeNull();
  });

  it("does not reorder the global running list when choosing the oldest", () => {
    const rows = runningPrebuilds(optionSet0, 3, (i) => clock.now() - i * HOUR);
    const snapshot = globalSnapshot(
      { presets: [preset(true, 1, optionSet0)], runningPrebuilds: rows },
      clock,
    );
    const ps = snapshot.filterByPreset(optionSet0.presetId);
    ps.calculateActions(SECOND);
    // As upstream, the preset's own list is sorted in place, oldest first…
    expect(ps.running.map((p) => p.id)).toEqual(["ws-2", "ws-1", "ws-0"]);
    // …but it is a filtered copy: the snapshot's rows keep the query order.
    expect(snapshot.runningPrebuilds.map((p) => p.id)).toEqual(["ws-0", "ws-1", "ws-2"]);
  });

  it("views of the same preset are independent: one view's in-place sort does not reach the next", () => {
    // The rows are grouped by preset once per snapshot; each view must still get lists of its own.
    const rows = runningPrebuilds(optionSet0, 3, (i) => clock.now() - i * HOUR);
    const snapshot = globalSnapshot(
      {
        presets: [preset(true, 1, optionSet0)],
        runningPrebuilds: rows,
        prebuildsInProgress: [inProgress(optionSet0, "start", 1)],
        prebuildSchedules: [schedule(optionSet0.presetId, "* 9 * * *", 2)],
      },
      clock,
    );
    const first = snapshot.filterByPreset(optionSet0.presetId);
    first.calculateActions(SECOND);
    expect(first.running.map((p) => p.id)).toEqual(["ws-2", "ws-1", "ws-0"]);
    const second = snapshot.filterByPreset(optionSet0.presetId);
    expect(second.running.map((p) => p.id)).toEqual(["ws-0", "ws-1", "ws-2"]);
    expect(second.inProgress).not.toBe(first.inProgress);
    expect(second.prebuildSchedules).not.toBe(first.prebuildSchedules);
    expect(second.inProgress).toEqual(first.inProgress);
  });
});

describe("GlobalSnapshot.isHardLimited", () => {
  it("is membership in the at-failure-limit rows, and reaches the preset snapshot", () => {
    const clock = new TestClock();
    const snapshot = globalSnapshot(
      {
        presets: [preset(true, 1, optionSet0), preset(true, 1, optionSet1)],
        hardLimitedPresets: [
          { templateVersionId: optionSet1.templateVersionId, presetId: optionSet1.presetId },
        ],
      },
      clock,
    );
    expect(snapshot.isHardLimited(optionSet0.presetId)).toBe(false);
    expect(snapshot.isHardLimited(optionSet1.presetId)).toBe(true);
    expect(snapshot.filterByPreset(optionSet0.presetId).isHardLimited).toBe(false);
    expect(snapshot.filterByPreset(optionSet1.presetId).isHardLimited).toBe(true);
    expect([...snapshot.hardLimitedPresetsMap.keys()]).toEqual([optionSet1.presetId]);
  });
});
