import { describe, expect, it } from "vitest";
import { meetsTarget, xOrder } from "../../src/sweep/recommend.ts";
import { recommendationParagraphs } from "../../src/sweep/recommendationText.ts";
import { type FakeRun, fakePlan, fakeResult } from "./fakeResult.ts";
import { SMALL_DESIRED } from "./fixtures.ts";

/** The swept value of a point, as written. */
function swept(plan: ReturnType<typeof fakePlan>, point: number): string {
  return plan.dimensions[0]?.values[plan.points[point]?.valueIndexes[0] as number]?.label as string;
}

const twice = (r: FakeRun): [FakeRun, FakeRun] => [r, { ...r, hits: r.hits + 1 }];

describe("the recommendation", () => {
  it("the smallest value whose lower bound meets the target", () => {
    const plan = fakePlan([`${SMALL_DESIRED}=4,1,3,2`]);
    // value → hits of 200 claims per seed
    const hits: Record<string, number> = { "1": 120, "2": 170, "3": 193, "4": 199 };
    const result = fakeResult(plan, (p) => twice({ claims: 200, hits: hits[swept(plan, p)] as number }));
    const best = result.recommendation.best;
    expect(best === null ? null : result.points[best]?.values).toEqual(["3"]);
    expect(result.recommendation.lines).toHaveLength(1);
    // Numeric order, not the order given.
    expect(result.recommendation.lines[0]?.points.map((p) => result.points[p]?.values[0])).toEqual([
      "1",
      "2",
      "3",
      "4",
    ]);
    expect(result.points.map((p) => meetsTarget(p.stats, 0.9))).toEqual([true, false, true, false]);
  });

  it("per line of the other --vary values, and overall the pick with the least idle cost", () => {
    const plan = fakePlan([`${SMALL_DESIRED}=1..3`, "provisioners.daemons=2,4"]);
    const result = fakeResult(plan, (p) => {
      const [d, daemons] = (plan.points[p]?.valueIndexes ?? []) as [number, number];
      const desired = d + 1;
      // With 4 daemons two prebuilds suffice; with 2 daemons three are needed.
      const enough = daemons === 1 ? desired >= 2 : desired >= 3;
      return twice({ claims: 300, hits: enough ? 295 : 200, idle: desired * (daemons === 1 ? 1 : 1.2) });
    });
    const picks = result.recommendation.lines.map((l) => [
      l.label,
      l.recommended === null ? null : result.points[l.recommended]?.values,
    ]);
    expect(picks).toEqual([
      ["provisioners.daemons=2", ["3", "2"]],
      ["provisioners.daemons=4", ["2", "4"]],
    ]);
    const best = result.recommendation.best;
    expect(best === null ? null : result.points[best]?.values).toEqual(["2", "4"]);
    const text = recommendationParagraphs(result).join("\n");
    expect(text).toContain(`Recommended: ${SMALL_DESIRED}=2, provisioners.daemons=4 — hit rate`);
    expect(text).toContain(`With provisioners.daemons=2: ${SMALL_DESIRED}=3, provisioners.daemons=2 — `);
    // Two seeds per point: no t interval, and the text says so rather than printing one.
    expect(text).toContain(
      "idle cost 24.0 (not enough seeds for an interval) prebuild-hours per day (1.0 prebuilds idle on average)",
    );
    expect(text).not.toMatch(/±/);
    expect(text).toContain(
      "With 2 seeds, not enough seeds for a t interval (at least 3): the bounds are Wilson's alone",
    );
  });

  it("none when nothing meets the target, naming the best lower bound", () => {
    const plan = fakePlan([`${SMALL_DESIRED}=1,2`]);
    const result = fakeResult(plan, (p) => twice({ claims: 100, hits: p === 0 ? 50 : 80 }));
    expect(result.recommendation.best).toBeNull();
    expect(recommendationParagraphs(result)[1]).toMatch(
      new RegExp(
        `^No swept setting meets the target: the highest lower bound is \\d+\\.\\d% at ${SMALL_DESIRED.replace(/\./g, "\\.")}=2\\. Sweep larger values\\.$`,
      ),
    );
  });

  it("a point without claims never meets the target", () => {
    const plan = fakePlan([`${SMALL_DESIRED}=1`]);
    const result = fakeResult(plan, () => [
      { claims: 0, hits: 0 },
      { claims: 0, hits: 0 },
    ]);
    expect(result.points[0]?.stats.hitRate).toBeNull();
    expect(result.recommendation.best).toBeNull();
  });

  it("values that are not numbers keep the order given", () => {
    const plan = fakePlan(["workload.claims[0].rate=30/h,6/h,12/h"]);
    expect(xOrder(plan.dimensions[0] as (typeof plan.dimensions)[number])).toEqual([0, 1, 2]);
  });
});
