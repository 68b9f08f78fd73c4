import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDriver } from "../../src/db/backend.ts";
import { Database } from "../../src/db/database.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import { DbFixtures } from "../../src/db/fixtures.ts";
import type { Store } from "../../src/db/store.ts";
import { Rng } from "../../src/kernel/rng.ts";
import type { TraceRecord } from "../../src/trace/trace.ts";
import { crashableStore, ReplicaDownError } from "../../src/world/crashableStore.ts";
import { QueueDepth } from "../../src/world/queueDepth.ts";
import { tracedStore } from "../../src/world/tracedStore.ts";
import { InstantClock } from "../db/instantClock.ts";
import { START } from "./scenarioFixture.ts";

let driver: SqlDriver;
beforeAll(async () => {
  driver = await openDriver();
});
afterAll(async () => {
  await driver.close();
});

async function setUp() {
  const clock = new InstantClock(START);
  const rng = new Rng(1);
  const db = await Database.open({ driver, clock, rng });
  const records: TraceRecord[] = [];
  const queue = new QueueDepth();
  const root = db.connect("replica-0");
  const store = tracedStore(root, "replica-0", { emit: (r) => records.push(r), queue });
  const fxRoot = new DbFixtures(root, { ids: rng.stream("plain"), now: () => clock.now() });
  const user = await fxRoot.user();
  const { template } = await fxRoot.template({ createdBy: user.id });
  const fx = new DbFixtures(store, { ids: rng.stream("traced"), now: () => clock.now() });
  return { db, root, store, records, queue, fx, template, user };
}

/** A workspace of `user` and its first build, whose job is in `status`. */
async function personalBuild(
  { fx, template, user }: Pick<Awaited<ReturnType<typeof setUp>>, "fx" | "template" | "user">,
  status: "pending" | "running",
) {
  const ws = await fx.workspace({ templateId: template.id, ownerId: user.id });
  return fx.build({
    workspace: ws,
    templateVersionId: template.activeVersionId,
    initiatorId: user.id,
    status,
  });
}

describe("tracedStore", () => {
  test("records committed writes as the actor, with what each build's job is for", async () => {
    const { store, records, fx, template } = await setUp();
    const built = await store.inTx(async (tx) => {
      const txFx = new DbFixtures(tx, { ids: new Rng(2).stream("tx"), now: () => START });
      const ws = await txFx.workspace({ templateId: template.id });
      return {
        ws,
        built: await txFx.build({
          workspace: ws,
          templateVersionId: template.activeVersionId,
          status: "pending",
        }),
      };
    });
    expect(records.map((r) => [r.actor, r.kind])).toEqual([
      ["replica-0", "workspace.create"],
      ["replica-0", "build.create"],
    ]);
    expect(records[0]).toMatchObject({ workspace: built.ws.id, owner: "prebuilds", template: template.id });
    expect(records[1]).toMatchObject({
      workspace: built.ws.id,
      build: built.built.build.id,
      buildNumber: 1,
      transition: "start",
      initiator: "prebuilds",
      job: built.built.job.id,
      purpose: "prebuild",
      orphan: false,
    });
    await fx.deleteWorkspace(built.ws);
    expect(records.at(-1)).toMatchObject({ kind: "workspace.delete", workspace: built.ws.id });
  });

  test("writes of a rolled-back transaction are never recorded", async () => {
    const { store, records, template } = await setUp();
    await expect(
      store.inTx(async (tx) => {
        const txFx = new DbFixtures(tx, { ids: new Rng(3).stream("tx"), now: () => START });
        await txFx.workspace({ templateId: template.id });
        throw new Error("validation failed");
      }),
    ).rejects.toThrow(/validation failed/);
    expect(records).toEqual([]);
  });

  test("keeps the queue's depth: a committed build's job joins it, acquisition takes it out; a rollback never counts", async () => {
    const { store, queue, fx, template, user } = await setUp();
    await expect(
      store.inTx(async (tx) => {
        const txFx = new DbFixtures(tx, { ids: new Rng(4).stream("tx"), now: () => START });
        const ws = await txFx.workspace({ templateId: template.id });
        await txFx.build({ workspace: ws, templateVersionId: template.activeVersionId, status: "pending" });
        expect(queue.pending).toEqual({ prebuild: 0, human: 0 });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow(/rolled back/);
    expect(queue.enqueued).toBe(0);

    const { job } = await personalBuild({ fx, template, user }, "pending");
    expect(queue.pending).toEqual({ prebuild: 0, human: 1 });
    const acquired = await store.acquireProvisionerJob({ now: START, workerId: user.id, initiator: "any" });
    expect(acquired?.id).toBe(job.id);
    expect(queue.pending).toEqual({ prebuild: 0, human: 0 });
    expect(queue.enqueued).toBe(1);
  });

  test("a job's completion is recorded with its error", async () => {
    const { store, records, fx, template, user } = await setUp();
    const { job } = await personalBuild({ fx, template, user }, "running");
    records.length = 0;
    await store.updateProvisionerJobWithCompleteById({ id: job.id, completedAt: START, error: "boom" });
    expect(records).toEqual([
      { actor: "replica-0", kind: "job.complete", job: job.id, status: "failed", error: "boom" },
    ]);
  });
});

describe("crashableStore", () => {
  test("refuses every call once the replica is down, inside an open transaction too", async () => {
    const { root } = await setUp();
    let up = true;
    const store: Store = crashableStore(root, "replica-0", () => up);
    expect(await store.getPrebuildsSettings()).toBe("{}");
    await expect(
      store.inTx(async (tx) => {
        up = false;
        await tx.getPrebuildsSettings();
      }),
    ).rejects.toThrow(ReplicaDownError);
    await expect(store.getPrebuildsSettings()).rejects.toThrow(
      "getPrebuildsSettings on replica replica-0: the replica has crashed",
    );
    expect(store.connection).toBe("replica-0");
  });
});
