import { describe, expect, it } from "vitest";
import { SECOND } from "../../src/clock/index.ts";
import { EMPTY } from "../../src/clock/selectable.ts";
import { Channel, CLOSED, Kernel } from "../../src/kernel/index.ts";

function tick(kernel: Kernel): number {
  return (kernel.now - Date.UTC(2024, 0, 1)) / SECOND;
}

describe("Channel", () => {
  it("buffered: sends up to the capacity do not wait; the next one waits for a receive", async () => {
    const kernel = new Kernel();
    const ch = new Channel<number>(kernel, "jobs", 2);
    const log: string[] = [];
    kernel.spawn("producer", async () => {
      for (let i = 1; i <= 3; i++) {
        await ch.send(i);
        log.push(`sent ${i} at ${tick(kernel)}s`);
      }
    });
    kernel.spawn("consumer", async () => {
      await kernel.clock.sleep(5 * SECOND);
      for (let i = 0; i < 3; i++) log.push(`got ${String(await ch.receive())}`);
    });
    await kernel.run();
    expect(log).toEqual(["sent 1 at 0s", "sent 2 at 0s", "got 1", "got 2", "got 3", "sent 3 at 5s"]);
  });

  it("unbuffered: a send waits until a receiver takes the value", async () => {
    const kernel = new Kernel();
    const ch = new Channel<string>(kernel, "handoff");
    const log: string[] = [];
    kernel.spawn("sender", async () => {
      await ch.send("x");
      log.push(`sent at ${tick(kernel)}s`);
    });
    kernel.spawn("receiver", async () => {
      await kernel.clock.sleep(3 * SECOND);
      log.push(`got ${String(await ch.receive())} at ${tick(kernel)}s`);
    });
    await kernel.run();
    expect(log).toEqual(["got x at 3s", "sent at 3s"]);
  });

  it("a receive waits for a send; a waiting receiver gets the value directly", async () => {
    const kernel = new Kernel();
    const ch = new Channel<number>(kernel, "c", 1);
    let got: unknown;
    kernel.spawn("receiver", async () => {
      got = await ch.receive();
    });
    kernel.spawn("sender", async () => {
      await kernel.clock.sleep(SECOND);
      expect(ch.trySend(42)).toBe(true);
      expect(ch.length).toBe(0);
    });
    await kernel.run();
    expect(got).toBe(42);
  });

  it("close: buffered values drain first, then receives return CLOSED; waiting receivers get CLOSED", async () => {
    const kernel = new Kernel();
    const ch = new Channel<number>(kernel, "c", 2);
    const idle = new Channel<number>(kernel, "idle");
    const got: unknown[] = [];
    let waiterGot: unknown;
    kernel.spawn("waiter", async () => {
      waiterGot = await idle.receive();
    });
    kernel.spawn("closer", async () => {
      await ch.send(1);
      await ch.send(2);
      ch.close();
      idle.close();
      got.push(await ch.receive(), await ch.receive(), await ch.receive());
    });
    await kernel.run();
    expect(got).toEqual([1, 2, CLOSED]);
    expect(waiterGot).toBe(CLOSED);
    expect(ch.closed).toBe(true);
  });

  it("close makes waiting and later senders fail; closing twice throws", async () => {
    const kernel = new Kernel();
    const ch = new Channel<number>(kernel, "c");
    const errors: string[] = [];
    kernel.spawn("sender", async () => {
      try {
        await ch.send(1);
      } catch (error) {
        errors.push((error as Error).message);
      }
    });
    await kernel.runUntilIdle();
    ch.close();
    await kernel.runUntilIdle();
    expect(errors).toEqual(["send on closed channel c"]);
    expect(() => ch.trySend(2)).toThrow("send on closed channel c");
    expect(() => ch.close()).toThrow("close of closed channel c");
  });

  it("trySend and tryReceive never wait", () => {
    const kernel = new Kernel();
    const ch = new Channel<number>(kernel, "c", 1);
    expect(ch.tryReceive()).toBe(EMPTY);
    expect(ch.trySend(1)).toBe(true);
    expect(ch.trySend(2)).toBe(false);
    expect(ch.tryReceive()).toBe(1);
    ch.close();
    expect(ch.tryReceive()).toBe(CLOSED);
  });

  it("a blocked sender's value moves into the buffer when a slot frees", async () => {
    const kernel = new Kernel();
    const ch = new Channel<number>(kernel, "c", 1);
    kernel.spawn("sender", async () => {
      await ch.send(1);
      await ch.send(2); // waits: buffer full
    });
    await kernel.runUntilIdle();
    expect(ch.tryReceive()).toBe(1);
    expect(ch.length).toBe(1);
    await kernel.runUntilIdle();
    expect(kernel.tasks).toEqual([]);
    expect(ch.tryReceive()).toBe(2);
  });

  it("rejects a negative capacity", () => {
    expect(() => new Channel(new Kernel(), "bad", -1)).toThrow(
      "channel bad: capacity must be a non-negative integer, got -1",
    );
  });
});
