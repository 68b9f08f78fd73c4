// The provisioner fleet: one FIFO queue shared by prebuild and human jobs unless prebuilds get a
// dedicated pool; orphan deletes of canceled pending prebuilds never reach a daemon.
import { describe, expect, test } from "vitest";
import { MINUTE, SECOND } from "../../src/clock/types.ts";
import type { Provisioners, Scenario } from "../../src/scenario/scenario.ts";
import { isKind, parseTraceLine } from "../../src/trace/lines.ts";
import { lines, run, useWorldDatabase } from "./harness.ts";
import { devTemplate, fastProvisioners, preset, START, scenario } from "./scenarioFixture.ts";

useWorldDatabase();

const BUILD = 10 * MINUTE;

function burst(provisioners: Partial<Provisioners>): Scenario {
  return scenario(
    {
      provisioners: { ...fastProvisioners, buildTime: { fixed: BUILD }, ...provisioners },
      templates: [devTemplate(preset("small", 12))],
      workload: {
        claims: [
          {
            preset: { template: "dev", preset: "small" },
            // Just after the first cycle queued twelve prebuild jobs: nothing is ready, so a miss.
            arrivals: { kind: "at", times: [{ atOffset: 90 * SECOND, at: START + 90 * SECOND }] },
          },
        ],
      },
    },
    45 * MINUTE,
  );
}

describe("provisioner queue", () => {
  test("a burst of prebuild jobs delays a person's regular build on a shared queue", async () => {
    const r = await run(burst({ daemons: 4, prebuildDaemons: 0 }));
    expect(r.claims.map((c) => c.hit)).toEqual([false]);
    // Twelve prebuild jobs ahead of it, four daemons, ten minutes each: two full rounds.
    const [wait] = r.provisioner.humanQueueWaitsMs;
    expect(wait).toBeGreaterThanOrEqual(2 * BUILD - 2 * MINUTE);
    expect(r.claims[0]?.waitMs).toBeGreaterThanOrEqual(2 * BUILD - 2 * MINUTE + BUILD);
    // The deepest the queue got, read from the trace as summary.json counts it (no orphan deletes here).
    const pending = new Set<string>();
    let deepest = 0;
    for (const line of r.trace.lines().map((text) => parseTraceLine(text, 0))) {
      if (isKind(line, "build.create")) pending.add(line.job);
      else if (isKind(line, "job.acquire") || isKind(line, "job.cancel")) pending.delete(line.job);
      deepest = Math.max(deepest, pending.size);
    }
    expect(deepest).toBe(9);
  });

  test("a dedicated prebuild pool leaves people's builds unqueued", async () => {
    const r = await run(burst({ daemons: 5, prebuildDaemons: 4 }));
    expect(r.claims.map((c) => c.hit)).toEqual([false]);
    const [wait] = r.provisioner.humanQueueWaitsMs;
    expect(wait).toBeLessThan(SECOND);
    expect(r.claims[0]?.waitMs).toBeLessThan(BUILD + 21 * SECOND);
    // Only the four prebuild daemons ever took prebuild jobs.
    const prebuildJobs = new Set(
      lines(r, "build.create")
        .filter((l) => l.initiator === "prebuilds")
        .map((l) => l.job),
    );
    const daemons = new Set(
      lines(r, "job.acquire")
        .filter((l) => prebuildJobs.has(l.job))
        .map((l) => l.daemon),
    );
    expect([...daemons].sort()).toEqual(["provisioner-0", "provisioner-1", "provisioner-2", "provisioner-3"]);
  });

  test("pending prebuilds of a demoted version are canceled and orphan-deleted without a daemon", async () => {
    const r = await run(
      scenario(
        {
          provisioners: { ...fastProvisioners, daemons: 1, buildTime: { fixed: BUILD } },
          templates: [
            {
              name: "dev",
              organization: "default",
              versions: [
                { name: "v1", active: true, parameters: [], presets: [preset("small", 4)] },
                { name: "v2", active: false, parameters: [], presets: [preset("small", 1)] },
              ],
            },
          ],
          events: [
            { atOffset: 2 * MINUTE, at: START + 2 * MINUTE, kind: "promote", template: "dev", version: "v2" },
          ],
        },
        15 * MINUTE,
      ),
    );
    expect(r.failures).toEqual([]);
    const canceled = lines(r, "job.cancel");
    expect(canceled).toHaveLength(3);
    const orphans = lines(r, "build.create").filter((l) => l.orphan);
    expect(orphans.map((l) => l.workspace).sort()).toEqual(canceled.map((l) => l.workspace).sort());
    const acquired = new Set(lines(r, "job.acquire").map((l) => l.job));
    for (const o of orphans) expect(acquired.has(o.job)).toBe(false);
    const completed = new Map(lines(r, "job.complete").map((l) => [l.job, l]));
    for (const o of orphans) expect(completed.get(o.job)?.seq).toBeGreaterThan(o.seq);
    expect(lines(r, "workspace.delete").map((l) => l.workspace)).toEqual(
      expect.arrayContaining(canceled.map((l) => l.workspace)),
    );
  });
});
