// What a claim does to the agent (upstream v2.31): the claim build's completion publishes the
// reinitialization event on the workspace's channel, the prebuild's running agent restarts as the
// new owner's, and the person can use the workspace only once it is ready again. Upstream's
// provisionerdserver test "ReinitializePrebuiltAgents" is ported by name (its two cases), with the
// world tests that show the claim's wait — in the trace and in summary.json — includes the reinit.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MINUTE, SECOND } from "../../src/clock/types.ts";
import { openDriver } from "../../src/db/backend.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import { MemoryPubsub, type Pubsub } from "../../src/prebuilds/pubsub.ts";
import { REINITIALIZE_REASON_PREBUILD_CLAIMED } from "../../src/prebuilds/reinitialization.ts";
import { executeRun } from "../../src/run/execute.ts";
import type { Provisioners, Scenario } from "../../src/scenario/scenario.ts";
import type { TraceKind } from "../../src/trace/events.ts";
import { simulate } from "../../src/world/simulate.ts";
import { at, lines } from "./harness.ts";
import { devTemplate, fastProvisioners, preset, START, scenario } from "./scenarioFixture.ts";

let driver: SqlDriver;
beforeAll(async () => {
  driver = await openDriver();
});
afterAll(async () => {
  await driver.close();
});

const READY = 20 * SECOND;
const REINIT = 45 * SECOND;

function claimAt(offset: number, provisioners: Partial<Provisioners> = {}, drift = 0): Scenario {
  return scenario(
    {
      provisioners: { ...fastProvisioners, agentReadyAfter: { fixed: READY }, ...provisioners },
      templates: [devTemplate(preset("small", 1, { drift: { replaceOnClaim: drift } }))],
      workload: {
        claims: [
          {
            preset: { template: "dev", preset: "small" },
            arrivals: { kind: "at", times: [{ atOffset: offset, at: START + offset }] },
          },
        ],
      },
    },
    20 * MINUTE,
  );
}

async function run(s: Scenario, pubsub?: Pubsub) {
  const r = await simulate(s, { seed: 1, database: driver, ...(pubsub === undefined ? {} : { pubsub }) });
  return { r, of: <K extends TraceKind>(kind: K) => lines(r, kind) };
}

describe("ReinitializePrebuiltAgents", () => {
  // Upstream's only lever is whether the completed job is a claim; here a person claims after the
  // pool is ready (a hit, a claim build) or before it (a miss, a regular build).
  test.each([
    { name: "claimed prebuild", claimAfter: 10 * MINUTE, shouldReinitializeAgent: true },
    { name: "not a claimed prebuild", claimAfter: 30 * SECOND, shouldReinitializeAgent: false },
  ])("$name", async ({ claimAfter, shouldReinitializeAgent }) => {
    const { r, of } = await run(claimAt(claimAfter, { agentReinitAfter: { fixed: REINIT } }));
    expect(r.failures).toEqual([]);
    const [claim] = r.claims;
    expect(claim?.hit).toBe(shouldReinitializeAgent);
    const person = r.catalog.people.find((p) => p.actor === claim?.user);
    if (!shouldReinitializeAgent) {
      expect(of("agent.reinit.publish")).toEqual([]);
      expect(of("agent.reinit")).toEqual([]);
      // A regular build and a first start.
      expect(claim?.waitMs).toBeGreaterThanOrEqual(2 * MINUTE + READY);
      expect(claim?.waitMs).toBeLessThan(2 * MINUTE + READY + SECOND);
      return;
    }
    // One event, on the claimed workspace's channel, naming the new owner.
    expect(of("agent.reinit.publish").map((l) => [l.workspace, l.owner, l.reason, l.error])).toEqual([
      [claim?.workspace, person?.id, REINITIALIZE_REASON_PREBUILD_CLAIMED, undefined],
    ]);
    const [reinit] = of("agent.reinit");
    expect(reinit).toMatchObject({ workspace: claim?.workspace, owner: person?.id });
    // From the event: the manifest's round trips, then the startup scripts again.
    expect(reinit?.durationMs).toBeGreaterThanOrEqual(REINIT);
    expect(reinit?.durationMs).toBeLessThan(REINIT + SECOND);
  });
});

