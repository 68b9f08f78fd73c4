import { describe, expect, it } from "vitest";
import { DEFAULT_START, MINUTE, SECOND } from "../../src/clock/index.ts";
import {
  Context,
  Kernel,
  type KernelEvent,
  KernelStoppedError,
  select,
  TaskFailedError,
} from "../../src/kernel/index.ts";

/** Something outside the kernel that takes a macrotask to settle, like a PGlite query. */
function external<T>(value: T): Promise<T> {
  return new Promise((resolve) => setImmediate(() => resolve(value)));
}

describe("kernel scheduling", () => {
  it("runs one task at a time, each until it parks, and traces every step", async () => {
    const kernel = new Kernel();
    const events: KernelEvent[] = [];
    kernel.onEvent((e) => events.push(e));
    const log: string[] = [];
    kernel.spawn("a", async () => {
      log.push("a1");
      await kernel.clock.sleep(SECOND, "a");
      log.push("a2");
    });
    kernel.spawn("b", async () => {
      log.push("b1");
      await kernel.yield();
      log.push("b2");
    });
    const outcome = await kernel.run();
    expect(outcome).toEqual({ reason: "finished", at: DEFAULT_START + SECOND });
    expect(log).toEqual(["a1", "b1", "b2", "a2"]);
    const t0 = DEFAULT_START;
    expect(events).toEqual([
      { kind: "spawn", at: t0, task: 1, name: "a", parent: null },
      { kind: "spawn", at: t0, task: 2, name: "b", parent: null },
      { kind: "switch", at: t0, task: 1 },
      { kind: "park", at: t0, task: 1, reason: "sleep(1s)[a]" },
      { kind: "switch", at: t0, task: 2 },
      { kind: "park", at: t0, task: 2, reason: "yield" },
      { kind: "wake", at: t0, task: 2 },
      { kind: "switch", at: t0, task: 2 },
      { kind: "finish", at: t0, task: 2 },
      { kind: "advance", from: t0, to: t0 + SECOND },
      { kind: "fire", at: t0 + SECOND, event: "sleep(1s)[a]" },
      { kind: "wake", at: t0 + SECOND, task: 1 },
      { kind: "switch", at: t0 + SECOND, task: 1 },
      { kind: "finish", at: t0 + SECOND, task: 1 },
    ]);
  });

  it("lets a task await promises outside the kernel while it holds the baton: nothing else runs meanwhile", async () => {
    const kernel = new Kernel();
    const log: string[] = [];
    for (const name of ["a", "b"]) {
      kernel.spawn(name, async () => {
        for (let i = 0; i < 3; i++) {
          log.push(`${name}${await external(i)}`);
        }
        await kernel.yield();
        log.push(`${name} after yield`);
      });
    }
    await kernel.run();
    expect(log).toEqual(["a0", "a1", "a2", "b0", "b1", "b2", "a after yield", "b after yield"]);
  });

  it("jumps virtual time to the next event when no task can run, and stops at the deadline", async () => {
    const kernel = new Kernel();
    const wakes: number[] = [];
    kernel.spawn("sleeper", async () => {
      for (;;) {
        await kernel.clock.sleep(7 * MINUTE);
        wakes.push(kernel.now - DEFAULT_START);
      }
    });
    const outcome = await kernel.run({ until: DEFAULT_START + 30 * MINUTE });
    expect(outcome).toEqual({ reason: "deadline", at: DEFAULT_START + 30 * MINUTE });
    expect(wakes).toEqual([7, 14, 21, 28].map((m) => m * MINUTE));
    expect(kernel.clock.peek()).toBe(5 * MINUTE);
    // a later run continues from there
    await kernel.run({ until: DEFAULT_START + 40 * MINUTE });
    expect(wakes.at(-1)).toBe(35 * MINUTE);
  });

  it("refuses a deadline in the past", async () => {
    const kernel = new Kernel({ start: DEFAULT_START + MINUTE });
    await expect(kernel.run({ until: DEFAULT_START })).rejects.toThrow(/is before now/);
  });

  it("runUntilIdle runs tasks at the current instant and never moves time", async () => {
    const kernel = new Kernel();
    let steps = 0;
    kernel.spawn("t", async () => {
      steps++;
      await kernel.clock.sleep(SECOND);
      steps++;
    });
    expect(steps).toBe(0); // spawning only queues the task
    await kernel.runUntilIdle();
    expect(steps).toBe(1);
    expect(kernel.now).toBe(DEFAULT_START);
    await kernel.clock.advance(SECOND);
    expect(steps).toBe(2);
    expect(kernel.tasks).toEqual([]);
  });

  it("tasks spawned from tasks record their parent", async () => {
    const kernel = new Kernel();
    const spawns: KernelEvent[] = [];
    kernel.onEvent((e) => {
      if (e.kind === "spawn") spawns.push(e);
    });
    kernel.spawn("parent", () => {
      kernel.spawn("child", () => {});
    });
    await kernel.run();
    expect(spawns.map((e) => (e.kind === "spawn" ? [e.name, e.parent] : []))).toEqual([
      ["parent", null],
      ["child", 1],
    ]);
  });

  it("blocking waits outside a task are refused", () => {
    const kernel = new Kernel();
    expect(() => kernel.clock.sleep(SECOND, "outside")).toThrow(
      "blocking wait (sleep(1s)[outside]) outside a kernel task at 2024-01-01T00:00:00.000Z: only code running in a task spawned on the kernel may wait",
    );
  });

  it("clock callbacks run as kernel tasks named after their timer", async () => {
    const kernel = new Kernel();
    const names: string[] = [];
    kernel.onEvent((e) => {
      if (e.kind === "spawn") names.push(e.name);
    });
    let firedAt = 0;
    kernel.clock.afterFunc(
      MINUTE,
      () => {
        firedAt = kernel.now;
        expect(kernel.currentTask?.name).toBe("afterFunc(1m)[cleanup]");
      },
      "cleanup",
    );
    await kernel.run();
    expect(firedAt).toBe(DEFAULT_START + MINUTE);
    expect(names).toEqual(["afterFunc(1m)[cleanup]"]);
  });

  it("detaching a trace sink stops its events", async () => {
    const kernel = new Kernel();
    const seen: KernelEvent[] = [];
    const detach = kernel.onEvent((e) => seen.push(e));
    kernel.spawn("one", () => {});
    await kernel.run();
    const count = seen.length;
    detach();
    kernel.spawn("two", () => {});
    await kernel.run();
    expect(seen.length).toBe(count);
  });
});

