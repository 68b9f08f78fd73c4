// The real clock is only used for the command line's progress output; these tests check its
// semantics with zero or tiny durations and assert nothing about speed.
import { describe, expect, it } from "vitest";
import { RealClock } from "../../src/clock/real.ts";
import type { Clock } from "../../src/clock/types.ts";

describe("real clock", () => {
  it("reads host time and ignores tags", () => {
    const clock: Clock = new RealClock();
    const before = Date.now();
    const t = clock.now("ignored tag");
    expect(t).toBeGreaterThanOrEqual(before);
    expect(clock.since(t)).toBeGreaterThanOrEqual(0);
    expect(clock.until(t + 60_000)).toBeLessThanOrEqual(60_000);
  });

  it("timers fire, and stop reports whether they were active", async () => {
    const clock = new RealClock();
    const tmr = clock.newTimer(0);
    expect(await tmr.c.receive()).toBeGreaterThan(0);
    expect(tmr.stop()).toBe(false);
    const later = clock.newTimer(60_000);
    expect(later.stop()).toBe(true);
  });

  it("afterFunc runs its callback", async () => {
    const clock = new RealClock();
    await new Promise<void>((resolve) => clock.afterFunc(1, resolve));
  });

  it("tickers tick until stopped", async () => {
    const clock = new RealClock();
    const tkr = clock.newTicker(1);
    expect(await tkr.c.receive()).toBeGreaterThan(0);
    tkr.stop();
    expect(tkr.c.tryReceive()).toBeUndefined();
    expect(() => clock.newTicker(0)).toThrow("newTicker: non-positive interval 0s");
  });

  it("tickerFunc stops when the signal aborts, and wait reports the callback's failure", async () => {
    const clock = new RealClock();
    const controller = new AbortController();
    let calls = 0;
    const waiter = clock.tickerFunc(controller.signal, 1, () => {
      calls++;
      if (calls === 2) controller.abort();
    });
    await waiter.wait();
    expect(calls).toBe(2);
    const failing = clock.tickerFunc(new AbortController().signal, 1, () => {
      throw new Error("tick failed");
    });
    await expect(failing.wait()).rejects.toThrow("tick failed");
  });

  it("sleep and the async twins resolve", async () => {
    const clock = new RealClock();
    await clock.sleep(0);
    expect(await clock.nowAsync()).toBeGreaterThan(0);
    const tkr = await clock.newTickerAsync(1_000);
    await tkr.stopAsync();
    const tmr = await clock.newTimerAsync(1_000);
    expect(await tmr.stopAsync()).toBe(true);
  });
});
