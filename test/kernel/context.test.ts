import { describe, expect, it } from "vitest";
import { DEFAULT_START, EMPTY, MINUTE, SECOND } from "../../src/clock/index.ts";
import { Context, ContextCanceledError, DeadlineExceededError, Kernel } from "../../src/kernel/index.ts";

describe("Context", () => {
  it("cancel sets err and cause, aborts the signal, wakes done() waiters and cancels children", async () => {
    const kernel = new Kernel();
    const root = Context.background(kernel);
    const { ctx, cancel } = root.withCancel("parent");
    const { ctx: child } = ctx.withCancel("child");
    const cause = new Error("shutting down");
    let woke: unknown;
    kernel.spawn("waiter", async () => {
      woke = await child.done();
    });
    await kernel.runUntilIdle();
    expect(ctx.poll()).toBe(EMPTY);
    cancel(cause);
    await kernel.runUntilIdle();
    expect(woke).toBe(cause);
    expect(ctx.err).toBeInstanceOf(ContextCanceledError);
    expect(ctx.err?.message).toBe("context parent canceled");
    expect(ctx.cause).toBe(cause);
    expect(ctx.signal.aborted).toBe(true);
    expect(ctx.signal.reason).toBe(cause);
    expect(child.cause).toBe(cause);
    expect(root.canceled).toBe(false);
  });

  it("a signal asked for before the cancellation hears it once; one asked for after is already aborted", () => {
    const { ctx, cancel } = Context.background(new Kernel()).withCancel("c");
    const signal = ctx.signal;
    const heard: unknown[] = [];
    signal.addEventListener("abort", () => heard.push(signal.reason));
    expect(signal.aborted).toBe(false);
    const cause = new Error("stop");
    cancel(cause);
    cancel(new Error("again"));
    expect(heard).toEqual([cause]);
    expect(ctx.signal).toBe(signal);
    const { ctx: late } = ctx.withCancel("born canceled");
    expect(late.signal.aborted).toBe(true);
    expect(late.signal.reason).toBe(cause);
    expect(late.signal).toBe(late.signal);
  });

  it("cancel without a cause uses the error as the cause; a second cancel changes nothing", () => {
    const { ctx, cancel } = Context.background(new Kernel()).withCancel("c");
    cancel();
    const err = ctx.err;
    expect(ctx.cause).toBe(err);
    cancel(new Error("later"));
    expect(ctx.cause).toBe(err);
  });

  it("canceling a child leaves the parent alone", () => {
    const { ctx: parent } = Context.background(new Kernel()).withCancel("p");
    const { cancel } = parent.withCancel("c");
    cancel();
    expect(parent.canceled).toBe(false);
  });

  it("a child of a canceled context starts canceled", () => {
    const { ctx, cancel } = Context.background(new Kernel()).withCancel("p");
    cancel("why");
    const { ctx: child } = ctx.withCancel("late");
    expect(child.canceled).toBe(true);
    expect(child.cause).toBe("why");
  });

  it("withTimeout cancels with DeadlineExceededError exactly at the deadline", async () => {
    const kernel = new Kernel();
    const { ctx } = Context.background(kernel).withTimeout(5 * MINUTE, "cycle");
    let at = 0;
    kernel.spawn("waiter", async () => {
      await ctx.done();
      at = kernel.now;
    });
    await kernel.run();
    expect(at).toBe(DEFAULT_START + 5 * MINUTE);
    expect(ctx.err).toBeInstanceOf(DeadlineExceededError);
    expect(ctx.cause).toBe(ctx.err);
    expect(ctx.err?.message).toBe("context cycle deadline exceeded");
  });

  it("canceling before the deadline stops its timer", async () => {
    const kernel = new Kernel();
    const { ctx, cancel } = Context.background(kernel).withTimeout(SECOND);
    expect(kernel.clock.peek()).toBe(SECOND);
    cancel();
    expect(kernel.clock.peek()).toBeUndefined();
    expect(ctx.err).toBeInstanceOf(ContextCanceledError);
  });

  it("a non-positive timeout cancels at once", () => {
    const { ctx } = Context.background(new Kernel()).withTimeout(0);
    expect(ctx.err).toBeInstanceOf(DeadlineExceededError);
  });

  it("its signal stops a tickerFunc", async () => {
    const kernel = new Kernel();
    const { ctx } = Context.background(kernel).withTimeout(3500);
    let calls = 0;
    const waiter = kernel.clock.tickerFunc(ctx.signal, SECOND, () => {
      calls++;
    });
    kernel.spawn("waiter", () => waiter.wait());
    await kernel.run();
    expect(calls).toBe(3);
  });
});