describe("kernel trace sinks by kind", () => {
  it("a sink that names kinds receives only those, in the order all sinks see them", async () => {
    const kernel = new Kernel();
    const all: KernelEvent[] = [];
    const some: KernelEvent[] = [];
    kernel.onEvent((e) => all.push(e));
    kernel.onEvent((e) => some.push(e), ["spawn", "finish"]);
    kernel.spawn("sleeper", () => kernel.clock.sleep(MINUTE));
    await kernel.run();
    expect(some.map((e) => e.kind)).toEqual(["spawn", "finish"]);
    expect(some).toEqual(all.filter((e) => e.kind === "spawn" || e.kind === "finish"));
    expect(all.some((e) => e.kind === "park")).toBe(true);
  });

  it("park reasons are not described when no sink wants park events", async () => {
    const kernel = new Kernel();
    let described = 0;
    kernel.onEvent(() => {}, ["finish"]);
    kernel.spawn("waiter", async () => {
      const parked = kernel.park<void>({
        describe: () => {
          described++;
          return "a lazily described wait";
        },
      });
      parked.deliver(undefined);
      await parked.promise;
    });
    await kernel.run();
    expect(described).toBe(0);
    const detach = kernel.onEvent(() => {}, ["park"]);
    kernel.spawn("waiter again", async () => {
      const parked = kernel.park<void>({
        describe: () => {
          described++;
          return "a lazily described wait";
        },
      });
      parked.deliver(undefined);
      await parked.promise;
    });
    await kernel.run();
    detach();
    expect(described).toBe(1);
  });
});

