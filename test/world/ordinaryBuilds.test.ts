// People's ordinary builds (workload.builds): new workspaces without a preset whose jobs share the
// provisioner queue with the prebuilds' FIFO by creation (upstream AcquireProvisionerJob orders by
// created_at), drawn from streams of their own so that claims stay where they were.
import { describe, expect, test } from "vitest";
import { MINUTE, SECOND } from "../../src/clock/types.ts";
import { Rng } from "../../src/kernel/rng.ts";
import type { Scenario } from "../../src/scenario/scenario.ts";
import { planBuilds, planClaims } from "../../src/world/workload.ts";
import { at, lines, run, useWorldDatabase } from "./harness.ts";
import { fastProvisioners, preset, START, scenario } from "./scenarioFixture.ts";

useWorldDatabase();

/** One daemon, a pool of 3 on a preset that sets cpu, and a person's build every 4 minutes. */
function busy(overrides: Partial<Scenario> = {}): Scenario {
  return scenario(
    {
      provisioners: { ...fastProvisioners, daemons: 1 },
      templates: [
        {
          name: "dev",
          organization: "default",
          versions: [
            {
              name: "v1",
              active: true,
              parameters: [{ name: "cpu", required: true, default: null, immutable: false }],
              presets: [preset("small", 3, { parameters: [{ name: "cpu", value: "2" }] })],
            },
          ],
        },
      ],
      workload: {
        claims: [],
        builds: [
          { template: "dev", arrivals: { kind: "every", every: 4 * MINUTE } },
          // One at the start, before the reconciler's first cycle queues the pool's prebuilds.
          { template: "dev", arrivals: { kind: "at", times: [{ atOffset: 0, at: START }] } },
        ],
      },
      ...overrides,
    },
    30 * MINUTE,
  );
}

describe("people's ordinary builds", () => {
  test("each is a new workspace without a preset, built and then ready for its person", async () => {
    const r = await run(busy());
    expect(r.failures).toEqual([]);
    const results = lines(r, "build.result");
    // One at the start, then every 4 minutes within 30 minutes: at 4, 8, …, 28.
    expect(results.map((l) => (at(l) - START) / MINUTE).map(Math.floor)).toEqual([
      0, 4, 8, 12, 16, 20, 24, 28,
    ]);
    expect(results.every((l) => l.error === undefined && l.workspace !== "")).toBe(true);
    const theirs = new Set(results.map((l) => l.workspace));
    const builds = lines(r, "build.create").filter((b) => theirs.has(b.workspace));
    expect(builds.map((b) => [b.preset, b.purpose, b.transition])).toEqual(
      results.map(() => [null, "regular", "start"]),
    );
    expect(lines(r, "build.ready").length).toBeGreaterThanOrEqual(5);
    expect(lines(r, "claim.result")).toEqual([]);
  });

  test("one daemon takes the jobs in creation order: prebuilds wait behind people's builds", async () => {
    const r = await run(busy());
    const created = new Map(lines(r, "build.create").map((b) => [b.job, at(b)]));
    const acquired = lines(r, "job.acquire").map((l) => created.get(l.job) as number);
    expect(acquired).toEqual([...acquired].sort((a, b) => a - b));
    const people = new Set(
      lines(r, "build.create")
        .filter((b) => b.initiator !== "prebuilds")
        .map((b) => b.job),
    );
    const taken = lines(r, "job.acquire");
    // The person's build of the start is taken first; the pool's prebuilds, queued a minute later
    // by the first cycle, waited behind it for the daemon.
    expect(people.has(taken[0]?.job ?? "")).toBe(true);
    expect(people.has(taken[1]?.job ?? "")).toBe(false);
    expect(taken[1]?.queuedMs).toBeGreaterThan(30 * SECOND);
  });

  test("builds draw from workload/builds/<n>: adding them leaves the claims' arrivals alone", () => {
    const claims = [
      {
        preset: { template: "dev", preset: "small" },
        arrivals: { kind: "poisson" as const, perHour: 20, diurnal: null },
      },
    ];
    const alone = planClaims(scenario({ workload: { claims } }), new Rng(9));
    const s = scenario({
      workload: {
        claims,
        builds: [{ template: "dev", arrivals: { kind: "poisson", perHour: 20, diurnal: null } }],
      },
    });
    expect(planClaims(s, new Rng(9))).toEqual(alone);
    const builds = planBuilds(s, new Rng(9));
    expect(builds.length).toBeGreaterThan(0);
    expect(builds.map((b) => b.at)).not.toEqual(alone.map((c) => c.at));
  });

  test("without builds nothing is planned", () => {
    expect(planBuilds(scenario(), new Rng(1))).toEqual([]);
  });
});
