import { describe, expect, it } from "vitest";
import { check, Lines, scenario } from "../fixtures.ts";

describe("no-crash", () => {
  it("flags a task that threw, naming the task and its error", () => {
    const l = new Lines();
    const line = l.at(4, "kernel", "task.error", {
      task: "provisioner-2",
      error: "TypeError: x is undefined",
    });
    const { violations } = check(scenario(), l);
    expect(violations).toEqual([
      {
        invariant: "no-crash",
        at: "2026-03-02T06:04:00.000Z",
        subject: "provisioner-2",
        message: "task provisioner-2 threw: TypeError: x is undefined",
        traceLines: [line],
      },
    ]);
  });

  it("holds when the reconciler only logged errors", () => {
    const l = new Lines();
    l.at(4, "replica-0", "log", { level: "error", msg: "failed to reconcile preset" });
    expect(check(scenario(), l).violations).toEqual([]);
  });
});
