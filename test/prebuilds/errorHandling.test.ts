// The reconciler's error-handling matrix (spec §4.13), one test per row, each failure injected into
// the database (src/db/faults.ts) or, where a fault hook cannot reach, through a Store wrapper.
import { describe, expect, test } from "vitest";
import { HOUR, MINUTE } from "../../src/clock/types.ts";
import type { QueryName } from "../../src/db/queries/names.ts";
import { EnterpriseClaimer } from "../../src/prebuilds/claimer.ts";
import { createWorkspace } from "../../src/prebuilds/createWorkspace.ts";
import { ReconcileAllError, type ReconcileStats } from "../../src/prebuilds/reconciler.ts";
import type { CycleEndEvent } from "../../src/prebuilds/simulationHooks.ts";
import { type ReconcilerTestOptions, type SimContext, useSimulation } from "./kernelHarness.ts";
import {
  PRESET_PARAMETERS,
  prebuildsOf,
  prebuildWithBuild,
  templateWithPreset,
  versionWithParameter,
} from "./reconcileFixtures.ts";
import { beforeFirstWrite } from "./storeWrappers.ts";

const sim = useSimulation();

function fail(c: SimContext, query: QueryName): void {
  c.db.faults.add({ query, probability: 1, from: c.clock.now(), until: c.clock.now() + HOUR });
}

/** One cycle: its stats or its error, and what the hooks saw at its end. */
async function cycle(c: SimContext, options: ReconcilerTestOptions = {}) {
  const ends: CycleEndEvent[] = [];
  const reconciler = c.newReconciler({
    ...options,
    hooks: { ...options.hooks, cycleEnd: (e) => ends.push(e) },
  });
  let stats: ReconcileStats | undefined;
  let error: unknown;
  try {
    stats = await c.runTask(() => reconciler.reconcileAll(c.background));
  } catch (err) {
    error = err;
  }
  return { stats, error, end: ends[0] };
}

function errorLogs(c: SimContext, msg: string) {
  return c.logger.entriesAt("error").filter((e) => e.msg === msg);
}

describe("cycle-level failures return an error from ReconcileAll", () => {
  test.each([
    {
      row: "lock query error",
      query: "TryAcquireLock",
      message: /TryAcquireLock.*injected fault/,
      locked: false,
    },
    {
      row: "settings read error",
      query: "GetPrebuildsSettings",
      message: /get prebuilds settings/,
      locked: true,
    },
    {
      row: "membership reconciliation error",
      query: "GetOrganizationsWithPrebuildStatus",
      message: /reconcile prebuild membership/,
      locked: true,
    },
    {
      row: "snapshot query error",
      query: "GetRunningPrebuiltWorkspaces",
      message: /determine current snapshot: failed to get running prebuilds/,
      locked: true,
    },
  ] as const)("$row", async ({ query, message, locked }) => {
    const c = sim();
    const t = await templateWithPreset(c, { desired: 1 });
    fail(c, query);
    const { error, end } = await cycle(c);
    expect(error).toBeInstanceOf(ReconcileAllError);
    expect((error as Error).message).toMatch(message);
    expect((error as ReconcileAllError).stats.presetsReconciled).toBe(0);
    expect(end?.error).toMatch(message);
    // A cycle that held the lock and then failed still says it held it.
    expect(end?.lockAcquired).toBe(locked);
    expect(await prebuildsOf(c.db.driver, t.template.id)).toEqual([]);
    expect(errorLogs(c, "failed to reconcile")).toHaveLength(1);
  });

  test("settings parse error", async () => {
    const c = sim();
    await templateWithPreset(c, { desired: 1 });
    await c.store.upsertPrebuildsSettings("{not json");
    const { error } = await cycle(c);
    expect((error as Error).message).toMatch(/unmarshal prebuilds settings/);
  });
});

