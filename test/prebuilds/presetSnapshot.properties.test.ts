// Properties of the state machine over generated cycles: random presets, running rows with
// random ages, readiness and expiry, in-progress rows, pending counts and backoff rows.
import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect } from "vitest";
import { HOUR, MINUTE, SECOND } from "../../src/clock/types.ts";
import type {
  InProgressPrebuildRow,
  PendingPrebuildRow,
  PresetBackoffRow,
  RunningPrebuildRow,
  TemplatePresetRow,
} from "../../src/db/rows.ts";
import type { PresetSnapshot } from "../../src/prebuilds/presetSnapshot.ts";
import {
  ActionType,
  backoffAction,
  isNoop,
  type ReconciliationActions,
} from "../../src/prebuilds/reconciliationActions.ts";
import { globalSnapshot, optionSet0, optionSet1, preset, T0, TestClock } from "./fixtures.ts";

const TARGET = optionSet0;
const OTHER = optionSet1;
const presetIdArb = fc.constantFrom<string | null>(
  TARGET.presetId,
  TARGET.presetId,
  TARGET.presetId,
  OTHER.presetId,
  null,
);

const presetArb: fc.Arbitrary<TemplatePresetRow> = fc
  .record({
    usingActiveVersion: fc.boolean(),
    deleted: fc.boolean(),
    deprecated: fc.boolean(),
    desiredInstances: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
    ttl: fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 60, max: 8 * 3600 })), { nil: null }),
    lastInvalidatedAt: fc.option(fc.integer({ min: T0 - 10 * HOUR, max: T0 }), { nil: null }),
  })
  .map((p) => preset(p.usingActiveVersion, p.desiredInstances, TARGET, p));

/** Running rows in running-query order (by id), each with a distinct creation time. */
const runningArb: fc.Arbitrary<RunningPrebuildRow[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 12 * HOUR }), { maxLength: 10 })
  .chain((ages) =>
    fc.tuple(
      fc.constant(ages),
      fc.array(fc.tuple(fc.boolean(), presetIdArb), { minLength: ages.length, maxLength: ages.length }),
    ),
  )
  .map(([ages, flags]) =>
    ages.map((age, i) => ({
      id: `ws-${String(i).padStart(2, "0")}`,
      name: `prebuild-${i}`,
      templateId: TARGET.templateId,
      templateVersionId: TARGET.templateVersionId,
      currentPresetId: flags[i]?.[1] ?? null,
      ready: flags[i]?.[0] ?? false,
      createdAt: T0 - age,
    })),
  );

const inProgressArb: fc.Arbitrary<InProgressPrebuildRow[]> = fc.array(
  fc.record({
    templateId: fc.constant(TARGET.templateId),
    templateVersionId: fc.constant(TARGET.templateVersionId),
    transition: fc.constantFrom("start" as const, "stop" as const, "delete" as const),
    presetId: presetIdArb,
    count: fc.integer({ min: 1, max: 3 }),
  }),
  { maxLength: 4 },
);

/** At most one row per preset, as the grouped queries return. */
const pendingArb: fc.Arbitrary<PendingPrebuildRow[]> = fc
  .tuple(fc.option(fc.integer({ min: 1, max: 3 })), fc.option(fc.integer({ min: 1, max: 3 })))
  .map(([a, b]) => [
    ...(a === null ? [] : [{ presetId: TARGET.presetId, count: a }]),
    ...(b === null ? [] : [{ presetId: OTHER.presetId, count: b }]),
  ]);

const backoffArb: fc.Arbitrary<PresetBackoffRow[]> = fc
  .tuple(
    fc.option(
      fc.record({ numFailed: fc.integer({ min: 0, max: 4 }), ago: fc.integer({ min: 0, max: 20 * MINUTE }) }),
    ),
    fc.option(fc.integer({ min: 1, max: 4 })),
  )
  .map(([mine, other]) => [
    ...(mine === null
      ? []
      : [
          {
            templateVersionId: TARGET.templateVersionId,
            presetId: TARGET.presetId,
            numFailed: mine.numFailed,
            lastBuildAt: T0 - mine.ago,
          },
        ]),
    ...(other === null
      ? []
      : [
          {
            templateVersionId: OTHER.templateVersionId,
            presetId: OTHER.presetId,
            numFailed: other,
            lastBuildAt: T0,
          },
        ]),
  ]);

interface Cycle {
  preset: TemplatePresetRow;
  running: RunningPrebuildRow[];
  inProgress: InProgressPrebuildRow[];
  pending: PendingPrebuildRow[];
  backoffs: PresetBackoffRow[];
  backoffInterval: number;
}

const cycleArb: fc.Arbitrary<Cycle> = fc.record({
  preset: presetArb,
  running: runningArb,
  inProgress: inProgressArb,
  pending: pendingArb,
  backoffs: backoffArb,
  backoffInterval: fc.integer({ min: SECOND, max: 5 * MINUTE }),
});

function snapshotOf(c: Cycle): PresetSnapshot {
  return globalSnapshot(
    {
      presets: [c.preset, preset(true, 1, OTHER)],
      runningPrebuilds: c.running,
      prebuildsInProgress: c.inProgress,
      pendingPrebuilds: c.pending,
      backoffs: c.backoffs,
    },
    new TestClock(T0),
  ).filterByPreset(TARGET.presetId);
}

