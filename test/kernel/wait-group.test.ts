import { describe, expect, it } from "vitest";
import { SECOND } from "../../src/clock/index.ts";
import { Kernel, WaitGroup } from "../../src/kernel/index.ts";

describe("WaitGroup", () => {
  it("wait parks every waiter until the counter is back to zero", async () => {
    const kernel = new Kernel();
    const wg = new WaitGroup(kernel, "workers");
    const resumedAt: number[] = [];
    wg.add(3);
    for (let i = 1; i <= 3; i++) {
      kernel.spawn(`worker ${i}`, async () => {
        await kernel.clock.sleep(i * SECOND);
        wg.done();
      });
    }
    for (const name of ["w1", "w2"]) {
      kernel.spawn(name, async () => {
        await wg.wait();
        resumedAt.push(kernel.now - Date.UTC(2024, 0, 1));
      });
    }
    await kernel.run();
    expect(resumedAt).toEqual([3 * SECOND, 3 * SECOND]);
    expect(wg.count).toBe(0);
  });

  it("wait returns at once when the counter is zero", async () => {
    const kernel = new Kernel();
    const wg = new WaitGroup(kernel, "empty");
    let done = false;
    kernel.spawn("t", async () => {
      await wg.wait();
      done = true;
    });
    await kernel.runUntilIdle();
    expect(done).toBe(true);
  });

  it("a negative counter is an error", () => {
    const wg = new WaitGroup(new Kernel(), "wg");
    expect(() => wg.done()).toThrow("wait group wg: negative counter (-1)");
  });
});