describe("kernel scheduling policies", () => {
  async function interleaving(policy: "fifo" | "random", seed: number): Promise<string> {
    const kernel = new Kernel({ policy, seed });
    const log: string[] = [];
    for (const name of ["a", "b", "c"]) {
      kernel.spawn(name, async () => {
        for (let i = 0; i < 4; i++) {
          log.push(name);
          await kernel.yield();
        }
      });
    }
    await kernel.run();
    return log.join("");
  }

  it("fifo runs tasks in the order they became runnable", async () => {
    expect(await interleaving("fifo", 1)).toBe("abcabcabcabc");
  });

  it("random picks with the seeded kernel stream: same seed, same interleaving; other seeds differ", async () => {
    const first = await interleaving("random", 7);
    expect(await interleaving("random", 7)).toBe(first);
    const others = new Set<string>();
    for (let seed = 0; seed < 8; seed++) others.add(await interleaving("random", seed));
    expect(others.size).toBeGreaterThan(1);
    for (const order of others) {
      expect([...order].sort().join("")).toBe("aaaabbbbcccc");
    }
  });
});

describe("kernel failures", () => {
  it("captures an uncaught error with the task name and virtual time, and aborts the run by default", async () => {
    const kernel = new Kernel();
    kernel.spawn("doomed", async () => {
      await kernel.clock.sleep(MINUTE);
      throw new Error("disk on fire");
    });
    kernel.spawn("bystander", async () => {
      await kernel.clock.sleep(HOUR_MS);
    });
    const run = kernel.run();
    await expect(run).rejects.toThrow(TaskFailedError);
    await expect(run).rejects.toThrow("task #1 doomed failed at 2024-01-01T00:01:00.000Z: disk on fire");
    expect(kernel.failures).toHaveLength(1);
    expect(kernel.failures[0]).toMatchObject({ taskId: 1, task: "doomed", at: DEFAULT_START + MINUTE });
    expect(() => kernel.spawn("late", () => {})).toThrow(TaskFailedError);
  });

  it("with the record policy, failures are kept and the run goes on", async () => {
    const kernel = new Kernel({ onTaskFailure: "record" });
    let finished = false;
    kernel.spawn("doomed", () => {
      throw new Error("sync failure");
    });
    kernel.spawn("survivor", async () => {
      await kernel.clock.sleep(SECOND);
      finished = true;
    });
    await expect(kernel.run()).resolves.toMatchObject({ reason: "finished" });
    expect(finished).toBe(true);
    expect(kernel.failures.map((f) => [f.task, (f.error as Error).message])).toEqual([
      ["doomed", "sync failure"],
    ]);
  });

  it("a task that returns without awaiting its park point is a failure", async () => {
    const kernel = new Kernel({ onTaskFailure: "record" });
    kernel.spawn("sloppy", () => {
      void kernel.clock.sleep(SECOND, "forgotten");
    });
    await kernel.run();
    expect(kernel.failures).toHaveLength(1);
    expect(String(kernel.failures[0]?.error)).toContain(
      "task #1 sloppy returned while parked on sleep(1s)[forgotten]: a park was not awaited",
    );
  });

  it("an afterFunc callback that throws is a task failure too", async () => {
    const kernel = new Kernel({ onTaskFailure: "record" });
    kernel.clock.afterFunc(SECOND, () => {
      throw new Error("callback broke");
    });
    await kernel.run();
    expect(kernel.failures.map((f) => f.task)).toEqual(["afterFunc(1s)[]"]);
  });
});

