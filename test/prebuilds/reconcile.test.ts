// Upstream's TestPrebuildReconciliation (spec §9.2): one preset desiring 1 and one existing
// prebuild whose only build is (transition × job status); every combination each scenario lists,
// with a working and a broken pubsub, reconciled 8 times (idempotency). Antagonists must stay
// untouched.
import { describe, expect, test } from "vitest";
import type { JobOutcome } from "../../src/db/fixtures.ts";
import type { WorkspaceTransition } from "../../src/db/rows.ts";
import { BrokenPubsub, type Pubsub } from "../../src/prebuilds/pubsub.ts";
import { useSimulation } from "./kernelHarness.ts";
import { antagonists, prebuildsOf, prebuildWithBuild, templateWithPreset } from "./reconcileFixtures.ts";

const sim = useSimulation();

const ALL_TRANSITIONS: WorkspaceTransition[] = ["start", "stop", "delete"];
const ALL_STATUSES: JobOutcome[] = ["pending", "running", "succeeded", "canceling", "canceled", "failed"];
const CYCLES = 8;

interface Scenario {
  name: string;
  templateVersionActive: boolean[];
  transitions: WorkspaceTransition[];
  statuses: JobOutcome[];
  templateDeleted: boolean[];
  /** undefined: not checked by this scenario. */
  shouldCreateNewPrebuild?: boolean;
  shouldDeleteOldPrebuild?: boolean;
}

const scenarios: Scenario[] = [
  {
    name: "never create prebuilds for inactive template versions",
    templateVersionActive: [false],
    transitions: ALL_TRANSITIONS,
    statuses: ALL_STATUSES,
    templateDeleted: [false],
    shouldCreateNewPrebuild: false,
  },
  {
    name: "no need to create a new prebuild if one is already running",
    templateVersionActive: [true],
    transitions: ["start"],
    statuses: ["succeeded"],
    templateDeleted: [false],
    shouldCreateNewPrebuild: false,
  },
  {
    name: "don't create a new prebuild if one is queued to build or already building",
    templateVersionActive: [true],
    transitions: ["start"],
    statuses: ["pending", "running"],
    templateDeleted: [false],
    shouldCreateNewPrebuild: false,
  },
  {
    name: "create a new prebuild if one is in a state that disqualifies it from ever being claimed",
    templateVersionActive: [true],
    transitions: ["stop", "delete"],
    statuses: ["pending", "running", "canceling", "succeeded"],
    templateDeleted: [false],
    shouldCreateNewPrebuild: true,
  },
  {
    name: "create a new prebuild if one is in any kind of exceptional state",
    templateVersionActive: [true],
    transitions: ["stop", "delete"],
    statuses: ["canceled"],
    templateDeleted: [false],
    shouldCreateNewPrebuild: true,
  },
  {
    name: "never attempt to interfere with active builds",
    templateVersionActive: [true],
    transitions: ALL_TRANSITIONS,
    statuses: ["pending", "running", "canceling"],
    templateDeleted: [false],
    shouldDeleteOldPrebuild: false,
  },
  {
    name: "never delete prebuilds in an exceptional state",
    templateVersionActive: [true, false],
    transitions: ALL_TRANSITIONS,
    statuses: ["canceled", "failed"],
    templateDeleted: [false],
    shouldDeleteOldPrebuild: false,
  },
  {
    name: "delete running prebuilds for inactive template versions",
    templateVersionActive: [false],
    transitions: ["start"],
    statuses: ["succeeded"],
    templateDeleted: [false],
    shouldDeleteOldPrebuild: true,
  },
  {
    name: "don't delete running prebuilds for active template versions",
    templateVersionActive: [true],
    transitions: ["start"],
    statuses: ["succeeded"],
    templateDeleted: [false],
    shouldDeleteOldPrebuild: false,
  },
  {
    name: "don't delete stopped or already deleted prebuilds",
    templateVersionActive: [true, false],
    transitions: ["stop", "delete"],
    statuses: ["succeeded"],
    templateDeleted: [false],
    shouldDeleteOldPrebuild: false,
  },
  {
    name: "soft-deleted templates MAY have prebuilds",
    templateVersionActive: [true, false],
    transitions: ["start"],
    statuses: ["succeeded"],
    templateDeleted: [true],
    shouldCreateNewPrebuild: false,
    shouldDeleteOldPrebuild: true,
  },
];

