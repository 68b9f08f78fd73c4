import { describe, expect, it } from "vitest";
import { SECOND } from "../../src/clock/index.ts";
import { Context, ContextCanceledError, Kernel, TaskGroup } from "../../src/kernel/index.ts";

describe("TaskGroup (errgroup)", () => {
  it("never runs more than its limit at once; go parks while the limit is reached", async () => {
    const kernel = new Kernel();
    const group = new TaskGroup(kernel, "presets", { limit: 2 });
    let running = 0;
    let peak = 0;
    const submittedAt: number[] = [];
    kernel.spawn("submitter", async () => {
      for (let i = 0; i < 5; i++) {
        await group.go(`preset ${i}`, async () => {
          running++;
          peak = Math.max(peak, running);
          await kernel.clock.sleep(SECOND);
          running--;
        });
        submittedAt.push((kernel.now - Date.UTC(2024, 0, 1)) / SECOND);
      }
      await group.wait();
    });
    await kernel.run();
    expect(peak).toBe(2);
    expect(submittedAt).toEqual([0, 0, 1, 1, 2]);
  });

  it("wait returns the first error; the group context is canceled with it as the cause", async () => {
    const kernel = new Kernel();
    const group = new TaskGroup(kernel, "g", { context: Context.background(kernel) });
    const first = new Error("first");
    let sawCancel: unknown;
    let result: unknown;
    kernel.spawn("main", async () => {
      await group.go("slow", async () => {
        sawCancel = await group.ctx?.done();
      });
      await group.go("fails", async () => {
        await kernel.clock.sleep(SECOND);
        throw first;
      });
      await group.go("fails later", async () => {
        await kernel.clock.sleep(2 * SECOND);
        throw new Error("second");
      });
      try {
        await group.wait();
      } catch (error) {
        result = error;
      }
    });
    await kernel.run();
    expect(result).toBe(first);
    expect(sawCancel).toBe(first);
    expect(group.ctx?.err).toBeInstanceOf(ContextCanceledError);
    expect(kernel.failures).toEqual([]); // group errors are results, not task failures
  });

  it("wait cancels the group context even when every task succeeded", async () => {
    const kernel = new Kernel();
    const group = new TaskGroup(kernel, "g", { context: Context.background(kernel) });
    kernel.spawn("main", async () => {
      await group.go("ok", () => {});
      await group.wait();
    });
    await kernel.run();
    expect(group.ctx?.canceled).toBe(true);
  });

  it("tryGo refuses when no slot is free", async () => {
    const kernel = new Kernel();
    const group = new TaskGroup(kernel, "g", { limit: 1 });
    expect(group.tryGo("a", () => kernel.clock.sleep(SECOND))).toBe(true);
    expect(group.tryGo("b", () => {})).toBe(false);
    await kernel.run();
    expect(group.tryGo("c", () => {})).toBe(true);
  });

  it("rejects a limit that is not a positive integer", () => {
    expect(() => new TaskGroup(new Kernel(), "g", { limit: 0 })).toThrow(
      "task group g: limit must be a positive integer, got 0",
    );
  });

  // `void group.wait()` (an errgroup's Wait nobody calls): the wait used to park the caller while its
  // code ran on without the baton, and the schedule fell apart until the watchdog ended the run.
  it("a dropped wait parks nothing: the caller runs on while the group's tasks do, and the run completes", async () => {
    const kernel = new Kernel();
    const group = new TaskGroup(kernel, "g", { context: Context.background(kernel) });
    const events: string[] = [];
    kernel.spawn("caller", async () => {
      await group.go("worker", async () => {
        await kernel.clock.sleep(SECOND);
        events.push("worker done");
      });
      void group.wait();
      events.push("caller on");
      await kernel.clock.sleep(2 * SECOND);
      events.push("caller done");
    });
    await kernel.run();
    expect(events).toEqual(["caller on", "worker done", "caller done"]);
    expect(kernel.failures).toEqual([]);
    expect(group.ctx?.canceled).toBe(false); // nobody waited, so nothing canceled the group
  });

  it("a task whose body returns the group's wait waits for the group", async () => {
    const kernel = new Kernel();
    const group = new TaskGroup(kernel, "g");
    let waiterDoneAt = -1;
    group.tryGo("worker", () => kernel.clock.sleep(3 * SECOND));
    kernel.runCallback(
      "waiter",
      () => group.wait(),
      () => {
        waiterDoneAt = (kernel.now - Date.UTC(2024, 0, 1)) / SECOND;
      },
    );
    await kernel.run();
    expect(waiterDoneAt).toBe(3);
  });
});
