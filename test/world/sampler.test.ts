import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MINUTE } from "../../src/clock/types.ts";
import { openDriver } from "../../src/db/backend.ts";
import { Database } from "../../src/db/database.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import { DbFixtures } from "../../src/db/fixtures.ts";
import { Rng } from "../../src/kernel/rng.ts";
import { LockId } from "../../src/prebuilds/constants.ts";
import { Sampler } from "../../src/world/sampler.ts";
import { seedWorld } from "../../src/world/seed.ts";
import { InstantClock } from "../db/instantClock.ts";
import { preset, START, scenario } from "./scenarioFixture.ts";

let driver: SqlDriver;
beforeAll(async () => {
  driver = await openDriver();
});
afterAll(async () => {
  await driver.close();
});

const world = scenario({
  templates: [
    {
      name: "dev",
      organization: "default",
      versions: [
        {
          name: "v1",
          active: true,
          parameters: [],
          presets: [
            preset("small", 3),
            // Monday 2 March 2026 06:00 UTC is inside every hour of every weekday.
            preset("sched", 1, {
              scheduling: { timezone: "UTC", schedules: [{ cron: "* 0-23 * * 1-5", instances: 5 }] },
            }),
          ],
        },
        { name: "v2", active: false, parameters: [], presets: [preset("small", 2)] },
      ],
    },
  ],
});

async function setUp() {
  const clock = new InstantClock(START);
  const rng = new Rng(1);
  const db = await Database.open({ driver, clock, rng });
  const store = db.connect("sampler-test");
  const catalog = await seedWorld(store, world, (name) => rng.stream(name), START);
  const fx = new DbFixtures(store, { ids: rng.stream("fixtures"), now: () => clock.now() });
  const sampler = new Sampler(db.driver, db.locks, MINUTE, catalog.presets);
  return { db, store, catalog, fx, sampler };
}

describe("Sampler", () => {
  test("counts each preset's prebuilds by their latest build, straight from the tables", async () => {
    const { store, catalog, fx, sampler } = await setUp();
    const templateId = catalog.template("dev").id;
    const small = await store.getPresetById(catalog.preset("dev", "v1", "small").id);
    const old = await store.getPresetById(catalog.preset("dev", "v2", "small").id);
    await fx.prebuild({ preset: small, templateId });
    await fx.prebuild({ preset: small, templateId, ready: false });
    await fx.prebuild({ preset: small, templateId, status: "failed" });
    await fx.prebuild({ preset: small, templateId, status: "pending" });
    const doomed = await fx.prebuild({ preset: small, templateId });
    await fx.build({
      workspace: doomed.workspace,
      templateVersionId: small.templateVersionId,
      transition: "delete",
      presetId: small.id,
      status: "running",
    });
    // Not counted: claimed (another owner) and deleted prebuilds.
    await fx.prebuild({ preset: small, templateId, ownerId: catalog.people[0]!.id });
    await fx.prebuild({ preset: small, templateId, deleted: true });
    await fx.prebuild({ preset: old, templateId });

    await sampler.sample(START);
    const series = new Map(sampler.timeseries.presets.map((s) => [s.key, s.samples]));
    expect(series.get("dev/v1/small")).toEqual([
      { t: START, desired: 3, running: 2, eligible: 1, starting: 1, stopping: 0, deleting: 1, failed: 1 },
    ]);
    expect(series.get("dev/v2/small")).toEqual([
      { t: START, desired: 0, running: 1, eligible: 1, starting: 0, stopping: 0, deleting: 0, failed: 0 },
    ]);
    expect(series.get("dev/v1/sched")?.[0]?.desired).toBe(5);
  });

  test("reads the queue by initiator and the lock holder from the lock manager", async () => {
    const { store, catalog, fx, sampler } = await setUp();
    const templateId = catalog.template("dev").id;
    const small = await store.getPresetById(catalog.preset("dev", "v1", "small").id);
    await fx.prebuild({ preset: small, templateId, status: "pending" });
    await fx.prebuild({ preset: small, templateId, status: "pending" });
    await fx.prebuild({ preset: small, templateId, status: "running" });
    const person = catalog.people[0]!;
    const ws = await fx.workspace({ templateId, ownerId: person.id });
    await fx.build({
      workspace: ws,
      templateVersionId: small.templateVersionId,
      initiatorId: person.id,
      status: "pending",
    });

    await sampler.sample(START);
    await store.inTx(
      async (tx) => {
        expect(await tx.tryAcquireLock(LockId.ReconcilePrebuilds)).toBe(true);
        await sampler.sample(START + MINUTE);
      },
      { readOnly: true },
    );
    const { queue, lock } = sampler.timeseries;
    expect(queue).toEqual([
      { t: START, prebuild: 2, human: 1, running: 1 },
      { t: START + MINUTE, prebuild: 2, human: 1, running: 1 },
    ]);
    expect(lock).toEqual([
      { t: START, holder: null },
      { t: START + MINUTE, holder: "sampler-test" },
    ]);
  });
});
