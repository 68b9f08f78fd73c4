// The scenario fields issue 17 asked for so that import can write what it fits: people's ordinary
// builds (workload.builds), a weekend shape on a rate, and a preset's own build, delete and
// agent-ready times.
import { describe, expect, test } from "vitest";
import { MINUTE, SECOND } from "../../src/clock/types.ts";
import { parseScenario } from "../../src/scenario/load.ts";
import type { Scenario } from "../../src/scenario/scenario.ts";

const HEAD = `name: shapes
duration: PT2H
templates:
  - name: dev
    versions:
      - name: v1
        presets:
          - {name: small, desiredInstances: 2, buildTime: {fixed: PT6M}, agentReadyAfter: {fixed: PT45S}}
          - {name: large, desiredInstances: 1}
  - name: ml
    versions: [{name: v1}]
`;

function load(workload: string): Scenario {
  const r = parseScenario(`${HEAD}${workload}`, "shapes.yaml");
  if (!r.ok) throw new Error(r.problems.map(String).join("\n"));
  return r.scenario;
}

describe("workload.builds", () => {
  test("a stream per template, the first template by default, its random stream its index unless given", () => {
    const s = load(
      "workload:\n  builds:\n    - {rate: 4/h}\n    - {template: ml, every: PT10M, stream: 7}\n",
    );
    expect(s.workload.builds).toEqual([
      { template: "dev", arrivals: { kind: "poisson", perHour: 4, diurnal: null } },
      { template: "ml", arrivals: { kind: "every", every: 10 * MINUTE }, randomStream: 7 },
    ]);
  });

  test("absent: the workload is the object it always was (no builds key)", () => {
    expect("builds" in load("workload:\n  claims: []\n").workload).toBe(false);
  });

  test("two build streams on one random stream are refused", () => {
    const r = parseScenario(
      `${HEAD}workload:\n  builds:\n    - {rate: 1/h}\n    - {rate: 2/h, stream: 0}\n`,
      "s.yaml",
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map(String).join("\n")).toMatch(
        /^s\.yaml:15:27: workload\.builds\[1\]\.stream: .*build stream 0 draws from already/m,
      );
  });
});

describe("weekend", () => {
  test("a factor multiplies the weekday's hours on Saturdays and Sundays", () => {
    const s = load(
      'workload:\n  claims:\n    - {preset: dev/small, rate: 10/h, timezone: Europe/Berlin, hours: {"9-17": 2, "*": 0.5}, weekend: 0.25}\n',
    );
    const a = s.workload.claims[0]?.arrivals;
    expect(a?.kind === "poisson" && a.diurnal?.weekend?.[9]).toBe(0.5);
    expect(a?.kind === "poisson" && a.diurnal?.weekend?.[3]).toBe(0.125);
    expect(a?.kind === "poisson" && a.diurnal?.multipliers[9]).toBe(2);
  });

  test("its own hours, without weekday hours: weekdays flat, weekends shaped", () => {
    const s = load(
      'workload:\n  claims:\n    - {preset: dev/small, rate: 10/h, weekend: {"10-16": 0.5, "*": 0}}\n',
    );
    const a = s.workload.claims[0]?.arrivals;
    expect(a?.kind === "poisson" && a.diurnal).toEqual({
      timezone: "UTC",
      multipliers: new Array(24).fill(1),
      weekend: Array.from({ length: 24 }, (_, h) => (h >= 10 && h <= 16 ? 0.5 : 0)),
    });
  });

  test("without weekend the shape has no weekend key (every day alike, as before)", () => {
    const s = load('workload:\n  claims:\n    - {preset: dev/small, rate: 10/h, hours: {"*": 1}}\n');
    const a = s.workload.claims[0]?.arrivals;
    expect(a?.kind === "poisson" && a.diurnal !== null && "weekend" in a.diurnal).toBe(false);
  });
});

describe("a preset's own times", () => {
  test("given ones are kept on the preset; the others stay absent (provisioners' apply)", () => {
    const s = load("");
    const [small, large] = s.templates[0]?.versions[0]?.presets ?? [];
    expect(small?.buildTime).toEqual({ fixed: 6 * MINUTE });
    expect(small?.agentReadyAfter).toEqual({ fixed: 45 * SECOND });
    expect(small?.deleteTime).toBeUndefined();
    expect(large?.buildTime).toBeUndefined();
  });
});
