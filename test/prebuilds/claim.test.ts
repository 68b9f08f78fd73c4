// Claiming through the create-workspace flow (spec §5.6): TestClaimPrebuild for the default and a
// non-default organization, and FindMatchingPresetID's cases, through the flow where they can be.
import { describe, expect, test } from "vitest";
import { DEFAULT_ORGANIZATION_ID, PREBUILDS_SYSTEM_USER_ID } from "../../src/db/constants.ts";
import type { PresetRow, TemplateRow, TemplateVersionRow } from "../../src/db/rows.ts";
import type { Store } from "../../src/db/store.ts";
import {
  AGPLDoesNotSupportPrebuiltWorkspacesError,
  type Claimer,
  type ClaimRequest,
  EnterpriseClaimer,
  NoClaimablePrebuiltWorkspacesError,
} from "../../src/prebuilds/claimer.ts";
import { type CreateWorkspaceRequest, createWorkspace } from "../../src/prebuilds/createWorkspace.ts";
import { WorkspaceBuilder } from "../../src/prebuilds/workspaceBuilder.ts";
import { type SimContext, useSimulation } from "./kernelHarness.ts";
import { completePendingJobs } from "./provisionerStandIn.ts";

const sim = useSimulation();

/** Records every claim and, when told, fails it instead of claiming. */
class RecordingClaimer implements Claimer {
  readonly calls: ClaimRequest[] = [];
  readonly #inner = new EnterpriseClaimer();
  constructor(private readonly inject: Error | null = null) {}
  async claim(store: Store, request: ClaimRequest): Promise<string> {
    this.calls.push(request);
    if (this.inject !== null) throw this.inject;
    return this.#inner.claim(store, request);
  }
  initiator(): string {
    return PREBUILDS_SYSTEM_USER_ID;
  }
}

interface ClaimFixture {
  template: TemplateRow;
  version: TemplateVersionRow;
  presetA: PresetRow;
  presetB: PresetRow;
  userId: string;
}

/** One template with `preset-a` (k1=v1) and `preset-b` (k1=v2), desired 1 each, and their prebuilds. */
async function arrange(c: SimContext, organizationId: string, ready: boolean): Promise<ClaimFixture> {
  const { template, version } = await c.fx.template({ organizationId, name: "tpl" });
  await c.store.insertTemplateVersionParameter({ templateVersionId: version.id, name: "k1", type: "string" });
  const presetA = await c.fx.preset({
    templateVersionId: version.id,
    name: "preset-a",
    parameters: { k1: "v1" },
  });
  const presetB = await c.fx.preset({
    templateVersionId: version.id,
    name: "preset-b",
    parameters: { k1: "v2" },
  });
  const user = await c.fx.user({ username: "claimant", organizationId });
  await reconcileAndProvision(c, ready);
  return { template, version, presetA, presetB, userId: user.id };
}

async function reconcileAndProvision(c: SimContext, ready: boolean): Promise<void> {
  const reconciler = c.newReconciler();
  await c.runTask(() => reconciler.reconcileAll(c.background));
  await completePendingJobs(c.store, c.ids, c.clock.now(), ready ? "ready" : "starting");
}

async function runningPrebuilds(c: SimContext, templateId: string): Promise<string[]> {
  return (await c.store.getRunningPrebuiltWorkspaces())
    .filter((r) => r.templateId === templateId)
    .map((r) => r.id);
}

function request(f: ClaimFixture, extra: Partial<CreateWorkspaceRequest> = {}): CreateWorkspaceRequest {
  return {
    ownerId: f.userId,
    templateId: f.template.id,
    name: "my-workspace",
    templateVersionPresetId: f.presetA.id,
    richParameterValues: [{ name: "k1", value: "v1" }],
    ...extra,
  };
}

function create(c: SimContext, claimer: Claimer, req: CreateWorkspaceRequest) {
  return c.runTask(() =>
    createWorkspace(
      { store: c.store, clock: c.clock, ids: c.ids, claimer, pubsub: c.pubsub, logger: c.logger },
      req,
    ),
  );
}

