// The search on a stand-in for the simulation (fakeRuns.ts): what it keeps, what it refuses, its
// budget, and what it answers when the failure does not reproduce.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseScenario } from "../../src/scenario/load.ts";
import type { Scenario } from "../../src/scenario/scenario.ts";
import type { ShrinkBudget } from "../../src/shrink/budget.ts";
import type { Data } from "../../src/shrink/data.ts";
import { countElements } from "../../src/shrink/elements.ts";
import { type ShrinkResult, type Shrunk, shrink } from "../../src/shrink/search.ts";
import { busyData, fakeRunner, faultKinds, type Rule } from "./fakeRuns.ts";

async function shrinkBusy(
  rule: Rule,
  budget: ShrinkBudget = { runs: 500 },
  invariant?: string,
): Promise<ShrinkResult> {
  const fake = fakeRunner(rule);
  return shrink({
    data: busyData(),
    seed: 9,
    origin: "busy.yaml",
    budget,
    run: fake.run,
    ...(invariant === undefined ? {} : { invariant }),
  });
}

function shrunk(result: ShrinkResult): Shrunk {
  if (result.status !== "shrunk") throw new Error(`not shrunk: ${result.reason}`);
  return result;
}

function minimalScenario(result: Shrunk): Scenario {
  const loaded = parseScenario(result.text, "minimal.yaml");
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  return loaded.scenario;
}

const outageAndFullQueue: Rule = (s) => {
  const kinds = faultKinds(s);
  return kinds.includes("provisioner-outage") && kinds.includes("notification-queue-full")
    ? ["converges"]
    : [];
};

describe("shrink (search)", () => {
  it("keeps both faults of a two-fault interaction and drops everything else it can", async () => {
    const result = shrunk(await shrinkBusy(outageAndFullQueue));
    const minimal = minimalScenario(result);
    expect(faultKinds(minimal).sort()).toEqual(["notification-queue-full", "provisioner-outage"]);
    expect(result.after).toMatchObject({ faults: 2, events: 0, claimStreams: 0, replicas: 1, presets: 0 });
    expect(result.before.total).toBe(5 + 3 + 2 + 4 + 3);
    expect(result.seed).toBe(0);
    expect(result.exhausted).toBe(false);
    // The run was cut as well: the rule does not need its length.
    expect(minimal.duration).toBeLessThan(4 * 3_600_000);
  });

  it("writes minimal.yaml with its seed and a header naming the invariant, the original and what was removed", async () => {
    const result = shrunk(await shrinkBusy(outageAndFullQueue));
    expect(result.text).toMatch(/^# Minimal scenario found by prebuildsim shrink: it breaks converges\n/);
    expect(result.text).toContain(
      "# Original: busy.yaml with seed 9: 17 elements (5 faults, 3 events, 2 claim streams, 4 presets, 3 replicas).",
    );
    expect(result.text).toContain("#   - drop fault 1 (replica-crash at PT20M)");
    expect((parse(result.text) as Data).seed).toBe(0);
    expect(result.run.scenarioText).toBe(result.text);
  });

  it("gives the same minimal.yaml for the same input", async () => {
    const a = shrunk(await shrinkBusy(outageAndFullQueue));
    const b = shrunk(await shrinkBusy(outageAndFullQueue));
    expect(b.text).toBe(a.text);
    expect(b.steps).toEqual(a.steps);
  });

  it("never keeps a candidate that breaks an invariant the original did not", async () => {
    // Dropping below two events breaks single-lock-holder as well: those candidates are undone.
    const rule: Rule = (s) => [
      ...outageAndFullQueue(s, 0),
      ...(s.events.length < 2 ? ["single-lock-holder"] : []),
    ];
    const result = shrunk(await shrinkBusy(rule));
    expect(result.after.events).toBe(2);
    expect(result.steps.some((s) => s.why === "breaks single-lock-holder as well")).toBe(true);
  });

  it("keeps the invariant asked for with --invariant, not the first one", async () => {
    const rule: Rule = (s) => [
      ...(s.replicas.length > 1 ? ["converges"] : []),
      ...(faultKinds(s).includes("clock-skew") ? ["no-crash"] : []),
    ];
    const result = shrunk(await shrinkBusy(rule, { runs: 500 }, "no-crash"));
    expect(result.target.invariant).toBe("no-crash");
    expect(faultKinds(minimalScenario(result))).toEqual(["clock-skew"]);
  });

  it("honours a budget in runs", async () => {
    const result = shrunk(await shrinkBusy(outageAndFullQueue, { runs: 6 }));
    expect(result.spent.runs).toBe(6);
    expect(result.exhausted).toBe(true);
    expect(result.steps.at(-1)?.runs).toBeLessThanOrEqual(6);
  });

  it("honours a budget in simulated time (never starts a run that would exceed it)", async () => {
    const budget = { simulated: 13 * 3_600_000 };
    const result = shrunk(await shrinkBusy(outageAndFullQueue, budget));
    expect(result.exhausted).toBe(true);
    expect(result.spent.simulated).toBeLessThanOrEqual(budget.simulated);
    expect(result.spent.runs).toBeGreaterThan(1);
  });

  it("candidates the loader refuses cost no run", async () => {
    const result = shrunk(await shrinkBusy(outageAndFullQueue));
    const invalid = result.steps.filter((s) => s.result === "invalid");
    expect(invalid.length).toBeGreaterThan(0);
    const runSteps = result.steps.filter((s) => s.result !== "invalid").length;
    expect(result.spent.runs).toBe(runSteps);
  });

  it("says so when the original does not fail (nothing to keep)", async () => {
    const result = await shrinkBusy(() => []);
    expect(result).toMatchObject({ status: "not-reproduced", spent: { runs: 1 } });
    if (result.status === "not-reproduced")
      expect(result.reason).toBe(
        "busy.yaml with seed 9 no longer fails: it passes (has the code changed since the run?)",
      );
  });

  it("says so when the original does not break the invariant asked for", async () => {
    const result = await shrinkBusy(() => ["converges"], { runs: 10 }, "no-crash");
    expect(result.status).toBe("not-reproduced");
    if (result.status === "not-reproduced")
      expect(result.reason).toBe(
        "busy.yaml with seed 9 does not break no-crash: it breaks only converges (has the code changed since the run?)",
      );
  });

  it("property: the minimal scenario breaks the target, nothing new, and is never larger", async () => {
    const kinds = [
      "provisioner-outage",
      "replica-crash",
      "notification-queue-full",
      "build-failures",
      "clock-skew",
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(kinds, { minLength: 1 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        async (needed, minEvents, crashWithoutReplicas) => {
          const rule: Rule = (s) => {
            const has = faultKinds(s);
            const out: string[] = [];
            if (needed.every((k) => has.includes(k)) && s.events.length >= minEvents) out.push("converges");
            if (crashWithoutReplicas && s.replicas.length < 3) out.push("no-crash");
            return out;
          };
          const result = shrunk(await shrinkBusy(rule, { runs: 300 }));
          const minimal = minimalScenario(result);
          expect(rule(minimal, result.seed)).toContain("converges");
          expect(rule(minimal, result.seed).every((i) => result.target.broken.includes(i))).toBe(true);
          expect(faultKinds(minimal).sort()).toEqual([...needed].sort());
          expect(result.after.total).toBeLessThanOrEqual(result.before.total);
          expect(countElements(parse(result.text) as Data)).toEqual(result.after);
        },
      ),
      { numRuns: 8 },
    );
  });
});
