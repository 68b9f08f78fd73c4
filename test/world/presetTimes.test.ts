// A preset's own buildTime, deleteTime and agentReadyAfter override the provisioners' for its builds
// and agents; the other presets keep the global ones.
import { describe, expect, test } from "vitest";
import { MINUTE, SECOND } from "../../src/clock/types.ts";
import { at, lines, run, useWorldDatabase } from "./harness.ts";
import { devTemplate, preset, scenario } from "./scenarioFixture.ts";

useWorldDatabase();

describe("per-preset build and agent-ready times", () => {
  test("a preset's own times apply to its prebuilds; the others keep provisioners'", async () => {
    const r = await run(
      scenario({
        templates: [
          devTemplate(
            preset("small", 1),
            preset("large", 1, {
              parameters: [{ name: "cpu", value: "8" }],
              buildTime: { fixed: 6 * MINUTE },
              agentReadyAfter: { fixed: 50 * SECOND },
            }),
          ),
        ],
      }),
    );
    expect(r.failures).toEqual([]);
    // build.create names the preset by id.
    const nameOf = (id: string | null) => (id === null ? undefined : r.catalog.presetById(id)?.name);
    const presetOfJob = new Map(lines(r, "build.create").map((b) => [b.job, nameOf(b.preset)]));
    const acquired = new Map(lines(r, "job.acquire").map((l) => [l.job, at(l)]));
    const took = (name: string) =>
      lines(r, "job.complete")
        .filter((l) => presetOfJob.get(l.job) === name)
        .map((l) => at(l) - (acquired.get(l.job) as number));
    expect(took("small").length).toBeGreaterThan(0);
    expect(took("large").length).toBeGreaterThan(0);
    // Within the database's few milliseconds of latency around the simulated work.
    for (const ms of took("small")) expect(Math.abs(ms - 2 * MINUTE)).toBeLessThan(SECOND);
    for (const ms of took("large")) expect(Math.abs(ms - 6 * MINUTE)).toBeLessThan(SECOND);

    const workspaceOf = new Map(lines(r, "build.create").map((b) => [b.workspace, nameOf(b.preset)]));
    const started = new Map<string, number>();
    const readyAfter: Record<string, number[]> = { small: [], large: [] };
    for (const l of lines(r, "agent.lifecycle")) {
      if (l.state === "starting") started.set(l.agent, at(l));
      if (l.state === "ready") {
        const name = workspaceOf.get(l.workspace) ?? "";
        readyAfter[name]?.push(at(l) - (started.get(l.agent) as number));
      }
    }
    for (const ms of readyAfter.small ?? []) expect(Math.abs(ms - 20 * SECOND)).toBeLessThan(SECOND);
    for (const ms of readyAfter.large ?? []) expect(Math.abs(ms - 50 * SECOND)).toBeLessThan(SECOND);
    expect(readyAfter.large?.length).toBeGreaterThan(0);
  });
});
