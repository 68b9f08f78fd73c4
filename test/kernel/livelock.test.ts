// The kernel's livelock guard (`maxSwitchesPerInstant`, WorldSettings): tasks that keep waking
// each other at one instant are stopped with a LivelockError; tasks that wait on the clock never
// trip it, however many switches the run makes in all.
import { describe, expect, test } from "vitest";
import { Kernel, LivelockError } from "../../src/kernel/index.ts";

function pingPong(kernel: Kernel, rounds: number): void {
  for (const name of ["ping", "pong"]) {
    kernel.spawn(name, async () => {
      for (let i = 0; i < rounds; i++) await kernel.yield();
    });
  }
}

describe("maxSwitchesPerInstant", () => {
  test("two tasks yielding to each other at one instant past the limit: LivelockError", async () => {
    const kernel = new Kernel({ watchdog: false, maxSwitchesPerInstant: 50 });
    pingPong(kernel, 1_000);
    await expect(kernel.run()).rejects.toThrow(LivelockError);
    await expect(kernel.run()).rejects.toThrow(
      /livelock: 50 task switches at .* \(the last to run: p[io]ng\)/,
    );
  });

  test("the same tasks within the limit finish", async () => {
    const kernel = new Kernel({ watchdog: false, maxSwitchesPerInstant: 50 });
    pingPong(kernel, 20);
    await expect(kernel.run()).resolves.toMatchObject({ reason: "finished" });
  });

  test("the count starts again at each instant: a task sleeping between switches never trips it", async () => {
    const kernel = new Kernel({ watchdog: false, maxSwitchesPerInstant: 3 });
    kernel.spawn("sleeper", async () => {
      for (let i = 0; i < 100; i++) await kernel.clock.sleep(1);
    });
    await expect(kernel.run()).resolves.toMatchObject({ reason: "finished" });
    expect(kernel.switches).toBeGreaterThan(100);
  });

  test("no limit by default", async () => {
    const kernel = new Kernel({ watchdog: false });
    pingPong(kernel, 5_000);
    await expect(kernel.run()).resolves.toMatchObject({ reason: "finished" });
  });
});