describe("kernel stop", () => {
  it("abandons unfinished tasks, reports them, and refuses further work", async () => {
    const kernel = new Kernel();
    const ch: Promise<unknown>[] = [];
    kernel.spawn("forever", async () => {
      ch.push(Context.background(kernel).done());
      await ch[0];
    });
    kernel.spawn("done", () => {});
    await kernel.runUntilIdle();
    const abandoned = kernel.stop();
    expect(abandoned.map((t) => [t.name, t.state])).toEqual([["forever", "abandoned"]]);
    expect(() => kernel.spawn("late", () => {})).toThrow(KernelStoppedError);
    await expect(kernel.run()).rejects.toThrow("the kernel was stopped at 2024-01-01T00:00:00.000Z");
  });
});

describe("kernel-hosted clock", () => {
  it("the run-loop pattern: trap the ticker creation, release it, advance one interval, see the cycle", async () => {
    const kernel = new Kernel();
    const clock = kernel.clock;
    const interval = MINUTE;
    const cycles: number[] = [];
    const root = Context.background(kernel);
    const { ctx, cancel } = root.withCancel("reconciler");
    const trap = clock.trap().newTicker("prebuilds", "reconcile");
    kernel.spawn("reconciler", async () => {
      const ticker = await clock.newTickerAsync(interval, "prebuilds", "reconcile");
      for (;;) {
        const s = await select(kernel, ctx, ticker.c);
        if (s.index === 0) break;
        cycles.push(s.value);
        await kernel.yield(); // a cycle does work across park points
      }
      ticker.stop();
    });
    const call = await trap.wait();
    expect(call.duration).toBe(interval);
    expect(call.tags).toEqual(["prebuilds", "reconcile"]);
    await call.release();
    await clock.advance(interval);
    expect(cycles).toEqual([DEFAULT_START + interval]);
    await clock.advance(interval);
    expect(cycles).toEqual([DEFAULT_START + interval, DEFAULT_START + 2 * interval]);
    cancel();
    await kernel.runUntilIdle();
    expect(kernel.tasks).toEqual([]);
    expect(clock.peek()).toBeUndefined();
    trap.close();
  });

  it("a trapped call parks its task; the kernel reports it if the run cannot go on", async () => {
    const kernel = new Kernel();
    const trap = kernel.clock.trap().now("t");
    kernel.spawn("reader", async () => {
      await kernel.clock.nowAsync("t");
    });
    await expect(kernel.run()).rejects.toThrow("#1 reader: trapped call now([t]) awaiting release");
    expect(() => trap.close()).not.toThrow(); // the call was never waited for
  });

  it("trap.wait rejects at once when the kernel is idle and no call arrived", async () => {
    const kernel = new Kernel();
    const trap = kernel.clock.trap().newTicker("never");
    await expect(trap.wait()).rejects.toThrow(
      "trap newTicker[never] is waiting for a call, but nothing can run until the test acts",
    );
    trap.close();
  });

  it("the advance waiter rejects when a fired callback is parked and nothing can run", async () => {
    const kernel = new Kernel();
    kernel.clock.afterFunc(
      SECOND,
      async () => {
        await Context.background(kernel).done();
      },
      "stuck",
    );
    await expect(kernel.clock.advance(SECOND).wait()).rejects.toThrow(
      "advance waiter: nothing can run, but fired callbacks have not finished: afterFunc(1s)[stuck]",
    );
  });

  it("tickerFunc callbacks run as tasks and skip ticks while running", async () => {
    const kernel = new Kernel();
    const { ctx, cancel } = Context.background(kernel).withCancel();
    const starts: number[] = [];
    const waiter = kernel.clock.tickerFunc(ctx.signal, SECOND, async () => {
      starts.push(kernel.now - DEFAULT_START);
      await kernel.clock.sleep(2500);
    });
    let stopped = false;
    kernel.spawn("stopper", async () => {
      await kernel.clock.sleep(10 * SECOND);
      cancel();
      await waiter.wait();
      stopped = true;
    });
    await kernel.run({ until: DEFAULT_START + 20 * SECOND });
    expect(starts).toEqual([1000, 4000, 7000, 10000]);
    expect(stopped).toBe(true);
  });
});

const HOUR_MS = 60 * MINUTE;