for (const org of ["default", "non-default"] as const) {
  describe(`TestClaimPrebuild (${org} organization)`, () => {
    async function organization(c: SimContext): Promise<string> {
      return org === "default"
        ? DEFAULT_ORGANIZATION_ID
        : (await c.fx.organization({ name: "other-org" })).id;
    }

    test("no eligible prebuilds to claim", async () => {
      const c = sim();
      const f = await arrange(c, await organization(c), false);
      const claimer = new RecordingClaimer();
      const result = await create(c, claimer, request(f));

      expect(claimer.calls).toEqual([
        {
          now: c.clock.now(),
          userId: f.userId,
          name: "my-workspace",
          presetId: f.presetA.id,
          autostartSchedule: null,
          nextStartAt: null,
          ttl: null,
        },
      ]);
      expect(result.claim).toBe("no_claimable");
      expect(result.workspace.ownerId).toBe(f.userId);
      expect(result.build.buildNumber).toBe(1);
      expect(result.build.initiatorId).toBe(f.userId);
      expect(result.job.input.prebuiltWorkspaceBuildStage).toBe("none");
      expect(await runningPrebuilds(c, f.template.id)).toHaveLength(2);
    });

    test("claiming an eligible prebuild should succeed", async () => {
      const c = sim();
      const f = await arrange(c, await organization(c), true);
      const before = await runningPrebuilds(c, f.template.id);
      expect(before).toHaveLength(2);
      const claimer = new RecordingClaimer();
      const result = await create(c, claimer, request(f));

      expect(result.claim).toBe("claimed");
      expect(before).toContain(result.workspace.id);
      expect(result.workspace.ownerId).toBe(f.userId);
      expect(result.workspace.name).toBe("my-workspace");
      expect(result.build.initiatorId).toBe(f.userId);
      expect(result.build.buildNumber).toBe(2);
      expect(result.build.templateVersionPresetId).toBe(f.presetA.id);
      expect(result.job.input.prebuiltWorkspaceBuildStage).toBe("claim");
      const [claimBuild] = await completePendingJobs(c.store, c.ids, c.clock.now());
      expect(claimBuild?.job.jobStatus).toBe("succeeded");

      const after = await runningPrebuilds(c, f.template.id);
      expect(after).toHaveLength(1);
      expect(after).not.toContain(result.workspace.id);

      // The reconciler notices the pool shrank and replaces the claimed prebuild.
      await reconcileAndProvision(c, true);
      expect(await runningPrebuilds(c, f.template.id)).toHaveLength(2);

      // Stopping and starting the claimed workspace claims nothing.
      const workspace = await c.store.getWorkspaceById(result.workspace.id);
      await c.runTask(() => WorkspaceBuilder.create(workspace, "stop").build(c.store, c));
      await completePendingJobs(c.store, c.ids, c.clock.now());
      await c.runTask(() => WorkspaceBuilder.create(workspace, "start").build(c.store, c));
      expect(claimer.calls).toHaveLength(1);
    });

    test.each([
      {
        name: "no claimable prebuilt workspaces error",
        error: new NoClaimablePrebuiltWorkspacesError("x"),
        outcome: "no_claimable",
      },
      {
        name: "AGPL does not support prebuilds error",
        error: new AGPLDoesNotSupportPrebuiltWorkspacesError(),
        outcome: "not_supported",
      },
    ] as const)("$name: falls back to a new workspace", async ({ error, outcome }) => {
      const c = sim();
      const f = await arrange(c, await organization(c), true);
      const claimer = new RecordingClaimer(error);
      const result = await create(c, claimer, request(f));
      expect(result.claim).toBe(outcome);
      expect(result.build.buildNumber).toBe(1);
      expect(result.build.initiatorId).toBe(f.userId);
      expect(await runningPrebuilds(c, f.template.id)).toHaveLength(2);
    });

    test("unexpected claiming error: the request fails and creates nothing", async () => {
      const c = sim();
      const f = await arrange(c, await organization(c), true);
      const claimer = new RecordingClaimer(new Error("unexpected claiming error"));
      await expect(create(c, claimer, request(f))).rejects.toThrow(/unexpected claiming error/);
      expect(await runningPrebuilds(c, f.template.id)).toHaveLength(2);
      const mine = await c.db.driver.query("SELECT count(*)::int AS n FROM workspaces WHERE owner_id = $1", [
        f.userId,
      ]);
      expect(mine[0]?.n).toBe(0);
    });
  });
}

