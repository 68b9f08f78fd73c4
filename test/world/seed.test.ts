import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HOUR, MINUTE } from "../../src/clock/types.ts";
import { openDriver } from "../../src/db/backend.ts";
import { DEFAULT_ORGANIZATION_ID } from "../../src/db/constants.ts";
import { Database } from "../../src/db/database.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import { Rng } from "../../src/kernel/rng.ts";
import { TEMPLATE_ADMIN_ROLE } from "../../src/prebuilds/notifications.ts";
import type { Scenario } from "../../src/scenario/scenario.ts";
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

async function seeded(s: Scenario, seed = 1) {
  const clock = new InstantClock(START);
  const rng = new Rng(seed);
  const db = await Database.open({ driver, clock, rng });
  const store = db.connect("seed");
  const catalog = await seedWorld(store, s, (name) => rng.stream(name), START);
  return { store, catalog, clock };
}

const twoVersions: Scenario = scenario({
  organizations: ["default", "eng"],
  templates: [
    {
      name: "dev",
      organization: "eng",
      versions: [
        {
          name: "v1",
          active: true,
          parameters: [
            { name: "cpu", required: true, default: null, immutable: false },
            { name: "region", required: false, default: "eu", immutable: true },
          ],
          presets: [
            preset("small", 3, {
              parameters: [{ name: "cpu", value: "2" }],
              ttl: 8 * HOUR,
              scheduling: {
                timezone: "Europe/Berlin",
                schedules: [{ cron: "* 8-18 * * 1-5", instances: 6 }],
              },
            }),
            preset("manual", null),
          ],
        },
        { name: "v2", active: false, parameters: [], presets: [preset("small", 1)] },
      ],
    },
  ],
  users: { count: 2 },
});

describe("seedWorld", () => {
  test("every version is inserted, the active one promoted, presets carry desired, TTL and time zone", async () => {
    const { store, catalog } = await seeded(twoVersions);
    const rows = await store.getTemplatePresetsWithPrebuilds(null);
    expect(
      rows.map((r) => [
        r.templateVersionName,
        r.name,
        r.usingActiveVersion,
        r.desiredInstances,
        r.ttl,
        r.schedulingTimezone,
      ]),
    ).toEqual([
      ["v1", "small", true, 3, 8 * 3600, "Europe/Berlin"],
      ["v2", "small", false, 1, null, ""],
    ]);
    const template = await store.getTemplateById(catalog.template("dev").id);
    expect(template.activeVersionId).toBe(catalog.version("dev", "v1").id);
    expect(template.organizationId).toBe(catalog.organizationId("eng"));
    expect(catalog.organizationId("default")).toBe(DEFAULT_ORGANIZATION_ID);
    // The preset without prebuild configuration exists, but not among the prebuild presets.
    expect((await store.getPresetById(catalog.preset("dev", "v1", "manual").id)).desiredInstances).toBeNull();
  });

  test("template version parameters, preset parameters and schedules are stored", async () => {
    const { store, catalog } = await seeded(twoVersions);
    const v1 = catalog.version("dev", "v1");
    const params = await store.getTemplateVersionParameters(v1.id);
    expect(params.map((p) => [p.name, p.required, p.defaultValue, p.mutable])).toEqual([
      ["cpu", true, "", true],
      ["region", false, "eu", false],
    ]);
    const presetParams = await store.getPresetParametersByTemplateVersionId(v1.id);
    expect(presetParams.map((p) => [p.templateVersionPresetId, p.name, p.value])).toEqual([
      [catalog.preset("dev", "v1", "small").id, "cpu", "2"],
    ]);
    const schedules = await store.getActivePresetPrebuildSchedules();
    expect(schedules.map((s) => [s.presetId, s.cronExpression, s.desiredInstances])).toEqual([
      [catalog.preset("dev", "v1", "small").id, "* 8-18 * * 1-5", 6],
    ]);
  });

  test("people and one template admin are created; only the admin has the template-admin role", async () => {
    const { store, catalog } = await seeded(twoVersions);
    expect(catalog.people.map((p) => p.username)).toEqual(["user-0", "user-1"]);
    const admins = await store.getUsers({ rbacRole: TEMPLATE_ADMIN_ROLE });
    expect(admins.map((u) => u.id)).toEqual([catalog.templateAdmin.id]);
  });

  test("the same scenario and seed give the same ids; another seed gives others", async () => {
    const a = await seeded(twoVersions, 5);
    const b = await seeded(twoVersions, 5);
    const c = await seeded(twoVersions, 6);
    expect(b.catalog.presets.map((p) => p.id)).toEqual(a.catalog.presets.map((p) => p.id));
    expect(c.catalog.presets.map((p) => p.id)).not.toEqual(a.catalog.presets.map((p) => p.id));
  });

  // Each entity draws from its own stream (seed/<kind>/<name>): a shrink that drops one keeps
  // every other row's id, so the rest of the run keeps its identities.
  test("removing a template, a preset or a person leaves every other entity's ids", async () => {
    const full = await seeded(
      {
        ...twoVersions,
        templates: [
          {
            name: "ops",
            organization: "default",
            versions: [{ name: "v1", active: true, parameters: [], presets: [preset("tiny", 1)] }],
          },
          ...twoVersions.templates,
        ],
        users: { count: 3 },
      },
      5,
    );
    const idsOf = (c: typeof full.catalog) => ({
      template: c.template("dev").id,
      versions: [c.version("dev", "v1").id, c.version("dev", "v2").id],
      manual: c.preset("dev", "v1", "manual").id,
      v2small: c.preset("dev", "v2", "small").id,
      people: c.people.slice(0, 2).map((p) => p.id),
      admin: c.templateAdmin.id,
      eng: c.organizationId("eng"),
    });
    const kept = idsOf(full.catalog);
    const withoutOps = await seeded(twoVersions, 5);
    expect(idsOf(withoutOps.catalog)).toEqual(kept);
    const [dev] = twoVersions.templates;
    if (dev === undefined) throw new Error("fixture");
    const [v1, v2] = dev.versions;
    if (v1 === undefined || v2 === undefined) throw new Error("fixture");
    const withoutSmall = await seeded(
      {
        ...twoVersions,
        templates: [
          { ...dev, versions: [{ ...v1, presets: v1.presets.filter((p) => p.name !== "small") }, v2] },
        ],
      },
      5,
    );
    expect(idsOf(withoutSmall.catalog)).toEqual(kept);
  });

  test("catalog keys are template/version/preset and resolve back from ids", async () => {
    const { catalog } = await seeded(twoVersions);
    expect(catalog.presets.map((p) => p.key)).toEqual(["dev/v1/small", "dev/v1/manual", "dev/v2/small"]);
    const p = catalog.preset("dev", "v2", "small");
    expect(catalog.presetById(p.id)).toBe(p);
    expect(catalog.versionById(p.versionId)).toBe(catalog.version("dev", "v2"));
    expect(() => catalog.preset("dev", "v3", "small")).toThrow(/template dev has no version v3/);
  });

  test("seeding is one transaction: one park point on the connection", async () => {
    const { clock } = await seeded(scenario({ sampleEvery: MINUTE }));
    expect(clock.sleeps.map((s) => s.tags)).toEqual([["db", "seed", "inTx"]]);
  });
});
