// Snapshot statements rewritten for issue #19 (speed at 1,000 presets) must return exactly the
// rows of the statements as they were, kept here as oracles, on random histories (failures, later
// builds with and without a preset, claims, deletions, an inactive version, deleted templates)
// and on a long synthetic one. GetRunningPrebuiltWorkspaces (§2.3) takes the current preset from
// the latest build when it has one, instead of looking through the workspace's builds for every
// running prebuild. (GetPrebuildMetrics' rewrite is checked in supportQueries.test.ts.)
import fc from "fast-check";
import { expect, test } from "vitest";
import { MINUTE } from "../../src/clock/types.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../../src/db/constants.ts";
import type { SqlDriver, SqlExecutor } from "../../src/db/driver.ts";
import type { JobOutcome } from "../../src/db/fixtures.ts";
import * as prebuilds from "../../src/db/queries/prebuilds.ts";
import type { PresetRow } from "../../src/db/rows.ts";
import { writeSyntheticHistory } from "../../src/db/syntheticHistory.ts";
import { type DbTestContext, describeEachBackend, T0 } from "./harness.ts";

const P_USER = `'${PREBUILDS_SYSTEM_USER_ID}'::uuid`;

const RUNNING_ORACLE = `
  SELECT
    p.id, p.name, p.template_id, p.template_version_id,
    current_preset.template_version_preset_id AS current_preset_id,
    coalesce(readiness.ready, false) AS ready,
    p.created_at
  FROM (
    SELECT w.id, w.name, w.template_id, w.created_at, wlb.template_version_id, wlb.job_id
    FROM workspace_latest_builds wlb
    JOIN workspaces w ON w.id = wlb.workspace_id
    WHERE wlb.transition = 'start'
      AND wlb.job_status = 'succeeded'
      AND w.owner_id = ${P_USER}
      AND w.deleted = false
  ) p
  LEFT JOIN LATERAL (
    SELECT wb.template_version_preset_id
    FROM workspace_builds wb
    WHERE wb.workspace_id = p.id AND wb.transition = 'start' AND wb.template_version_preset_id IS NOT NULL
    ORDER BY wb.build_number DESC
    LIMIT 1
  ) current_preset ON true
  LEFT JOIN LATERAL (
    SELECT bool_and(a.lifecycle_state = 'ready') AS ready
    FROM workspace_resources wr
    CROSS JOIN LATERAL (
      SELECT wa.lifecycle_state FROM workspace_agents wa
      WHERE wa.resource_id = wr.id AND wa.deleted = false AND wa.parent_id IS NULL
      OFFSET 0
    ) a
    WHERE wr.job_id = p.job_id
  ) readiness ON true
  ORDER BY p.id`;

/** The statement a query sends (the Store's text), captured by running it once. */
async function statementOf(driver: SqlDriver, run: (q: SqlExecutor) => Promise<unknown>): Promise<string> {
  let sql = "";
  await run({
    query: (text, args) => {
      sql = text;
      return driver.query(text, args);
    },
    exec: (text) => driver.exec(text),
  });
  return sql;
}

/** The statement's rows against its oracle's; returns how many running prebuilds took their
 * current preset from an earlier build than their latest (the rows the rewrite reads further). */
async function expectOracleRows(c: DbTestContext): Promise<number> {
  const running = await statementOf(c.driver, (q) => prebuilds.getRunningPrebuiltWorkspaces.run(q));
  const rows = await c.driver.query(running);
  expect(rows).toEqual(await c.driver.query(RUNNING_ORACLE));
  const latest = await c.driver.query(
    `SELECT workspace_id::text AS id FROM workspace_latest_builds WHERE template_version_preset_id IS NULL`,
  );
  const noPresetOnLatest = new Set(latest.map((r) => r.id));
  return rows.filter((r) => noPresetOnLatest.has(r.id) && r.current_preset_id !== null).length;
}

interface Prebuild {
  preset: number;
  status: JobOutcome;
  minutesAgo: number;
  claimed: boolean;
  deleted: boolean;
  /** A later build of the same workspace, if any. */
  next: "none" | "stop" | "start-failed" | "start-succeeded" | "start-nopreset" | "delete-pending";
}

const prebuild: fc.Arbitrary<Prebuild> = fc.record({
  preset: fc.constantFrom(0, 1, 1, 2, 2),
  status: fc.constantFrom<JobOutcome>("failed", "failed", "succeeded", "pending", "running", "canceled"),
  minutesAgo: fc.nat({ max: 90 }),
  // Mostly live prebuilds: those are what gets numbered.
  claimed: fc.constantFrom(false, false, false, true),
  deleted: fc.constantFrom(false, false, false, true),
  next: fc.constantFrom(
    "none",
    "none",
    "none",
    "stop",
    "start-failed",
    "start-succeeded",
    "start-nopreset",
    "delete-pending",
  ),
});

describeEachBackend("Snapshot statements rewritten for speed against the statements as they were", (ctx) => {
  test("on 30 random histories", async () => {
    const c = ctx();
    const user = await c.fx.user();
    let fromEarlierBuilds = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(prebuild, { minLength: 6, maxLength: 24 }),
        fc.array(fc.constantFrom(1, 1, 2, 3, 0, null), { minLength: 2, maxLength: 2 }),
        fc.constantFrom(false, false, false, true),
        async (list, desired, templateDeleted) => {
          // Each run adds a template of its own: the statements answer over everything so far.
          const { template, version: old } = await c.fx.template();
          const inactive = await c.fx.preset({ templateVersionId: old.id, desiredInstances: 2 });
          const active = await c.fx.templateVersion({ template, activate: true });
          const presets: PresetRow[] = [inactive];
          for (const d of desired)
            presets.push(await c.fx.preset({ templateVersionId: active.id, desiredInstances: d }));
          for (const p of list) {
            const preset = presets[p.preset] as PresetRow;
            const createdAt = T0 - p.minutesAgo * MINUTE;
            const { workspace } = await c.fx.prebuild({
              preset,
              templateId: template.id,
              status: p.status,
              createdAt,
              ...(p.claimed ? { ownerId: user.id } : {}),
              deleted: p.deleted,
            });
            if (p.next === "none") continue;
            const [transition, outcome] = p.next.split("-") as ["stop" | "start" | "delete", string?];
            await c.fx.build({
              workspace,
              templateVersionId: preset.templateVersionId,
              transition,
              presetId: transition === "stop" || outcome === "nopreset" ? null : preset.id,
              status: outcome === "failed" || outcome === "pending" ? outcome : "succeeded",
              createdAt: createdAt + MINUTE,
            });
          }
          if (templateDeleted)
            await c.driver.query("UPDATE templates SET deleted = true WHERE id = $1", [template.id]);
          fromEarlierBuilds += await expectOracleRows(c);
        },
      ),
      { numRuns: 30, seed: 19 },
    );
    // The histories did exercise the current preset of an earlier build.
    expect(fromEarlierBuilds).toBeGreaterThan(10);
  }, 120_000);

  test("on a long synthetic history", async () => {
    const c = ctx();
    await writeSyntheticHistory(c.driver, { builds: 3_000, end: T0, analyze: false });
    await expectOracleRows(c);
    expect((await c.store.getRunningPrebuiltWorkspaces()).length).toBeGreaterThan(0);
  });
});