interface Row {
  name: string;
  scenario: Scenario;
  active: boolean;
  transition: WorkspaceTransition;
  status: JobOutcome;
  deleted: boolean;
  brokenPubsub: boolean;
}

function rowsOf(scenario: Scenario): Row[] {
  const rows: Row[] = [];
  for (const active of scenario.templateVersionActive) {
    for (const transition of scenario.transitions) {
      for (const status of scenario.statuses) {
        for (const deleted of scenario.templateDeleted) {
          for (const brokenPubsub of [false, true]) {
            rows.push({
              name: `version active ${active}, ${transition} × ${status}, template deleted ${deleted}, ${brokenPubsub ? "broken" : "working"} pubsub`,
              scenario,
              active,
              transition,
              status,
              deleted,
              brokenPubsub,
            });
          }
        }
      }
    }
  }
  return rows;
}

for (const scenario of scenarios) {
  describe(scenario.name, () => {
    test.each(rowsOf(scenario))("$name", async (row) => {
      const c = sim();
      const t = await templateWithPreset(c, { activeVersion: row.active, deleted: row.deleted });
      const others = await antagonists(c, t);
      const { workspace } = await prebuildWithBuild(c, t, { transition: row.transition, status: row.status });
      const pubsub: Pubsub = row.brokenPubsub ? new BrokenPubsub() : c.pubsub;
      const reconciler = c.newReconciler({ pubsub });

      // The publisher runs in the loop, whose first tick lies a day away: every notification of
      // these cycles goes through the (possibly broken) pubsub, and none of them matters.
      const loop = c.newRunLoop(reconciler);
      for (let i = 0; i < CYCLES; i++) await c.runTask(() => reconciler.reconcileAll(c.background));
      await loop.stop();

      const prebuilds = await prebuildsOf(c.db.driver, t.template.id);
      const newPrebuilds = prebuilds.filter((id) => id !== workspace.id);
      if (scenario.shouldCreateNewPrebuild !== undefined) {
        expect(newPrebuilds).toHaveLength(scenario.shouldCreateNewPrebuild ? 1 : 0);
      }
      const builds = await c.store.getWorkspaceBuildsByWorkspaceId(workspace.id);
      if (scenario.shouldDeleteOldPrebuild === true) {
        expect(builds.map((b) => b.transition)).toEqual([row.transition, "delete"]);
      } else if (scenario.shouldDeleteOldPrebuild === false) {
        expect(builds).toHaveLength(1);
      }

      expect(await c.store.getWorkspaceBuildsByWorkspaceId(others.stopped.id)).toHaveLength(2);
      expect(await c.store.getWorkspaceBuildsByWorkspaceId(others.userWorkspace.id)).toHaveLength(1);
      expect(c.kernel.failures).toEqual([]);
    });
  });
}

test("the broken pubsub's failures are logged, never raised", async () => {
  const c = sim();
  await templateWithPreset(c, { desired: 2 });
  const reconciler = c.newReconciler({ pubsub: new BrokenPubsub() });
  const loop = c.newRunLoop(reconciler);
  await c.runTask(() => reconciler.reconcileAll(c.background));
  await loop.stop();
  const failures = c.logger
    .entriesAt("error")
    .filter((e) => e.msg === "failed to post provisioner job to pubsub");
  expect(failures).toHaveLength(2);
});

test("a working pubsub carries one job posting per created prebuild", async () => {
  const c = sim();
  await templateWithPreset(c, { desired: 3 });
  const reconciler = c.newReconciler();
  const postings: string[] = [];
  c.pubsub.subscribe("provisioner_job_posted", (m) => postings.push(m));
  const loop = c.newRunLoop(reconciler);
  await c.runTask(() => reconciler.reconcileAll(c.background));
  await loop.stop();
  expect(postings).toHaveLength(3);
});
