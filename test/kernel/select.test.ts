import { describe, expect, it } from "vitest";
import { MINUTE, SECOND } from "../../src/clock/index.ts";
import { Channel, CLOSED, Context, Kernel, select } from "../../src/kernel/index.ts";

describe("select", () => {
  it("takes a ready source at once; under fifo the first ready one in argument order", async () => {
    const kernel = new Kernel();
    const a = new Channel<string>(kernel, "a", 1);
    const b = new Channel<number>(kernel, "b", 1);
    a.trySend("x");
    b.trySend(1);
    let picked: unknown;
    kernel.spawn("t", async () => {
      picked = await select(kernel, b, a);
    });
    await kernel.runUntilIdle();
    expect(picked).toEqual({ index: 0, value: 1 });
  });

  it("waits for the first source to deliver and stops listening to the others", async () => {
    const kernel = new Kernel();
    const { ctx, cancel } = Context.background(kernel).withCancel("loop");
    const ticker = kernel.clock.newTicker(MINUTE);
    const jobs = new Channel<string>(kernel, "jobs", 1);
    const seen: string[] = [];
    kernel.spawn("loop", async () => {
      for (;;) {
        const s = await select(kernel, ctx, ticker.c, jobs);
        if (s.index === 0) return;
        if (s.index === 1) seen.push(`tick ${(s.value - kernel.now) / SECOND}`);
        else seen.push(`job ${String(s.value)}`);
      }
    });
    kernel.spawn("driver", async () => {
      await kernel.clock.sleep(30 * SECOND);
      await jobs.send("j1");
      await kernel.clock.sleep(60 * SECOND);
      cancel();
    });
    await kernel.run({ until: Date.UTC(2024, 0, 1) + 10 * MINUTE });
    expect(seen).toEqual(["job j1", "tick 0"]);
    ticker.stop();
    // the loop's receiver was removed from the channel: a later value stays buffered
    expect(jobs.trySend("j2")).toBe(true);
    expect(jobs.length).toBe(1);
  });

  it("a closed channel is ready with CLOSED", async () => {
    const kernel = new Kernel();
    const ch = new Channel<number>(kernel, "c");
    ch.close();
    let picked: unknown;
    kernel.spawn("t", async () => {
      picked = await select(kernel, ch);
    });
    await kernel.runUntilIdle();
    expect(picked).toEqual({ index: 0, value: CLOSED });
  });

  it("under the random policy, the choice among ready sources follows the seed", async () => {
    async function pick(seed: number): Promise<number> {
      const kernel = new Kernel({ policy: "random", seed });
      const sources = [0, 1, 2, 3].map((i) => {
        const ch = new Channel<number>(kernel, `c${i}`, 1);
        ch.trySend(i);
        return ch;
      });
      let index = -1;
      kernel.spawn("t", async () => {
        index = (await select(kernel, ...sources)).index;
      });
      await kernel.runUntilIdle();
      return index;
    }
    expect(await pick(3)).toBe(await pick(3));
    const picks = new Set<number>();
    for (let seed = 0; seed < 16; seed++) picks.add(await pick(seed));
    expect(picks.size).toBeGreaterThan(1);
  });

  it("needs at least one source", () => {
    expect(() => select(new Kernel())).toThrow("select: no sources");
  });

  it("names its sources when a task waits on it", async () => {
    const kernel = new Kernel();
    const a = new Channel<number>(kernel, "a");
    const b = new Channel<number>(kernel, "b");
    kernel.spawn("t", async () => {
      await select(kernel, a, b);
    });
    await expect(kernel.run()).rejects.toThrow("#1 t: select on a | b");
  });
});
