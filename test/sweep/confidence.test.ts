import { describe, expect, it } from "vitest";
import {
  hitRateEstimate,
  hitRateLowerBound,
  tCritical95,
  tEstimate,
  wilsonInterval,
} from "../../src/sweep/confidence.ts";

describe("tCritical95", () => {
  it.each([
    [1, 12.706],
    [2, 4.303],
    [4, 2.776],
    [9, 2.262],
    [30, 2.042],
  ])("df %i is the table's %f", (df, t) => {
    expect(tCritical95(df)).toBe(t);
  });

  it.each([
    [31, 2.0395],
    [40, 2.0211],
    [60, 2.0003],
    [120, 1.9799],
    [1000, 1.9623],
  ])("df %i follows the expansion: %f", (df, t) => {
    expect(tCritical95(df)).toBeCloseTo(t, 3);
  });

  it("refuses degrees of freedom below one", () => {
    expect(() => tCritical95(0)).toThrow(/whole number ≥ 1, got 0/);
  });
});

describe("tEstimate", () => {
  it("mean ± t·s/√n over five values", () => {
    const e = tEstimate([1, 2, 3, 4, 5]);
    const half = (2.776 * Math.sqrt(2.5)) / Math.sqrt(5);
    expect(e?.mean).toBe(3);
    expect(e?.low).toBeCloseTo(3 - half, 10);
    expect(e?.high).toBeCloseTo(3 + half, 10);
    expect(e?.n).toBe(5);
  });

  it("one value has no interval, none has no estimate", () => {
    expect(tEstimate([7])).toEqual({ mean: 7, low: null, high: null, n: 1 });
    expect(tEstimate([])).toBeNull();
  });

  it("equal values have a zero-width interval", () => {
    expect(tEstimate([0.5, 0.5, 0.5])).toEqual({ mean: 0.5, low: 0.5, high: 0.5, n: 3 });
  });
});

describe("wilsonInterval", () => {
  it("8 of 10 (textbook value 0.490–0.943)", () => {
    const w = wilsonInterval(8, 10);
    expect(w.low).toBeCloseTo(0.4902, 4);
    expect(w.high).toBeCloseTo(0.9433, 4);
  });

  it("0 of 10 starts at zero, 10 of 10 ends at one", () => {
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(0, 10).high).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(10, 10).high).toBe(1);
    expect(wilsonInterval(10, 10).low).toBeCloseTo(0.7225, 4);
  });

  it("refuses impossible counts", () => {
    expect(() => wilsonInterval(3, 2)).toThrow(/3 of 2/);
    expect(() => wilsonInterval(0, 0)).toThrow(/n ≥ 1/);
  });
});

describe("hit rate lower bound", () => {
  it("takes the smaller of the t and Wilson lower ends", () => {
    expect(hitRateLowerBound({ mean: 0.9, low: 0.8, high: 1, n: 3 }, { low: 0.85, high: 0.95 })).toBe(0.8);
    expect(hitRateLowerBound({ mean: 1, low: 1, high: 1, n: 3 }, { low: 0.93, high: 1 })).toBe(0.93);
  });

  it("with one seed only Wilson exists", () => {
    expect(hitRateLowerBound({ mean: 0.9, low: null, high: null, n: 1 }, { low: 0.7, high: 0.97 })).toBe(0.7);
  });

  it("never below zero", () => {
    expect(hitRateLowerBound({ mean: 0.1, low: -0.2, high: 0.4, n: 2 }, { low: 0.02, high: 0.3 })).toBe(0);
  });

  it("pools claims over seeds and skips seeds without claims", () => {
    const e = hitRateEstimate([
      { hits: 9, claims: 10 },
      { hits: 0, claims: 0 },
      { hits: 7, claims: 10 },
    ]);
    expect(e?.claims).toBe(20);
    expect(e?.hits).toBe(16);
    expect(e?.pooled).toBe(0.8);
    expect(e?.perSeed.n).toBe(2);
    expect(e?.perSeed.mean).toBeCloseTo(0.8, 12);
    expect(e?.lowerBound).toBe(Math.max(0, Math.min(e?.perSeed.low ?? 1, e?.wilson.low ?? 1)));
    expect(hitRateEstimate([{ hits: 0, claims: 0 }])).toBeNull();
  });
});
