import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { coalesceForDrawing, type Interval, intersect, mergeIntervals } from "../../src/report/intervals.ts";

const interval = fc
  .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 200 }))
  .map(([from, len]): Interval => ({ from, to: from + len }));
const covers = (list: readonly Interval[], t: number) => list.some((iv) => t >= iv.from && t < iv.to);

describe("mergeIntervals", () => {
  it("joins overlapping and touching intervals and sorts them", () => {
    expect(
      mergeIntervals([
        { from: 10, to: 20 },
        { from: 0, to: 5 },
        { from: 5, to: 8 },
        { from: 15, to: 30 },
      ]),
    ).toEqual([
      { from: 0, to: 8 },
      { from: 10, to: 30 },
    ]);
  });
  test.prop([fc.array(interval, { maxLength: 30 })])(
    "covers exactly the same instants with sorted, disjoint intervals",
    (list) => {
      const merged = mergeIntervals(list);
      for (let i = 1; i < merged.length; i++) expect(merged[i]!.from).toBeGreaterThan(merged[i - 1]!.to);
      for (let t = 0; t <= 1200; t += 7) expect(covers(merged, t)).toBe(covers(list, t));
    },
  );
});

describe("intersect", () => {
  it("keeps the parts of the window covered by any interval", () => {
    expect(
      intersect({ from: 100, to: 200 }, [
        { from: 50, to: 120 },
        { from: 150, to: 160 },
        { from: 190, to: 300 },
        { from: 400, to: 500 },
      ]),
    ).toEqual([
      { from: 100, to: 120 },
      { from: 150, to: 160 },
      { from: 190, to: 200 },
    ]);
  });
  it("is empty for a window nothing covers", () => {
    expect(intersect({ from: 0, to: 10 }, [{ from: 10, to: 20 }])).toEqual([]);
  });
});

describe("coalesceForDrawing", () => {
  it("joins intervals that would be drawn closer than the minimum gap", () => {
    const x = (t: number) => t / 10; // 10 ms per pixel
    expect(
      coalesceForDrawing(
        [
          { from: 0, to: 10 },
          { from: 13, to: 20 },
          { from: 100, to: 110 },
        ],
        x,
        0.5,
      ),
    ).toEqual([
      { from: 0, to: 20 },
      { from: 100, to: 110 },
    ]);
  });
});
