// Removing one component must not reshuffle the others' random draws (issue #18): a shrink that
// drops a claim stream or a replica must leave the rest of the history's randomness as it was.
// What still shares a stream, and why it stays so, is in README "Shrinking".

import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Rng } from "../../src/kernel/rng.ts";
import { parseScenario } from "../../src/scenario/load.ts";
import type { Scenario } from "../../src/scenario/scenario.ts";
import { type Data, dataText } from "../../src/shrink/data.ts";
import type { ShrinkState } from "../../src/shrink/reduction.ts";
import { buildStreamReductions, claimReductions } from "../../src/shrink/reductions/claims.ts";
import { replicaReductions } from "../../src/shrink/reductions/deployment.ts";
import { planBuilds, planClaims } from "../../src/world/workload.ts";

const THREE_STREAMS = `name: streams
duration: PT6H
replicas: {count: 3}
templates:
  - name: dev
    versions:
      - name: v1
        presets: [{name: small, desiredInstances: 2}, {name: large, desiredInstances: 1}]
workload:
  claims:
    - {preset: dev/small, rate: 12/h}
    - {preset: dev/large, rate: 4/h}
    - {preset: dev/small, rate: 2/h}
`;

function load(text: string): Scenario {
  const result = parseScenario(text, "streams.yaml");
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.scenario;
}

function state(data: Data): ShrinkState {
  return {
    data,
    seed: 7,
    summary: { violations: [], allowed: [], start: "2026-03-02T08:00:00.000Z" } as never,
    target: { invariant: "converges", role: "run", subject: "run", allowed: false, broken: ["converges"] },
  };
}

/** The planned claim instants of each stream, by the preset and rate that identify it here. */
function arrivalsByStream(scenario: Scenario, seed: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const c of planClaims(scenario, new Rng(seed))) {
    const stream = scenario.workload.claims[c.stream];
    const key = `${c.preset.preset} ${stream?.arrivals.kind === "poisson" ? stream.arrivals.perHour : "?"}`;
    out.set(key, [...(out.get(key) ?? []), c.at]);
  }
  return out;
}

describe("removing one component keeps the others' draws", () => {
  it.each([0, 1])("dropping claim stream %i leaves the other streams' claims as they were", (dropped) => {
    const data = parse(THREE_STREAMS) as Data;
    const before = arrivalsByStream(load(THREE_STREAMS), 7);
    const drop = claimReductions
      .candidates(state(data))
      .find((c) => c.what.startsWith(`drop claim stream ${dropped} `));
    if (drop === undefined) throw new Error("no drop candidate");
    const after = arrivalsByStream(load(dataText(drop.data)), 7);
    expect(after.size).toBe(2);
    for (const [key, times] of after) expect(times, key).toEqual(before.get(key));
  });

  it("a scenario without `stream` draws as before (claim stream i from workload/i)", () => {
    const scenario = load(THREE_STREAMS);
    const pinned = load(THREE_STREAMS.replace("rate: 4/h}", "rate: 4/h, stream: 1}"));
    expect(planClaims(pinned, new Rng(3))).toEqual(planClaims(scenario, new Rng(3)));
  });

  it("two claim streams may not draw from one random stream", () => {
    const result = parseScenario(
      THREE_STREAMS.replace("rate: 2/h}", "rate: 2/h, stream: 1}"),
      "streams.yaml",
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.map(String)).toEqual([
        "streams.yaml:13:46: workload.claims[2].stream: expected a random stream of its own, got 1, which claim stream 1 draws from already (set stream on one of them)",
      ]);
  });

  it("two build streams may not draw from one random stream either", () => {
    const text = `${THREE_STREAMS}  builds:\n    - {template: dev, rate: 6/h}\n    - {rate: 3/h, stream: 0}\n`;
    const result = parseScenario(text, "streams.yaml");
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.map((p) => String(p).replace(/^streams\.yaml:\d+:\d+: /, ""))).toEqual([
        "workload.builds[1].stream: expected a random stream of its own, got 0, which build stream 0 draws from already (set stream on one of them)",
      ]);
  });

  it("a build stream is dropped like a claim stream: the claims and the other builds stay as they were", () => {
    const text = `${THREE_STREAMS}  builds:\n    - {template: dev, rate: 6/h}\n    - {rate: 3/h}\n`;
    const before = load(text);
    const drop = buildStreamReductions
      .candidates(state(parse(text) as Data))
      .find((c) => c.what === "drop build stream 0 (dev)");
    if (drop === undefined) throw new Error("no drop candidate");
    const after = load(dataText(drop.data));
    expect(planClaims(after, new Rng(7))).toEqual(planClaims(before, new Rng(7)));
    const atOf = (s: Scenario, stream: number) =>
      planBuilds(s, new Rng(7))
        .filter((b) => b.stream === stream)
        .map((b) => b.at);
    expect(atOf(after, 0)).toEqual(atOf(before, 1));
    expect(atOf(after, 0).length).toBeGreaterThan(0);
    // The last one dropped takes the builds key with it; the claims stay.
    const last = buildStreamReductions
      .candidates(state(drop.data))
      .find((c) => c.what.startsWith("drop build stream 0"));
    if (last === undefined) throw new Error("no drop candidate for the last build stream");
    const workload = last.data.workload as Data;
    expect(workload.builds).toBeUndefined();
    expect((workload.claims as unknown[]).length).toBe(3);
    expect(buildStreamReductions.candidates(state(drop.data)).map((c) => c.what)).toContain(
      "lower the rate of build stream 0 (the first template): 3/h -> 1/h",
    );
  });

  it("dropping a replica keeps the others' names, so their streams (replica/<name>) are the same", () => {
    const drop = replicaReductions.candidates(state(parse(THREE_STREAMS) as Data))[0];
    if (drop === undefined) throw new Error("no drop candidate");
    expect(load(dataText(drop.data)).replicas.map((r) => r.name)).toEqual(["replica-0", "replica-1"]);
  });
});