test("lock not acquired: the cycle does nothing and succeeds", async () => {
  const c = sim();
  const t = await templateWithPreset(c, { desired: 1 });
  const holder = c.newReconciler({ connection: "replica-1" });
  let holding = false;
  c.kernel.spawn("holder", async () => {
    await holder.withReconciliationLock(c.background, c.logger, async () => {
      holding = true;
      await c.clock.sleep(MINUTE);
    });
  });
  const ends: CycleEndEvent[] = [];
  const reconciler = c.newReconciler({ hooks: { cycleEnd: (e) => ends.push(e) } });
  const stats = await c.runTask(
    async () => {
      while (!holding) await c.kernel.yield();
      return reconciler.reconcileAll(c.background);
    },
    { step: MINUTE },
  );
  expect(stats).toEqual({ elapsed: 0, presetsTotal: 0, presetsReconciled: 0 });
  expect(ends).toEqual([
    { elapsedMs: 0, lockAcquired: false, paused: false, presetsTotal: 0, presetsReconciled: 0 },
  ]);
  expect(await prebuildsOf(c.db.driver, t.template.id)).toEqual([]);
});

test("event cleanup error: not applicable — prebuild events are [main-2026], not in this port", () => {
  expect(sim().store).not.toHaveProperty("deleteOldPrebuildEvents");
});

test("hard-limit status update error: that preset is aborted for the cycle, the others go on", async () => {
  const c = sim();
  const limited = await templateWithPreset(c, { name: "limited", desired: 1 });
  // Two old running prebuilds (one extraneous) and a newer failed one: hard-limited at limit 1.
  const old1 = await prebuildWithBuild(c, limited, { createdAt: c.clock.now() - 4 * HOUR });
  const old2 = await prebuildWithBuild(c, limited, { createdAt: c.clock.now() - 3 * HOUR });
  await prebuildWithBuild(c, limited, { status: "failed", createdAt: c.clock.now() - 2 * HOUR });
  const healthy = await templateWithPreset(c, { name: "healthy", desired: 1 });
  fail(c, "UpdatePresetPrebuildStatus");

  const { stats, error } = await cycle(c, { config: { failureHardLimit: 1 } });
  expect(error).toBeUndefined();
  expect(stats?.presetsReconciled).toBe(2);
  // Without the abort, the extraneous oldest prebuild would have been deleted.
  for (const { workspace } of [old1, old2]) {
    expect(await c.store.getWorkspaceBuildsByWorkspaceId(workspace.id)).toHaveLength(1);
  }
  expect((await c.store.getPresetById(limited.preset.id)).prebuildStatus).toBe("healthy");
  expect(await prebuildsOf(c.db.driver, healthy.template.id)).toHaveLength(1);
  expect(errorLogs(c, "failed to reconcile prebuilds for preset")[0]?.fields.error).toMatch(
    /failed to update preset .* prebuild status/,
  );
});

test("create failure (non-400): every instance is attempted, the status is unchanged, the cycle succeeds", async () => {
  const c = sim();
  const t = await templateWithPreset(c, { desired: 3 });
  fail(c, "InsertWorkspace");
  const { error } = await cycle(c);
  expect(error).toBeUndefined();
  expect(errorLogs(c, "failed to create prebuild")).toHaveLength(3);
  expect((await c.store.getPresetById(t.preset.id)).prebuildStatus).toBe("healthy");
  expect(await prebuildsOf(c.db.driver, t.template.id)).toEqual([]);
});

test("create failure (400): validation_failed, the remaining creates are skipped", async () => {
  const c = sim();
  const t = await templateWithPreset(c, { desired: 3 });
  await c.store.insertTemplateVersionParameter({
    templateVersionId: t.version.id,
    name: "missing",
    required: true,
  });
  const { error } = await cycle(c);
  expect(error).toBeUndefined();
  expect(errorLogs(c, "failed to create prebuild")).toHaveLength(1);
  expect((await c.store.getPresetById(t.preset.id)).prebuildStatus).toBe("validation_failed");
});

