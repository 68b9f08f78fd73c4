// Quartz's mock-clock behaviours (coder/quartz mock_test.go and README), one test each, named like
// quartz's tests where quartz has one. These run on the standalone host (plain promises, no kernel).
import { describe, expect, it } from "vitest";
import { DEFAULT_START, HOUR, MILLISECOND, MINUTE, SECOND, VirtualClock } from "../../src/clock/index.ts";

/** Lets every queued promise callback and I/O callback run (nothing here is timed). */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Tracks whether a promise has settled yet, without awaiting it. */
function observe<T>(p: Promise<T>): { settled: boolean; value?: T; error?: unknown } {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  p.then(
    (value) => {
      state.settled = true;
      state.value = value;
    },
    (error: unknown) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

describe("virtual clock (quartz behaviours)", () => {
  it("starts at midnight UTC on 1 January 2024 by default", () => {
    expect(new VirtualClock().now()).toBe(Date.UTC(2024, 0, 1));
    expect(DEFAULT_START).toBe(1_704_067_200_000);
  });

  it("TestTimer_NegativeDuration: fires in the current instant and reports the passed duration", async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const trap = clock.trap().newTimer();
    const timer = clock.newTimerAsync(-SECOND);
    const call = await trap.wait();
    await call.release();
    expect(call.duration).toBe(-SECOND);
    const tmr = await timer;
    expect(await tmr.c.receive()).toBe(start);
    expect(tmr.stop()).toBe(false);
    trap.close();
  });

  it("TestAfterFunc_NegativeDuration: the callback runs without any advance", async () => {
    const clock = new VirtualClock();
    const trap = clock.trap().afterFunc();
    let ran = false;
    const timer = clock.afterFuncAsync(-SECOND, () => {
      ran = true;
    });
    const call = await trap.wait();
    await call.release();
    expect(call.duration).toBe(-SECOND);
    const tmr = await timer;
    await flush();
    expect(ran).toBe(true);
    expect(tmr.stop()).toBe(false);
    trap.close();
  });

  it("TestNewTicker: keeps the oldest unread tick, drops later ones, and honours stop and reset traps", async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const trapNew = clock.trap().newTicker("new");
    const trapStop = clock.trap().tickerStop("stop");
    const trapReset = clock.trap().tickerReset("reset");

    const created = clock.newTickerAsync(HOUR, "new");
    const call = await trapNew.wait();
    await call.release();
    expect(call.duration).toBe(HOUR);
    const tkr = await created;

    for (let i = 0; i < 3; i++) await clock.advance(HOUR);
    // the first tick is kept, the two later ones were dropped
    expect(await tkr.c.receive()).toBe(start + HOUR);
    expect(tkr.c.tryReceive()).toBeUndefined();

    const reset = tkr.resetAsync(MINUTE, "reset");
    const resetCall = await trapReset.wait();
    await clock.advance(SECOND); // the reset takes the time at release
    await resetCall.release();
    await reset;
    expect(resetCall.duration).toBe(MINUTE);
    await clock.advance(MINUTE);
    expect(await tkr.c.receive()).toBe(clock.now());

    const stop = tkr.stopAsync("stop");
    await (await trapStop.wait()).release();
    await stop;
    await clock.advance(HOUR);
    expect(tkr.c.tryReceive()).toBeUndefined();

    // resetting after stop re-arms the ticker
    const again = tkr.resetAsync(MINUTE, "reset");
    await (await trapReset.wait()).release();
    await again;
    await clock.advance(MINUTE);
    expect(await tkr.c.receive()).toBe(clock.now());

    trapNew.close();
    trapStop.close();
    trapReset.close();
  });

  it("TestPeek: reports the time to the next event, or nothing", async () => {
    const clock = new VirtualClock();
    expect(clock.peek()).toBeUndefined();
    const tmr = clock.newTimer(SECOND);
    expect(clock.peek()).toBe(SECOND);
    await clock.advance(999 * MILLISECOND);
    expect(clock.peek()).toBe(MILLISECOND);
    expect(tmr.stop()).toBe(true);
    expect(clock.peek()).toBeUndefined();
  });

  it("TestTickerFunc_ContextDoneDuringTick: wait does not return while the callback runs", async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    let tickStarted = false;
    let finishTick!: () => void;
    const tickDone = new Promise<void>((resolve) => {
      finishTick = resolve;
    });
    const tkr = clock.tickerFunc(controller.signal, SECOND, async () => {
      tickStarted = true;
      await tickDone;
    });
    const w = clock.advance(SECOND);
    await flush();
    expect(tickStarted).toBe(true);
    const waited = observe(tkr.wait());
    controller.abort();
    await flush();
    expect(waited.settled).toBe(false);
    finishTick();
    await w;
    await flush();
    expect(waited).toEqual({ settled: true, value: undefined });
  });

  it("TestTickerFunc_LongCallback: a tick during a running callback is skipped; the callback's error wins", async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const expected = new Error("callback error");
    let calls = 0;
    let finishTick!: () => void;
    const tickDone = new Promise<void>((resolve) => {
      finishTick = resolve;
    });
    const tkr = clock.tickerFunc(controller.signal, SECOND, async () => {
      calls++;
      await tickDone;
      throw expected;
    });
    const w = clock.advance(SECOND);
    await flush();
    // further ticks complete at once: the callback is still running, so they are skipped
    let elapsed = 0;
    while (elapsed < 5 * SECOND) {
      const [d, wt] = clock.advanceNext();
      elapsed += d;
      await wt;
    }
    expect(calls).toBe(1);
    expect(clock.peek()).toBe(SECOND); // the schedule kept moving on
    const waited = tkr.wait();
    controller.abort();
    finishTick();
    await expect(waited).rejects.toBe(expected);
    await expect(w.wait()).resolves.toBeUndefined();
  });

  it("Test_MultipleTraps: a call caught by two traps continues after both releases, at the time of the last", async () => {
    const clock = new VirtualClock();
    const trap0 = clock.trap().now("0");
    const trap1 = clock.trap().now("1");
    const got = clock.nowAsync("0", "1");
    const c0 = await trap0.wait();
    await clock.advance(SECOND);
    const released0 = observe(c0.release());
    const c1 = await trap1.wait();
    await clock.advance(SECOND);
    await c1.release();
    await flush();
    expect(released0.settled).toBe(true);
    expect(await got).toBe(clock.now("end"));
    expect(await got).toBe(DEFAULT_START + 2 * SECOND);
    trap0.close();
    trap1.close();
  });

  it("Test_MultipleTrapsDeadlock: releasing one of two traps does not let the call proceed", async () => {
    const clock = new VirtualClock();
    const trap0 = clock.trap().now("0");
    const trap1 = clock.trap().now("1");
    const got = observe(clock.nowAsync("0", "1"));
    const c0 = await trap0.wait();
    const released0 = observe(c0.release());
    await flush();
    expect(released0.settled).toBe(false);
    expect(got.settled).toBe(false);
    await (await trap1.wait()).release();
    await flush();
    expect(got.settled).toBe(true);
    trap0.close();
    trap1.close();
  });

  it("Test_UnreleasedCalls: closing a trap with an unreleased call is an error", async () => {
    const clock = new VirtualClock();
    const trap = clock.trap().now();
    void clock.nowAsync();
    await trap.wait(); // missing release
    expect(() => trap.close()).toThrow(/trap now\[\] closed with 1 unreleased call/);
  });

  it("TestTimerStop_Go123: stopping a fired timer returns false and discards the unread value", async () => {
    const clock = new VirtualClock();
    const tmr = clock.newTimer(SECOND);
    await clock.advance(SECOND);
    expect(tmr.stop()).toBe(false);
    expect(tmr.c.tryReceive()).toBeUndefined();
  });

  it("TestTimerReset_Go123: resetting a fired timer returns false, discards the unread value and re-arms it", async () => {
    const clock = new VirtualClock();
    const tmr = clock.newTimer(SECOND);
    await clock.advance(SECOND);
    expect(tmr.reset(SECOND)).toBe(false);
    expect(tmr.c.tryReceive()).toBeUndefined();
    await clock.advance(SECOND);
    expect(tmr.c.tryReceive()).toBe(DEFAULT_START + 2 * SECOND);
  });

  it("TestTimerReset_NegativeDuration: resetting an active timer to a non-positive duration clears its schedule and fires now", async () => {
    const clock = new VirtualClock();
    const trapReset = clock.trap().timerReset();
    const tmr = clock.newTimer(HOUR);
    const result = tmr.resetAsync(-SECOND);
    await (await trapReset.wait()).release();
    expect(await result).toBe(true);
    expect(clock.peek()).toBeUndefined();
    await clock.advance(2 * HOUR);
    expect(tmr.c.tryReceive()).toBe(DEFAULT_START);
    trapReset.close();
  });

  it("TestTickerStop_Go123: stopping a ticker discards its unread tick", async () => {
    const clock = new VirtualClock();
    const tkr = clock.newTicker(SECOND);
    await clock.advance(SECOND);
    tkr.stop();
    expect(tkr.c.tryReceive()).toBeUndefined();
  });

  it("TestAdvanceTooFar: advance never skips a scheduled event", () => {
    const clock = new VirtualClock();
    clock.afterFunc(SECOND, () => {}, "fn");
    expect(() => clock.advance(2 * SECOND)).toThrow(
      "cannot advance 2s: afterFunc(1s)[fn] is due in 1s, at 2024-01-01T00:00:01.000Z",
    );
    expect(clock.now()).toBe(DEFAULT_START);
  });

  it("advance up to an event fires it; the waiter settles when its callback has finished", async () => {
    const clock = new VirtualClock();
    let firedAt: number | undefined;
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => {
      finish = resolve;
    });
    clock.afterFunc(SECOND, async () => {
      firedAt = clock.now();
      await gate;
    });
    const w = observe(clock.advance(SECOND).wait());
    await flush();
    expect(firedAt).toBe(DEFAULT_START + SECOND);
    expect(w.settled).toBe(false);
    finish();
    await flush();
    expect(w.settled).toBe(true);
  });

  it("the advance waiter rejects with the error of a callback it fired", async () => {
    const clock = new VirtualClock();
    clock.afterFunc(SECOND, () => {
      throw new Error("boom");
    });
    await expect(clock.advance(SECOND).wait()).rejects.toThrow("boom");
  });

  it("advanceNext moves exactly to the next event and throws when nothing is scheduled", async () => {
    const clock = new VirtualClock();
    expect(() => clock.advanceNext()).toThrow(/nothing is scheduled/);
    const tmr = clock.newTimer(90 * SECOND);
    const [d, w] = clock.advanceNext();
    await w;
    expect(d).toBe(90 * SECOND);
    expect(tmr.c.tryReceive()).toBe(DEFAULT_START + 90 * SECOND);
  });

  it("set moves backwards only while nothing is scheduled, and forwards like advance", async () => {
    const clock = new VirtualClock();
    const earlier = Date.UTC(2021, 5, 18, 12);
    await clock.set(earlier);
    expect(clock.now()).toBe(earlier);
    const tmr = clock.newTimer(MINUTE);
    expect(() => clock.set(earlier - 1)).toThrow(/cannot set the clock back .* 1 event\(s\) are scheduled/);
    expect(() => clock.set(earlier + 2 * MINUTE)).toThrow(/cannot advance 2m/);
    await clock.set(earlier + MINUTE);
    expect(tmr.c.tryReceive()).toBe(earlier + MINUTE);
  });

  it("events due at the same instant fire in the order they were scheduled; a reset is a new schedule", async () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    const a = clock.afterFunc(SECOND, () => void order.push("a"));
    clock.afterFunc(SECOND, () => void order.push("b"));
    clock.afterFunc(SECOND, () => void order.push("c"));
    a.reset(SECOND); // now scheduled after b and c
    await clock.advance(SECOND);
    expect(order).toEqual(["b", "c", "a"]);
  });

  it("tickers carry the instant they were due and keep their period", async () => {
    const clock = new VirtualClock();
    const tkr = clock.newTicker(MINUTE);
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      await clock.advance(MINUTE);
      seen.push(await tkr.c.receive());
    }
    expect(seen).toEqual([1, 2, 3].map((k) => DEFAULT_START + k * MINUTE));
  });

  it("a waiting receiver gets the tick directly", async () => {
    const clock = new VirtualClock();
    const tkr = clock.newTicker(SECOND);
    const received = tkr.c.receive();
    await clock.advance(SECOND);
    expect(await received).toBe(DEFAULT_START + SECOND);
    expect(tkr.c.tryReceive()).toBeUndefined();
  });

  it("newTicker, tickerFunc and Ticker.reset throw for a non-positive period", () => {
    const clock = new VirtualClock();
    expect(() => clock.newTicker(0)).toThrow("newTicker: non-positive interval 0s");
    expect(() => clock.tickerFunc(new AbortController().signal, -SECOND, () => {})).toThrow(
      "tickerFunc: non-positive interval -1s",
    );
    expect(() => clock.newTicker(SECOND).reset(0)).toThrow("Ticker.reset: non-positive interval 0s");
  });

  it("durations must be whole milliseconds", () => {
    const clock = new VirtualClock();
    expect(() => clock.newTimer(1.5)).toThrow("newTimer: 1.5 is not a whole number of milliseconds");
    expect(() => clock.advance(0.5)).toThrow(RangeError);
  });

  it("stop and reset report whether the timer was active", async () => {
    const clock = new VirtualClock();
    const tmr = clock.newTimer(SECOND);
    expect(tmr.reset(2 * SECOND)).toBe(true);
    expect(tmr.stop()).toBe(true);
    expect(tmr.stop()).toBe(false);
    expect(tmr.reset(SECOND)).toBe(false);
    await clock.advance(SECOND);
    expect(tmr.c.tryReceive()).toBe(DEFAULT_START + SECOND);
  });

  it("reset discards an unread value of an active timer", async () => {
    const clock = new VirtualClock();
    const tmr = clock.newTimer(0);
    expect(tmr.reset(SECOND)).toBe(false);
    expect(tmr.c.tryReceive()).toBeUndefined();
  });

  it("a ticker reset discards the unread tick and starts the new period from now", async () => {
    const clock = new VirtualClock();
    const tkr = clock.newTicker(SECOND);
    await clock.advance(SECOND);
    tkr.reset(MINUTE);
    expect(tkr.c.tryReceive()).toBeUndefined();
    expect(clock.peek()).toBe(MINUTE);
  });

  it("tickerFunc calls back every period until the signal aborts", async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const at: number[] = [];
    const tkr = clock.tickerFunc(controller.signal, MINUTE, () => void at.push(clock.now()), "job");
    for (let i = 0; i < 3; i++) await clock.advance(MINUTE);
    controller.abort();
    await tkr.wait();
    expect(at).toEqual([1, 2, 3].map((k) => DEFAULT_START + k * MINUTE));
    expect(clock.peek()).toBeUndefined();
  });

  it("tickerFunc with an aborted signal never calls back and its wait resolves", async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    controller.abort();
    const tkr = clock.tickerFunc(controller.signal, SECOND, () => {
      throw new Error("must not run");
    });
    expect(clock.peek()).toBeUndefined();
    await expect(tkr.wait()).resolves.toBeUndefined();
  });

  it("sleep resolves when the clock reaches its end; sleep(0) returns at once", async () => {
    const clock = new VirtualClock();
    await clock.sleep(0);
    const slept = observe(clock.sleep(MINUTE, "nap"));
    await clock.advance(MINUTE - 1);
    await flush();
    expect(slept.settled).toBe(false);
    await clock.advance(1);
    await flush();
    expect(slept.settled).toBe(true);
  });

  it("since and until measure from the current instant", async () => {
    const clock = new VirtualClock();
    const t0 = clock.now();
    await clock.advance(MINUTE);
    expect(clock.since(t0)).toBe(MINUTE);
    expect(clock.until(t0 + HOUR)).toBe(HOUR - MINUTE);
    expect(await clock.sinceAsync(t0)).toBe(MINUTE);
    expect(await clock.untilAsync(t0 + HOUR)).toBe(HOUR - MINUTE);
  });
});