/** Splits the Delete actions into the one for expired prebuilds and the one for non-expired ones. */
function classifyDeletes(ps: PresetSnapshot, actions: readonly ReconciliationActions[]) {
  const expiredIds = new Set(ps.expired.map((p) => p.id));
  const deletes = actions.filter((a) => a.actionType === ActionType.Delete);
  return {
    expiredDelete: deletes.find((a) => a.deleteIds.every((id) => expiredIds.has(id))),
    runningDelete: deletes.find((a) => a.deleteIds.every((id) => !expiredIds.has(id))),
  };
}

function inBackoff(c: Cycle): number | null {
  const row = c.backoffs.find((b) => b.presetId === TARGET.presetId);
  if (row === undefined || row.numFailed === 0) return null;
  const until = row.lastBuildAt + row.numFailed * c.backoffInterval;
  return T0 > until ? null : until;
}

describe("PresetSnapshot properties", () => {
  test.prop([cycleArb])("a create never exceeds the desired count, and fills exactly the gap", (c) => {
    const ps = snapshotOf(c);
    const s = ps.calculateState();
    for (const a of ps.calculateActions(c.backoffInterval)) {
      if (a.actionType !== ActionType.Create) continue;
      expect(a.create).toBeGreaterThan(0);
      expect(a.create).toBeLessThanOrEqual(s.desired);
      expect(a.create).toBe(s.desired - (s.actual - s.expired) - s.starting);
    }
  });

  test.prop([cycleArb])("an extraneous delete and a create never both happen", (c) => {
    const ps = snapshotOf(c);
    const actions = ps.calculateActions(c.backoffInterval);
    const { runningDelete } = classifyDeletes(ps, actions);
    const creates = actions.some((a) => a.actionType === ActionType.Create);
    expect(ps.isActive() && runningDelete !== undefined && creates).toBe(false);
  });

  test.prop([cycleArb])("canSkipReconciliation implies every action is a no-op", (c) => {
    const ps = snapshotOf(c);
    if (ps.canSkipReconciliation()) expect(ps.calculateActions(c.backoffInterval).every(isNoop)).toBe(true);
  });

  test.prop([cycleArb])("deletes of non-expired prebuilds always pick the oldest, oldest first", (c) => {
    const ps = snapshotOf(c);
    const before = [...ps.running];
    const { runningDelete } = classifyDeletes(ps, ps.calculateActions(c.backoffInterval));
    if (runningDelete === undefined) return;
    const chosen = new Set(runningDelete.deleteIds);
    const ages = runningDelete.deleteIds.map(
      (id) => before.find((p) => p.id === id)?.createdAt ?? Number.NaN,
    );
    expect(ages).toEqual([...ages].sort((a, b) => a - b));
    const newestChosen = Math.max(...ages);
    for (const p of before) if (!chosen.has(p.id)) expect(p.createdAt).toBeGreaterThan(newestChosen);
  });

  test.prop([cycleArb])("a pending backoff suppresses every other action", (c) => {
    const actions = snapshotOf(c).calculateActions(c.backoffInterval);
    const until = inBackoff(c);
    if (until !== null) expect(actions).toEqual([backoffAction(until)]);
    else expect(actions.some((a) => a.actionType === ActionType.Backoff)).toBe(false);
  });

  test.prop([cycleArb])("expired prebuilds are deleted in running-query order (by workspace id)", (c) => {
    const ps = snapshotOf(c);
    const { expiredDelete } = classifyDeletes(ps, ps.calculateActions(c.backoffInterval));
    if (expiredDelete === undefined || expiredDelete.deleteIds.length === 0) return;
    expect(expiredDelete.deleteIds).toEqual([...expiredDelete.deleteIds].sort());
    expect(expiredDelete.deleteIds).toEqual(ps.expired.map((p) => p.id));
  });

  test.prop([cycleArb])("inactive presets never create and never delete expired prebuilds", (c) => {
    const ps = snapshotOf(c);
    if (ps.isActive()) return;
    const actions = ps.calculateActions(c.backoffInterval);
    expect(actions.some((a) => a.actionType === ActionType.Create)).toBe(false);
    const expiredIds = new Set(ps.expired.map((p) => p.id));
    for (const a of actions) for (const id of a.deleteIds) expect(expiredIds.has(id)).toBe(false);
  });

  const shuffleKeys = fc.array(fc.nat(), { minLength: 20, maxLength: 20 });
  const shuffled = <T>(xs: readonly T[], keys: readonly number[]) =>
    xs
      .map((x, i) => ({ x, k: keys[i] ?? 0, i }))
      .sort((a, b) => a.k - b.k || a.i - b.i)
      .map((e) => e.x);

  test.prop([cycleArb, shuffleKeys, shuffleKeys])(
    "the result does not depend on the order of input rows, except the expired list's order",
    (c, k1, k2) => {
      const reference = snapshotOf(c);
      const other = snapshotOf({
        ...c,
        running: shuffled(c.running, k1),
        inProgress: shuffled(c.inProgress, k2),
      });
      expect(other.calculateState()).toEqual(reference.calculateState());
      const normalise = (ps: PresetSnapshot) => {
        const expiredIds = new Set(ps.expired.map((p) => p.id));
        return ps
          .calculateActions(c.backoffInterval)
          .map((a) =>
            a.deleteIds.length > 0 && a.deleteIds.every((id) => expiredIds.has(id))
              ? { ...a, deleteIds: [...a.deleteIds].sort() }
              : a,
          );
      };
      expect(normalise(other)).toEqual(normalise(reference));
    },
  );
});
