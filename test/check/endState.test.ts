// The end state is read straight from the database: presets with their activity and status, and
// the prebuilds user's live workspaces with their latest build.
import { expect, test } from "vitest";
import { readEndState } from "../../src/check/endState.ts";
import { MINUTE } from "../../src/clock/types.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../../src/db/constants.ts";
import { describeEachBackend, T0 } from "../db/harness.ts";

const EMPTY_SERIES = { sampleEvery: MINUTE, presets: [], queue: [], lock: [] };

describeEachBackend("readEndState", (ctx) => {
  test("lists configured presets with activity and status, and live prebuilds with their latest build", async () => {
    const c = ctx();
    const { template, version: v1 } = await c.fx.template({ name: "dev", versionName: "v1" });
    const old = await c.fx.preset({ templateVersionId: v1.id, name: "small", desiredInstances: 2 });
    await c.fx.preset({ templateVersionId: v1.id, name: "plain", desiredInstances: null });
    const v2 = await c.fx.templateVersion({ template, name: "v2", activate: true });
    const current = await c.fx.preset({ templateVersionId: v2.id, name: "small", desiredInstances: 2 });
    await c.store.updatePresetPrebuildStatus({ presetId: current.id, status: "hard_limited" });

    const leaked = await c.fx.prebuild({ preset: old, templateId: template.id, createdAt: T0 });
    await c.fx.build({
      workspace: leaked.workspace,
      templateVersionId: v1.id,
      transition: "delete",
      presetId: old.id,
      status: "failed",
      createdAt: T0 + 5 * MINUTE,
    });
    await c.fx.prebuild({ preset: current, templateId: template.id, status: "failed", createdAt: T0 });
    await c.fx.prebuild({ preset: current, templateId: template.id, deleted: true });
    await c.fx.prebuild({ preset: current, templateId: template.id, ownerId: (await c.fx.user()).id });

    const end = await readEndState(c.driver, PREBUILDS_SYSTEM_USER_ID, T0 + 60 * MINUTE, EMPTY_SERIES);
    expect(end.presets.map((p) => [p.key, p.active, p.status])).toEqual([
      ["dev/v1/small", false, "healthy"],
      ["dev/v2/small", true, "hard_limited"],
    ]);
    const byKey = end.prebuilds.map((p) => [p.preset, p.buildNumber, p.transition, p.jobStatus]).sort();
    expect(byKey).toEqual([
      ["dev/v1/small", 2, "delete", "failed"],
      ["dev/v2/small", 1, "start", "failed"],
    ]);
    const del = end.prebuilds.find((p) => p.transition === "delete");
    expect(del?.createdAt).toBe(T0 + 5 * MINUTE);
    expect(del?.workspace).toBe(leaked.workspace.id);
  });
});