interface MatchCase {
  name: string;
  presets: Record<string, string>[];
  provided: Record<string, string>;
  /** Index of the expected preset, or null for no match. */
  expected: number | null;
}

describe("FindMatchingPresetID", () => {
  async function version(c: SimContext) {
    const { template, version } = await c.fx.template({ name: "match" });
    for (const name of ["k1", "k2", "k3"]) {
      await c.store.insertTemplateVersionParameter({ templateVersionId: version.id, name, type: "string" });
    }
    const user = await c.fx.user({ username: "matcher" });
    return { template, version, userId: user.id };
  }

  /** The preset the flow infers for these parameters (and claims with), or null. */
  async function inferred(
    c: SimContext,
    v: Awaited<ReturnType<typeof version>>,
    params: Record<string, string>,
  ) {
    const claimer = new RecordingClaimer();
    const result = await create(c, claimer, {
      ownerId: v.userId,
      templateId: v.template.id,
      name: `ws-${c.ids.int(1_000_000)}`,
      richParameterValues: Object.entries(params).map(([name, value]) => ({ name, value })),
    });
    expect(claimer.calls.map((call) => call.presetId)).toEqual(
      result.presetId === null ? [] : [result.presetId],
    );
    if (result.presetId === null) expect(result.claim).toBe("no_preset");
    return result.presetId;
  }

  test.each<MatchCase>([
    { name: "exact match", presets: [{ k1: "v1", k2: "v2" }], provided: { k1: "v1", k2: "v2" }, expected: 0 },
    {
      name: "different values",
      presets: [{ k1: "v1", k2: "v2" }],
      provided: { k1: "v1", k2: "x" },
      expected: null,
    },
    {
      name: "fewer provided parameters",
      presets: [{ k1: "v1", k2: "v2" }],
      provided: { k1: "v1" },
      expected: null,
    },
    {
      name: "extra provided parameter (subset match)",
      presets: [{ k1: "v1" }],
      provided: { k1: "v1", k2: "v2" },
      expected: 0,
    },
    {
      name: "two presets, first matches",
      presets: [{ k1: "v1" }, { k1: "other" }],
      provided: { k1: "v1" },
      expected: 0,
    },
    {
      name: "largest subset wins",
      presets: [{ k1: "v1", k2: "v2" }, { k1: "v1" }],
      provided: { k1: "v1", k2: "v2", k3: "v3" },
      expected: 0,
    },
  ])("$name", async ({ presets, provided, expected }) => {
    const c = sim();
    const v = await version(c);
    const ids: string[] = [];
    for (const [i, parameters] of presets.entries()) {
      ids.push(
        (
          await c.fx.preset({
            templateVersionId: v.version.id,
            name: `preset${i}`,
            desiredInstances: null,
            parameters,
          })
        ).id,
      );
    }
    expect(await inferred(c, v, provided)).toBe(expected === null ? null : ids[expected]);
  });

  test("names and values of different lengths are an error", async () => {
    const c = sim();
    const v = await version(c);
    await expect(
      c.store.findMatchingPresetId({
        templateVersionId: v.version.id,
        parameterNames: ["k1"],
        parameterValues: [],
      }),
    ).rejects.toThrow(/parameter names and values must have the same length/);
  });
});