test("delete failure (claimed since the snapshot): logged, the other deletes continue", async () => {
  const c = sim();
  const t = await templateWithPreset(c, { desired: 1 });
  const made = [];
  for (let i = 0; i < 3; i++) made.push((await prebuildWithBuild(c, t)).workspace);
  // Age follows id order, so the oldest prebuild is also the one a claim picks (the lowest id).
  const byId = made.map((w) => w.id).sort();
  for (const [i, id] of byId.entries()) {
    await c.db.driver.query("UPDATE workspaces SET created_at = $1 WHERE id = $2", [
      new Date(c.clock.now() - (3 - i) * HOUR),
      id,
    ]);
  }
  const user = await c.fx.user({ username: "claimant" });
  let claimedId = "";
  const store = beforeFirstWrite(c.db.connect("replica-0"), async (root) => {
    const result = await createWorkspace(
      {
        store: root,
        clock: c.clock,
        ids: c.ids,
        claimer: new EnterpriseClaimer(),
        pubsub: null,
        logger: c.logger,
      },
      {
        ownerId: user.id,
        templateId: t.template.id,
        name: "mine",
        templateVersionPresetId: t.preset.id,
        richParameterValues: Object.entries(PRESET_PARAMETERS).map(([name, value]) => ({ name, value })),
      },
    );
    claimedId = result.workspace.id;
  });

  const { error } = await cycle(c, { store });
  expect(error).toBeUndefined();
  expect(claimedId).toBe(byId[0]);
  // The claimed workspace got only its claim build; the second-oldest was still deleted.
  const claimedBuilds = await c.store.getWorkspaceBuildsByWorkspaceId(byId[0]!);
  expect(claimedBuilds.map((b) => b.transition)).toEqual(["start", "start"]);
  expect(claimedBuilds[1]?.initiatorId).toBe(user.id);
  const second = await c.store.getWorkspaceBuildsByWorkspaceId(byId[1]!);
  expect(second.map((b) => b.transition)).toEqual(["start", "delete"]);
  expect(errorLogs(c, "failed to delete prebuild")[0]?.fields.error).toMatch(/probably it was claimed/);
});

test("orphan-delete failure during cancel: the whole cancel transaction rolls back", async () => {
  const c = sim();
  const t = await templateWithPreset(c, { desired: 2 });
  const pending = [];
  for (let i = 0; i < 2; i++) pending.push(await prebuildWithBuild(c, t, { status: "pending" }));
  await versionWithParameter(c, t.template, { name: "v2", activate: true });
  fail(c, "InsertProvisionerJob");

  const { error } = await cycle(c);
  expect(error).toBeUndefined();
  for (const { workspace, build } of pending) {
    expect((await c.store.getProvisionerJobById(build.jobId)).jobStatus).toBe("pending");
    expect((await c.store.getWorkspaceById(workspace.id)).deleted).toBe(false);
    expect(await c.store.getWorkspaceBuildsByWorkspaceId(workspace.id)).toHaveLength(1);
  }
  expect(errorLogs(c, "failed to orphan delete canceled prebuild")).toHaveLength(2);
});

test("job notification queue full: dropped with a warning, the prebuilds are still created", async () => {
  const c = sim();
  const t = await templateWithPreset(c, { desired: 2 });
  const { error } = await cycle(c, { hooks: { provisionNotifyRefused: () => true } });
  expect(error).toBeUndefined();
  expect(
    c.logger.entriesAt("warn").filter((e) => e.msg === "provisioner job notification queue full, dropping"),
  ).toHaveLength(2);
  expect(await prebuildsOf(c.db.driver, t.template.id)).toHaveLength(2);
});

test("any per-preset error is logged and swallowed; ReconcileAll still succeeds", async () => {
  const c = sim();
  await templateWithPreset(c, { name: "a", desired: 1 });
  await templateWithPreset(c, { name: "b", desired: 1 });
  fail(c, "GetTemplateByID");
  const { stats, error, end } = await cycle(c);
  expect(error).toBeUndefined();
  expect(stats).toMatchObject({ presetsTotal: 2, presetsReconciled: 2 });
  expect(end?.error).toBeUndefined();
  expect(errorLogs(c, "failed to reconcile prebuilds for preset")).toHaveLength(2);
});