describe("virtual clock traps", () => {
  it("TestTrap (README): a trapped afterFunc is created at release, then fires on advance", async () => {
    const clock = new VirtualClock();
    const trap = clock.trap().afterFunc();
    let count = 0;
    void clock.afterFuncAsync(HOUR, () => {
      count++;
    });
    const call = await trap.wait();
    await call.release();
    expect(call.duration).toBe(HOUR);
    await clock.advance(call.duration ?? 0);
    expect(count).toBe(1);
    trap.close();
  });

  it("TestTrap2 (README): a trapped now() returns the time at release", async () => {
    const clock = new VirtualClock();
    const trap = clock.trap().now();
    const logs: string[] = [];
    const done = (async () => {
      const start = await clock.nowAsync();
      const p1end = await clock.nowAsync();
      logs.push(`phase 1 took ${p1end - start}ms`);
      const p2end = await clock.nowAsync();
      logs.push(`phase 2 took ${p2end - p1end}ms`);
    })();
    await (await trap.wait()).release();
    let call = await trap.wait();
    await clock.advance(3 * SECOND);
    await call.release();
    call = await trap.wait();
    await clock.advance(5 * SECOND);
    await call.release();
    await done;
    expect(logs).toEqual(["phase 1 took 3000ms", "phase 2 took 5000ms"]);
    trap.close();
  });

  it("a trap matches a call when all its tags are among the call's tags", async () => {
    const clock = new VirtualClock();
    const trap = clock.trap().sleep("foo");
    const untrapped = observe(clock.sleep(0, "baz"));
    const trapped = observe(clock.sleep(0, "foo", "bar"));
    await flush();
    expect(untrapped.settled).toBe(true);
    expect(trapped.settled).toBe(false);
    const call = await trap.wait();
    expect(call.method).toBe("sleep");
    expect(call.tags).toEqual(["foo", "bar"]);
    await call.release();
    await flush();
    expect(trapped.settled).toBe(true);
    trap.close();
  });

  it("each clock method has its own trap", async () => {
    const clock = new VirtualClock();
    const t0 = clock.now();
    const trapper = clock.trap();
    const tmr = clock.newTimer(HOUR);
    const tkr = clock.newTicker(HOUR);
    const ctl = new AbortController();
    const cases: [ReturnType<typeof trapper.now>, () => Promise<unknown>, string][] = [
      [trapper.now("x"), () => clock.nowAsync("x"), "now"],
      [trapper.since("x"), () => clock.sinceAsync(t0, "x"), "since"],
      [trapper.until("x"), () => clock.untilAsync(t0, "x"), "until"],
      [trapper.newTimer("x"), () => clock.newTimerAsync(SECOND, "x"), "newTimer"],
      [trapper.afterFunc("x"), () => clock.afterFuncAsync(SECOND, () => {}, "x"), "afterFunc"],
      [trapper.newTicker("x"), () => clock.newTickerAsync(SECOND, "x"), "newTicker"],
      [trapper.tickerFunc("x"), () => clock.tickerFuncAsync(ctl.signal, SECOND, () => {}, "x"), "tickerFunc"],
      [trapper.sleep("x"), () => clock.sleep(0, "x"), "sleep"],
      [trapper.timerStop("x"), () => tmr.stopAsync("x"), "timerStop"],
      [trapper.timerReset("x"), () => tmr.resetAsync(SECOND, "x"), "timerReset"],
      [trapper.tickerStop("x"), () => tkr.stopAsync("x"), "tickerStop"],
      [trapper.tickerReset("x"), () => tkr.resetAsync(SECOND, "x"), "tickerReset"],
    ];
    for (const [trap, invoke, method] of cases) {
      const result = observe(invoke());
      const call = await trap.wait();
      expect(call.method).toBe(method);
      expect(result.settled).toBe(false);
      await call.release();
      await flush();
      expect(result.settled).toBe(true);
      trap.close();
    }
    const waitTrap = trapper.tickerFuncWait("x");
    const tf = clock.tickerFunc(ctl.signal, SECOND, () => {});
    ctl.abort();
    const waited = observe(tf.wait("x"));
    const call = await waitTrap.wait();
    expect(call.method).toBe("tickerFuncWait");
    await call.release();
    await flush();
    expect(waited.settled).toBe(true);
    waitTrap.close();
  });

  it("a trapped call exposes its instant argument", async () => {
    const clock = new VirtualClock();
    const trap = clock.trap().until();
    const result = clock.untilAsync(DEFAULT_START + MINUTE);
    const call = await trap.wait();
    expect(call.time).toBe(DEFAULT_START + MINUTE);
    await call.release();
    expect(await result).toBe(MINUTE);
    trap.close();
  });

  it("a synchronous call that matches a trap throws and names the trappable form", () => {
    const clock = new VirtualClock();
    const trap = clock.trap().newTicker("prebuilds");
    expect(() => clock.newTicker(MINUTE, "prebuilds", "reconcile")).toThrow(
      "newTicker(1m, [prebuilds, reconcile]) matched trap newTicker[prebuilds], but a synchronous call cannot " +
        "wait for release: call newTickerAsync where a test must trap it",
    );
    expect(clock.newTicker(MINUTE, "other")).toBeDefined();
    trap.close();
    expect(clock.newTicker(MINUTE, "prebuilds")).toBeDefined();
  });

  it("closing a trap releases the calls nobody waited for and rejects pending waits", async () => {
    const clock = new VirtualClock();
    const trap = clock.trap().now();
    const got = clock.nowAsync();
    await flush();
    trap.close();
    expect(await got).toBe(DEFAULT_START);
    await expect(trap.wait()).rejects.toThrow("trap now[] is closed");
  });

  it("releasing a call twice is an error", async () => {
    const clock = new VirtualClock();
    const trap = clock.trap().now();
    void clock.nowAsync();
    const call = await trap.wait();
    await call.release();
    await expect(call.release()).rejects.toThrow(/released now\(\[\]\) twice/);
    trap.close();
  });
});
