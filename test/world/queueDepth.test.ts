import { describe, expect, test } from "vitest";
import type { TraceLine } from "../../src/trace/trace.ts";
import { QueueDepth } from "../../src/world/queueDepth.ts";

let seq = 0;
function line(kind: string, fields: Record<string, unknown>): TraceLine {
  seq += 1;
  return { seq, t: "2026-03-02T06:00:00.000Z", actor: "test", kind, ...fields };
}

const created = (job: string, initiator: string, orphan = false) =>
  line("build.create", { job, initiator, orphan });

describe("QueueDepth", () => {
  test("follows jobs from creation to acquisition or cancellation, by initiator", () => {
    const q = new QueueDepth();
    for (const l of [created("a", "prebuilds"), created("b", "prebuilds"), created("c", "user-id")])
      q.observe(l);
    expect(q.pending).toEqual({ prebuild: 2, human: 1 });
    q.observe(line("job.acquire", { job: "a" }));
    q.observe(line("job.cancel", { job: "b" }));
    expect(q.pending).toEqual({ prebuild: 0, human: 1 });
    expect(q.max).toBe(3);
  });

  test("orphan deletes never queue; unknown or repeated departures change nothing", () => {
    const q = new QueueDepth();
    q.observe(created("o", "prebuilds", true));
    q.observe(created("a", "prebuilds"));
    q.observe(line("job.acquire", { job: "a" }));
    q.observe(line("job.acquire", { job: "a" }));
    q.observe(line("job.cancel", { job: "zzz" }));
    expect(q.pending).toEqual({ prebuild: 0, human: 0 });
    expect(q.max).toBe(1);
  });

  test("hasPendingFor answers per daemon pool", () => {
    const q = new QueueDepth();
    q.observe(created("h", "user-id"));
    expect([q.hasPendingFor("any"), q.hasPendingFor("prebuilds"), q.hasPendingFor("humans")]).toEqual([
      true,
      false,
      true,
    ]);
  });
});
