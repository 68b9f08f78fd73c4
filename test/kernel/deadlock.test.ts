import { describe, expect, it } from "vitest";
import { MINUTE, SECOND } from "../../src/clock/index.ts";
import { Channel, DeadlockError, Kernel, WaitGroup } from "../../src/kernel/index.ts";

describe("deadlock detection", () => {
  it("reports every parked task and what it waits for, at the virtual time it happened", async () => {
    const kernel = new Kernel();
    const requests = new Channel<number>(kernel, "requests");
    const replies = new Channel<number>(kernel, "replies");
    const wg = new WaitGroup(kernel, "workers");
    wg.add(1);
    kernel.spawn("client", async () => {
      await kernel.clock.sleep(5 * SECOND);
      await replies.receive(); // never sends its request first
    });
    kernel.spawn("server", async () => {
      const r = await requests.receive();
      await replies.send(Number(r));
      wg.done();
    });
    kernel.spawn("supervisor", () => wg.wait());
    kernel.spawn("bystander", () => kernel.clock.sleep(MINUTE));
    let error: unknown;
    try {
      await kernel.run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeadlockError);
    const deadlock = error as DeadlockError;
    expect(deadlock.at).toBe(Date.UTC(2024, 0, 1) + MINUTE);
    expect(deadlock.parked).toEqual([
      { id: 1, name: "client", waitsFor: "receive from channel replies" },
      { id: 2, name: "server", waitsFor: "receive from channel requests" },
      { id: 3, name: "supervisor", waitsFor: "wait for wait group workers" },
    ]);
    expect(deadlock.message).toBe(
      "deadlock at 2024-01-01T00:01:00.000Z: no task can run and nothing is scheduled, but 3 task(s) are parked:\n" +
        "  #1 client: receive from channel replies\n" +
        "  #2 server: receive from channel requests\n" +
        "  #3 supervisor: wait for wait group workers",
    );
  });

  it("is not reported while something is still scheduled: the run stops at its deadline instead", async () => {
    const kernel = new Kernel();
    const never = new Channel<number>(kernel, "never");
    kernel.spawn("stuck", async () => {
      await never.receive();
    });
    kernel.clock.newTicker(MINUTE, "heartbeat");
    const until = kernel.now + 10 * MINUTE;
    await expect(kernel.run({ until })).resolves.toEqual({ reason: "deadline", at: until });
    expect(kernel.tasks.map((t) => [t.name, t.state])).toEqual([["stuck", "parked"]]);
  });

  it("a finished program is not a deadlock", async () => {
    const kernel = new Kernel();
    kernel.spawn("done", () => kernel.clock.sleep(SECOND));
    await expect(kernel.run()).resolves.toMatchObject({ reason: "finished" });
  });
});
