import { describe, expect, it } from "vitest";
import { SECOND } from "../../src/clock/index.ts";
import { DeadlockError, Kernel, Mutex } from "../../src/kernel/index.ts";

describe("Mutex", () => {
  it("is fair: waiters acquire in arrival order, and an unlocker that locks again queues behind them", async () => {
    const kernel = new Kernel();
    const m = new Mutex(kernel, "m");
    const order: string[] = [];
    kernel.spawn("greedy", async () => {
      await m.lock();
      await kernel.clock.sleep(SECOND); // others queue up meanwhile
      m.unlock();
      await m.lock(); // must not overtake the queue
      order.push("greedy again");
      m.unlock();
    });
    for (const name of ["w1", "w2", "w3"]) {
      kernel.spawn(name, async () => {
        await m.lock();
        order.push(name);
        m.unlock();
      });
    }
    await kernel.run();
    expect(order).toEqual(["w1", "w2", "w3", "greedy again"]);
    expect(m.locked).toBe(false);
  });

  it("records its owner and hands ownership to the next waiter", async () => {
    const kernel = new Kernel();
    const m = new Mutex(kernel, "m");
    const owners: (string | undefined)[] = [];
    kernel.spawn("first", async () => {
      await m.lock();
      await kernel.yield();
      m.unlock();
      owners.push(m.owner?.name);
    });
    kernel.spawn("second", async () => {
      await m.lock();
      owners.push(m.owner?.name);
      m.unlock();
    });
    await kernel.run();
    expect(owners).toEqual(["second", "second"]);
  });

  it("tryLock never waits; unlocking an unlocked mutex throws", () => {
    const kernel = new Kernel();
    const m = new Mutex(kernel, "m");
    expect(m.tryLock()).toBe(true);
    expect(m.tryLock()).toBe(false);
    m.unlock();
    expect(() => m.unlock()).toThrow("unlock of unlocked mutex m");
  });

  it("a task waiting for a mutex that is never unlocked is a deadlock naming the holder", async () => {
    const kernel = new Kernel();
    const m = new Mutex(kernel, "state");
    kernel.spawn("holder", async () => {
      await m.lock(); // and finishes without unlocking
    });
    kernel.spawn("holder-2", async () => {
      const other = new Mutex(kernel, "inner");
      await other.lock();
      await other.lock();
    });
    kernel.spawn("waiter", async () => {
      await m.lock();
    });
    const run = kernel.run();
    await expect(run).rejects.toThrow(DeadlockError);
    await expect(run).rejects.toThrow(
      "deadlock at 2024-01-01T00:00:00.000Z: no task can run and nothing is scheduled, but 2 task(s) are parked:\n" +
        "  #2 holder-2: lock mutex inner (held by #2 holder-2)\n" +
        "  #3 waiter: lock mutex state (held by #1 holder)",
    );
  });
});