describe("the claimed workspace is usable only after its agent reinitialised", () => {
  test("the claim build's agent goes starting → ready after agentReinitAfter; the person's wait ends then", async () => {
    const { r, of } = await run(claimAt(10 * MINUTE, { agentReinitAfter: { fixed: REINIT } }));
    const [claim] = r.claims;
    const claimBuild = of("build.create").find((l) => l.purpose === "claim");
    expect(claimBuild?.workspace).toBe(claim?.workspace);
    const [published] = of("agent.reinit.publish");
    const [reinit] = of("agent.reinit");
    // The new manifest's agent: the one the claim build's job inserted, not the prebuild's.
    const prebuildAgents = new Set(
      of("agent.lifecycle")
        .filter((l) => l.workspace === claim?.workspace && at(l) < at(published!))
        .map((l) => l.agent),
    );
    expect(prebuildAgents.has(reinit!.agent)).toBe(false);
    const states = of("agent.lifecycle")
      .filter((l) => l.agent === reinit?.agent)
      .map((l) => [l.state, at(l) - at(published!)]);
    expect(states).toHaveLength(2);
    expect(states[0]?.[0]).toBe("starting");
    expect(states[0]?.[1]).toBeLessThan(SECOND);
    expect(states[1]?.[0]).toBe("ready");
    expect(states[1]?.[1]).toBeGreaterThanOrEqual(REINIT);
    expect(states[1]?.[1]).toBeLessThan(REINIT + SECOND);
    // The person is told only once the agent is ready again.
    const [ready] = of("claim.ready");
    expect(at(ready!)).toBe(at(reinit!));
    expect(claim?.waitMs).toBeGreaterThanOrEqual(REINIT);
    expect(claim?.waitMs).toBeLessThan(REINIT + SECOND);
    // The database agrees: the latest build's agent is ready, and only from the reinit on.
    const [agent] = await r.store.getWorkspaceAgentsInLatestBuildByWorkspaceId(claim!.workspace!);
    expect(agent).toMatchObject({ id: reinit?.agent, lifecycleState: "ready" });
    expect(agent?.readyAt).toBeGreaterThanOrEqual(at(published!) + REINIT);
    expect(agent?.readyAt).toBeLessThanOrEqual(at(reinit!));
  });

  test("without agentReinitAfter the reinit takes agentReadyAfter, upstream's start path", async () => {
    const { r, of } = await run(claimAt(10 * MINUTE));
    const [reinit] = of("agent.reinit");
    expect(reinit?.durationMs).toBeGreaterThanOrEqual(READY);
    expect(reinit?.durationMs).toBeLessThan(READY + SECOND);
    expect(r.claims[0]?.waitMs).toBeGreaterThanOrEqual(READY);
    expect(r.claims[0]?.waitMs).toBeLessThan(READY + SECOND);
  });

  test("a claim that replaced the resources boots a new agent: the event finds no listener", async () => {
    const { r, of } = await run(claimAt(10 * MINUTE, { agentReinitAfter: { fixed: REINIT } }, 1));
    const [claim] = r.claims;
    expect(claim?.hit).toBe(true);
    expect(of("agent.reinit.publish")).toHaveLength(1);
    expect(of("agent.reinit")).toEqual([]);
    // A full build, then a first start of the new agent.
    expect(claim?.waitMs).toBeGreaterThanOrEqual(2 * MINUTE + READY);
    expect(claim?.waitMs).toBeLessThan(2 * MINUTE + READY + SECOND);
  });

  test("a failed publish is logged with upstream's message; the claim build stays succeeded and the agent never reinitialises", async () => {
    // Job postings still reach the daemons; only the claim's channel refuses messages.
    const pubsub = new MemoryPubsub();
    const publish = pubsub.publish.bind(pubsub);
    pubsub.publish = async (event, message) => {
      if (event.startsWith("prebuild_claimed_")) throw new Error("pubsub connection lost");
      return publish(event, message);
    };
    const { r, of } = await run(claimAt(10 * MINUTE, { agentReinitAfter: { fixed: REINIT } }), pubsub);
    expect(r.failures).toEqual([]);
    const [claim] = r.claims;
    expect(claim?.hit).toBe(true);
    const [published] = of("agent.reinit.publish");
    expect(published?.error).toBe(
      "failed to trigger prebuilt workspace agent reinitialization: pubsub connection lost",
    );
    const logged = of("log").filter((l) => l.msg === "failed to publish workspace claim event");
    expect(logged).toHaveLength(1);
    expect(logged[0]?.level).toBe("error");
    const claimJob = of("build.create").find((l) => l.purpose === "claim")?.job;
    expect(of("job.complete").find((l) => l.job === claimJob)?.status).toBe("succeeded");
    expect(of("agent.reinit")).toEqual([]);
    expect(of("claim.ready")).toEqual([]);
    expect(claim?.waitMs).toBeNull();
    // The claim build's agent never came up: the workspace is not usable.
    const [agent] = await r.store.getWorkspaceAgentsInLatestBuildByWorkspaceId(claim!.workspace!);
    expect(agent?.lifecycleState).toBe("created");
  });

  test("summary.json: the wait includes the reinit, and the probe counts it", async () => {
    const files = await executeRun(
      { scenario: claimAt(10 * MINUTE, { agentReinitAfter: { fixed: REINIT } }), text: "" },
      { seed: 1, driver },
    );
    const { summary } = files;
    expect(summary.claims.hits).toBe(1);
    expect(summary.claims.waitSeconds.max).toBeGreaterThanOrEqual(REINIT / 1000);
    expect(summary.claims.waitSeconds.max).toBeLessThan(REINIT / 1000 + 1);
    expect(summary.probes["agent-reinitialized"]).toBe(1);
  });
});
