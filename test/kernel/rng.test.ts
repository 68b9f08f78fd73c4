import { describe, expect, it } from "vitest";
import { HOUR, MINUTE } from "../../src/clock/index.ts";
import { exponential, poissonArrivals, Rng, sampleDuration, standardNormal } from "../../src/kernel/index.ts";

function draws(rng: Rng, name: string, n: number): number[] {
  const s = rng.stream(name);
  return Array.from({ length: n }, () => s.next());
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
}

describe("Rng", () => {
  it("gives the same draws for the same seed and stream name", () => {
    expect(draws(new Rng(7), "provisioner", 5)).toEqual(draws(new Rng(7), "provisioner", 5));
    expect(draws(new Rng(7), "provisioner", 5)).not.toEqual(draws(new Rng(8), "provisioner", 5));
  });

  it("keeps named streams independent: drawing from one does not shift another", () => {
    const a = new Rng(1);
    a.stream("users").next();
    a.stream("users").next();
    expect(draws(a, "provisioner", 3)).toEqual(draws(new Rng(1), "provisioner", 3));
    expect(draws(new Rng(1), "users", 3)).not.toEqual(draws(new Rng(1), "provisioner", 3));
  });

  it("returns the same stream object for the same name", () => {
    const rng = new Rng("s");
    expect(rng.stream("x")).toBe(rng.stream("x"));
  });
});

describe("RandomStream", () => {
  const s = () => new Rng(42).stream("test");

  it("next is in [0, 1); int(n) is an integer in [0, n)", () => {
    const st = s();
    for (let i = 0; i < 1000; i++) {
      const x = st.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const k = st.int(6);
      expect(Number.isInteger(k) && k >= 0 && k < 6).toBe(true);
    }
    expect(() => st.int(0)).toThrow("rng test: int(n) needs a positive integer, got 0");
  });

  it("bool honours the probability, including the edges", () => {
    const st = s();
    expect(st.bool(0)).toBe(false);
    expect(st.bool(1)).toBe(true);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (st.bool(0.3)) hits++;
    expect(hits / 10_000).toBeCloseTo(0.3, 1);
  });

  it("uuid is a version-4 UUID, distinct across draws and reproducible", () => {
    const a = s().uuid();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(s().uuid()).toBe(a);
    const st = s();
    expect(new Set(Array.from({ length: 100 }, () => st.uuid())).size).toBe(100);
  });

  it("choice picks an element and refuses an empty list; shuffle permutes a copy", () => {
    const st = s();
    const items = ["a", "b", "c", "d"];
    expect(items).toContain(st.choice(items));
    expect(() => st.choice([])).toThrow("rng test: choice from an empty list");
    const shuffled = st.shuffle(items);
    expect([...shuffled].sort()).toEqual(items);
    expect(items).toEqual(["a", "b", "c", "d"]);
  });
});

describe("distributions", () => {
  it("fixed and uniform durations are whole milliseconds in range", () => {
    const st = new Rng(3).stream("d");
    expect(sampleDuration(st, { fixed: 1500.4 })).toBe(1500);
    expect(sampleDuration(st, { fixed: -5 })).toBe(0);
    for (let i = 0; i < 200; i++) {
      const d = sampleDuration(st, { uniform: [MINUTE, 2 * MINUTE] });
      expect(Number.isInteger(d) && d >= MINUTE && d <= 2 * MINUTE).toBe(true);
    }
  });

  it("log-normal durations have the requested median and 90th percentile", () => {
    const st = new Rng(5).stream("build");
    const xs = Array.from({ length: 20_000 }, () =>
      sampleDuration(st, { median: 10 * MINUTE, p90: 20 * MINUTE }),
    ).sort((a, b) => a - b);
    expect(quantile(xs, 0.5) / (10 * MINUTE)).toBeCloseTo(1, 1);
    expect(quantile(xs, 0.9) / (20 * MINUTE)).toBeCloseTo(1, 1);
    expect(sampleDuration(st, { median: 0, p90: 5 })).toBe(0);
    expect(sampleDuration(st, { median: MINUTE, p90: MINUTE })).toBe(MINUTE);
  });

  it("standard normal draws have mean 0 and variance 1", () => {
    const st = new Rng(9).stream("n");
    const xs = Array.from({ length: 20_000 }, () => standardNormal(st));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(mean).toBeCloseTo(0, 1);
    expect(variance).toBeCloseTo(1, 1);
  });

  it("exponential draws have the requested mean", () => {
    const st = new Rng(11).stream("e");
    const xs = Array.from({ length: 20_000 }, () => exponential(st, 30));
    expect(xs.reduce((a, b) => a + b, 0) / xs.length / 30).toBeCloseTo(1, 1);
  });

  it("Poisson arrivals are ordered, inside [from, to), at the requested rate", () => {
    const st = new Rng(13).stream("claims");
    const from = Date.UTC(2024, 0, 1);
    const arrivals = poissonArrivals(st, 60, from, from + 100 * HOUR);
    expect(arrivals.length / 6000).toBeCloseTo(1, 1);
    expect(
      arrivals.every(
        (t, i) => t >= from && t < from + 100 * HOUR && (i === 0 || t >= (arrivals[i - 1] ?? 0)),
      ),
    ).toBe(true);
  });

  it("thinning by a time-varying multiplier follows the multiplier", () => {
    const st = new Rng(17).stream("diurnal");
    const from = 0;
    // busy (×2) in the first half of each hour, closed in the second half
    const mult = (t: number) => (t % HOUR < HOUR / 2 ? 2 : 0);
    const arrivals = poissonArrivals(st, 30, from, from + 200 * HOUR, mult, 2);
    expect(arrivals.every((t) => t % HOUR < HOUR / 2)).toBe(true);
    expect(arrivals.length / (200 * 30)).toBeCloseTo(1, 1);
    expect(poissonArrivals(st, 0, 0, HOUR)).toEqual([]);
  });
});
