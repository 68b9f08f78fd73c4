// Every operator action of SCENARIOS.md `events` changes the world as upstream's API would.
import { describe, expect, test } from "vitest";
import { type Duration, MINUTE } from "../../src/clock/types.ts";
import type { OperatorAction, Scenario, Template } from "../../src/scenario/scenario.ts";
import { at, lastSample, lines, prebuildCreations, run, samples, useWorldDatabase } from "./harness.ts";
import { preset, START, scenario } from "./scenarioFixture.ts";

useWorldDatabase();

const ACTION_AT = 10 * MINUTE;

function withEvents(
  actions: { at: Duration; action: OperatorAction }[],
  overrides: Partial<Scenario> = {},
): Scenario {
  return scenario(
    {
      events: actions.map(({ at: offset, action }) => ({ atOffset: offset, at: START + offset, ...action })),
      ...overrides,
    },
    25 * MINUTE,
  );
}

function claimsAt(...offsets: Duration[]): Scenario["workload"] {
  return {
    claims: [
      {
        preset: { template: "dev", preset: "small" },
        arrivals: { kind: "at", times: offsets.map((o) => ({ atOffset: o, at: START + o })) },
      },
    ],
  };
}

const twoVersions: Template = {
  name: "dev",
  organization: "default",
  versions: [
    { name: "v1", active: true, parameters: [], presets: [preset("small", 2)] },
    { name: "v2", active: false, parameters: [], presets: [preset("small", 1)] },
  ],
};

describe("operator actions", () => {
  test("promote: the old version's prebuilds are deleted and the new version's pool is built", async () => {
    const r = await run(
      withEvents([{ at: ACTION_AT, action: { kind: "promote", template: "dev", version: "v2" } }], {
        templates: [twoVersions],
      }),
    );
    expect(r.failures).toEqual([]);
    expect(lines(r, "operator.promote").map((l) => [l.template, l.version])).toEqual([["dev", "v2"]]);
    const v1 = lastSample(r, "dev/v1/small");
    const v2 = lastSample(r, "dev/v2/small");
    expect([v1.desired, v1.running]).toEqual([0, 0]);
    expect([v2.desired, v2.running, v2.eligible]).toEqual([1, 1, 1]);
    const oldIds = prebuildCreations(r, r.catalog.preset("dev", "v1", "small").id).map((l) => l.workspace);
    const deletes = lines(r, "build.create")
      .filter((l) => l.transition === "delete")
      .map((l) => l.workspace);
    expect(deletes.sort()).toEqual(oldIds.sort());
    expect((await r.store.getTemplateById(r.catalog.template("dev").id)).activeVersionId).toBe(
      r.catalog.version("dev", "v2").id,
    );
  });

  test("setDesired: the pool grows to the new count", async () => {
    const r = await run(
      withEvents([
        {
          at: ACTION_AT,
          action: { kind: "setDesired", template: "dev", version: "v1", preset: "small", instances: 4 },
        },
      ]),
    );
    expect(lines(r, "operator.setDesired").map((l) => [l.preset, l.instances])).toEqual([
      ["dev/v1/small", 4],
    ]);
    const before = samples(r, "dev/v1/small").filter((s) => s.t < START + ACTION_AT);
    expect(before.at(-1)?.running).toBe(2);
    const end = lastSample(r, "dev/v1/small");
    expect([end.desired, end.running, end.eligible]).toEqual([4, 4, 4]);
  });

  test("pause and resume: no prebuild is built while paused; a claimed one is replaced after resuming", async () => {
    const r = await run(
      withEvents(
        [
          { at: ACTION_AT, action: { kind: "pause", paused: true } },
          { at: 20 * MINUTE, action: { kind: "pause", paused: false } },
        ],
        { workload: claimsAt(12 * MINUTE) },
      ),
    );
    expect(lines(r, "operator.pause").map((l) => l.paused)).toEqual([true, false]);
    expect(r.claims.map((c) => c.hit)).toEqual([true]);
    const duringPause = lines(r, "build.create").filter(
      (l) => l.initiator === "prebuilds" && at(l) >= START + ACTION_AT && at(l) < START + 20 * MINUTE,
    );
    expect(duringPause).toEqual([]);
    const paused = lines(r, "reconcile.cycle.end").filter((l) => l.paused);
    expect(paused.length).toBeGreaterThanOrEqual(9);
    expect(paused.every((l) => at(l) >= START + ACTION_AT && at(l) < START + 20 * MINUTE)).toBe(true);
    const atNineteen = samples(r, "dev/v1/small").find((s) => s.t >= START + 19 * MINUTE);
    expect(atNineteen?.running).toBe(1);
    expect(lastSample(r, "dev/v1/small").running).toBe(2);
    expect(await r.store.getPrebuildsSettings()).toBe('{"reconciliation_paused":false}');
  });

  test("invalidate: prebuilds created before the invalidation are replaced", async () => {
    const r = await run(withEvents([{ at: ACTION_AT, action: { kind: "invalidate", template: "dev" } }]));
    expect(lines(r, "operator.invalidate").map((l) => [l.template, l.presets])).toEqual([
      ["dev", ["dev/v1/small"]],
    ]);
    const presetId = r.catalog.preset("dev", "v1", "small").id;
    const created = prebuildCreations(r, presetId);
    const original = created.filter((l) => at(l) < START + ACTION_AT).map((l) => l.workspace);
    expect(original).toHaveLength(2);
    const deleted = lines(r, "build.create")
      .filter((l) => l.transition === "delete")
      .map((l) => l.workspace);
    expect(deleted.sort()).toEqual([...original].sort());
    expect(created.filter((l) => at(l) >= START + ACTION_AT)).toHaveLength(2);
    const end = lastSample(r, "dev/v1/small");
    expect([end.running, end.eligible]).toEqual([2, 2]);
  });

  test("deprecate: the pool is drained and people can no longer create workspaces from the template", async () => {
    const r = await run(
      withEvents([{ at: ACTION_AT, action: { kind: "deprecate", template: "dev", message: "use dev2" } }], {
        workload: claimsAt(15 * MINUTE),
      }),
    );
    expect(lines(r, "operator.deprecate").map((l) => l.template)).toEqual(["dev"]);
    const end = lastSample(r, "dev/v1/small");
    expect([end.desired, end.running]).toEqual([0, 0]);
    expect(r.claims.map((c) => c.error)).toEqual(["template dev is deprecated: use dev2"]);
    expect((await r.store.getTemplateById(r.catalog.template("dev").id)).deprecated).toBe("use dev2");
  });

  test("deleteTemplate: the template is soft-deleted and its prebuilds are deleted", async () => {
    const r = await run(withEvents([{ at: ACTION_AT, action: { kind: "deleteTemplate", template: "dev" } }]));
    expect(lines(r, "operator.deleteTemplate").map((l) => l.template)).toEqual(["dev"]);
    const end = lastSample(r, "dev/v1/small");
    expect([end.desired, end.running]).toEqual([0, 0]);
    expect(lines(r, "workspace.delete")).toHaveLength(2);
    expect((await r.store.getTemplateById(r.catalog.template("dev").id)).deleted).toBe(true);
  });
});
