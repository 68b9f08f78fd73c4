import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/clock/index.ts";
import { formatDemoSummary, runKernelDemo } from "../../src/kernel/demo.ts";

describe("kernel demo", () => {
  it("is a pure function of seed and policy", async () => {
    const a = await runKernelDemo({ seed: 7 });
    const b = await runKernelDemo({ seed: 7 });
    expect(formatDemoSummary(b)).toBe(formatDemoSummary(a));
    const c = await runKernelDemo({ seed: 8 });
    expect(c.traceHash).not.toBe(a.traceHash);
  });

  it("runs one virtual hour, and the replicas share the mutex without overlapping", async () => {
    const s = await runKernelDemo({ seed: 1, policy: "fifo" });
    expect(s.end).toBe(Date.UTC(2024, 0, 1) + HOUR);
    expect(s.replicas.map((r) => r.name)).toEqual(["replica-0", "replica-1", "replica-2"]);
    const held = s.replicas.reduce((sum, r) => sum + r.lockHeld, 0);
    expect(held).toBeLessThanOrEqual(HOUR + 5 * 60_000); // one holder at a time (the last hold may run past the end)
    expect(s.replicas.every((r) => r.cycles > 0)).toBe(true);
    expect(s.replicas.some((r) => r.waited > 0)).toBe(true);
    expect(formatDemoSummary(s)).toMatch(/^kernel demo: 3 replicas contend on one mutex/);
  });
});
