import { describe, expect, test } from "vitest";
import { SECOND, VirtualClock } from "../../src/clock/index.ts";
import { SkewedClock } from "../../src/world/skewedClock.ts";
import { START } from "./scenarioFixture.ts";

function observe(p: Promise<unknown>): { settled: boolean } {
  const state = { settled: false };
  p.then(() => {
    state.settled = true;
  });
  return state;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("SkewedClock", () => {
  test("reads the shared clock plus its offset, synchronously and through the async twins", async () => {
    const base = new VirtualClock({ start: START });
    const skewed = new SkewedClock(base, 30 * SECOND);
    expect(skewed.now()).toBe(START + 30 * SECOND);
    expect(await skewed.nowAsync()).toBe(START + 30 * SECOND);
    expect(skewed.since(START)).toBe(30 * SECOND);
    expect(await skewed.sinceAsync(START)).toBe(30 * SECOND);
    expect(skewed.until(START + 60 * SECOND)).toBe(30 * SECOND);
    expect(await skewed.untilAsync(START + 60 * SECOND)).toBe(30 * SECOND);
  });

  test("a new offset applies from the next reading on; negative offsets read behind", () => {
    const base = new VirtualClock({ start: START });
    const skewed = new SkewedClock(base);
    expect(skewed.now()).toBe(START);
    skewed.setOffset(-2 * SECOND);
    expect(skewed.offset).toBe(-2 * SECOND);
    expect(skewed.now()).toBe(START - 2 * SECOND);
  });

  test("sleeps and timers stay on the shared timeline: a skewed sleep of 1 s ends when the shared clock moved 1 s", async () => {
    const base = new VirtualClock({ start: START });
    const skewed = new SkewedClock(base, 5 * SECOND);
    const slept = observe(skewed.sleep(SECOND));
    const timer = skewed.newTimer(SECOND);
    await base.advance(SECOND - 1).wait();
    await flush();
    expect(slept.settled).toBe(false);
    expect(timer.c.tryReceive()).toBeUndefined();
    await base.advance(1).wait();
    await flush();
    expect(slept.settled).toBe(true);
    expect(timer.c.tryReceive()).toBe(START + SECOND);
  });
});
