import { describe, expect, test } from "vitest";
import { HOUR, MINUTE } from "../../src/clock/types.ts";
import { Rng } from "../../src/kernel/rng.ts";
import { planClaims } from "../../src/world/workload.ts";
import { START, scenario } from "./scenarioFixture.ts";

const small = { template: "dev", preset: "small" };
const large = { template: "dev", preset: "large" };

describe("planClaims", () => {
  test("merges the streams in time order, file order at equal instants, within the run", () => {
    const s = scenario(
      {
        workload: {
          claims: [
            { preset: small, arrivals: { kind: "every", every: 20 * MINUTE } },
            {
              preset: large,
              arrivals: {
                kind: "at",
                times: [20, 5, 90].map((m) => ({ atOffset: m * MINUTE, at: START + m * MINUTE })),
              },
            },
          ],
        },
      },
      HOUR,
    );
    const plan = planClaims(s, new Rng(1));
    expect(plan.map((c) => [(c.at - START) / MINUTE, c.stream, c.preset.preset])).toEqual([
      [5, 1, "large"],
      [20, 0, "small"],
      [20, 1, "large"],
      [40, 0, "small"],
    ]);
  });

  test("each stream draws from its own RNG stream: adding a stream leaves the others' arrivals alone", () => {
    const poisson = { preset: small, arrivals: { kind: "poisson" as const, perHour: 30, diurnal: null } };
    const alone = planClaims(scenario({ workload: { claims: [poisson] } }, HOUR), new Rng(4));
    const withOther = planClaims(
      scenario({ workload: { claims: [poisson, { ...poisson, preset: large }] } }, HOUR),
      new Rng(4),
    );
    expect(withOther.filter((c) => c.stream === 0).map((c) => c.at)).toEqual(alone.map((c) => c.at));
    expect(alone.length).toBeGreaterThan(0);
  });
});
