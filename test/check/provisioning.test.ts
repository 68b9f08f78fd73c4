import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { provisioningOf } from "../../src/check/provisioning.ts";
import type { PresetSample } from "../../src/trace/timeseries.ts";

const MIN = 60_000;

function sample(t: number, running: number, desired: number): PresetSample {
  return { t, desired, running, eligible: running, starting: 0, stopping: 0, deleting: 0, failed: 0 };
}

describe("provisioningOf", () => {
  const cases: Array<{
    name: string;
    samples: PresetSample[];
    end: number;
    over: [number, number];
    under: [number, number];
  }> = [
    { name: "no samples", samples: [], end: 10 * MIN, over: [0, 0], under: [0, 0] },
    {
      name: "running equals desired throughout",
      samples: [sample(0, 3, 3), sample(MIN, 3, 3)],
      end: 2 * MIN,
      over: [0, 0],
      under: [0, 0],
    },
    {
      // Filling from empty: 3, then 1, then 0 short, one minute each.
      name: "pool filling up",
      samples: [sample(0, 0, 3), sample(MIN, 2, 3), sample(2 * MIN, 3, 3)],
      end: 3 * MIN,
      over: [0, 0],
      under: [4, 3],
    },
    {
      // The lost-lock overlap: two extra for half a minute, one extra for a minute, then deleted.
      name: "double creation cleaned up",
      samples: [sample(0, 5, 5), sample(MIN, 7, 5), sample(MIN + 30_000, 6, 5), sample(150_000, 5, 5)],
      end: 4 * MIN,
      over: [2, 2],
      under: [0, 0],
    },
    {
      name: "the last sample stands until the end",
      samples: [sample(0, 4, 2)],
      end: 90_000,
      over: [3, 2],
      under: [0, 0],
    },
    {
      name: "an inactive version draining counts as over-provisioned",
      samples: [sample(0, 2, 0), sample(MIN, 1, 0), sample(2 * MIN, 0, 0)],
      end: 3 * MIN,
      over: [3, 2],
      under: [0, 0],
    },
    {
      name: "minutes are rounded to hundredths",
      samples: [sample(0, 1, 0)],
      end: 1000,
      over: [0.02, 1],
      under: [0, 0],
    },
  ];
  it.each(cases)("$name", ({ samples, end, over, under }) => {
    const p = provisioningOf(samples, end);
    expect([p.overProvisioned.minutes, p.overProvisioned.peak]).toEqual(over);
    expect([p.underProvisioned.minutes, p.underProvisioned.peak]).toEqual(under);
  });

  const series = fc
    .array(fc.record({ gap: fc.integer({ min: 1, max: 5 * MIN }), running: fc.nat(8), desired: fc.nat(8) }), {
      maxLength: 30,
    })
    .map((steps) => {
      let t = 0;
      return steps.map((s) => {
        const out = sample(t, s.running, s.desired);
        t += s.gap;
        return out;
      });
    });

  test.prop([series, fc.integer({ min: 0, max: 5 * MIN })])(
    "over minus under is the integral of running minus desired; peaks are the extreme gaps",
    (samples, tail) => {
      const end = (samples.at(-1)?.t ?? 0) + tail;
      const p = provisioningOf(samples, end);
      let integral = 0;
      samples.forEach((s, i) => {
        integral += (s.running - s.desired) * ((samples[i + 1]?.t ?? end) - s.t);
      });
      expect(p.overProvisioned.minutes - p.underProvisioned.minutes).toBeCloseTo(integral / MIN, 1);
      const gaps = samples.map((s) => s.running - s.desired);
      expect(p.overProvisioned.peak).toBe(Math.max(0, ...gaps));
      expect(p.underProvisioned.peak).toBe(Math.max(0, ...gaps.map((g) => -g)));
      expect(p.overProvisioned.minutes).toBeGreaterThanOrEqual(0);
      expect(p.underProvisioned.minutes).toBeGreaterThanOrEqual(0);
    },
  );
});
