// The watchdog works in real time by nature; these tests assert what it reports, not how fast.
import { describe, expect, it } from "vitest";
import { Kernel, WatchdogError } from "../../src/kernel/index.ts";
import { Watchdog } from "../../src/kernel/watchdog.ts";

describe("watchdog", () => {
  it("names a task that holds the baton while awaiting a promise that never settles", async () => {
    const kernel = new Kernel({ watchdog: { stallAfterMs: 40 } });
    kernel.spawn("healthy", () => kernel.yield());
    kernel.spawn("hung query", async () => {
      await new Promise(() => {}); // like a PGlite call that never returns
    });
    const run = kernel.run();
    await expect(run).rejects.toThrow(WatchdogError);
    await expect(run).rejects.toThrow(
      /^watchdog: task #2 hung query has held the baton for \d+ ms of real time at 2024-01-01T00:00:00\.000Z/,
    );
  });

  it("stays quiet while the baton keeps moving", async () => {
    const stalls: string[] = [];
    let switches = 0;
    const dog = new Watchdog(
      { stallAfterMs: 20 },
      { holder: () => ({ id: 1, name: "busy" }), switches: () => switches++ },
      (holder) => stalls.push(holder.name),
    );
    dog.start();
    await new Promise((resolve) => setTimeout(resolve, 120));
    dog.stop();
    expect(stalls).toEqual([]);
    expect(dog.running).toBe(false);
  });

  it("stays quiet while no task holds the baton", async () => {
    const stalls: string[] = [];
    const dog = new Watchdog({ stallAfterMs: 20 }, { holder: () => null, switches: () => 0 }, (holder) =>
      stalls.push(holder.name),
    );
    dog.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    dog.stop();
    expect(stalls).toEqual([]);
  });

  it("rejects a non-positive threshold", () => {
    expect(
      () => new Watchdog({ stallAfterMs: 0 }, { holder: () => null, switches: () => 0 }, () => {}),
    ).toThrow("watchdog: stallAfterMs must be positive, got 0");
  });

  it("is off when the kernel is built with watchdog: false", async () => {
    const kernel = new Kernel({ watchdog: false });
    kernel.spawn("slow external", async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
    });
    await expect(kernel.run()).resolves.toMatchObject({ reason: "finished" });
  });
});
