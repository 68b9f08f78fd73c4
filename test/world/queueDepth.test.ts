import { describe, expect, test } from "vitest";
import { QueueDepth } from "../../src/world/queueDepth.ts";

describe("QueueDepth", () => {
  test("follows jobs from creation to acquisition or cancellation, by class", () => {
    const q = new QueueDepth();
    q.enqueue("a", "prebuild");
    q.enqueue("b", "prebuild");
    q.enqueue("c", "human");
    expect(q.pending).toEqual({ prebuild: 2, human: 1 });
    q.leave("a");
    q.leave("b");
    expect(q.pending).toEqual({ prebuild: 0, human: 1 });
    expect(q.enqueued).toBe(3);
  });

  test("unknown or repeated departures change nothing", () => {
    const q = new QueueDepth();
    q.enqueue("a", "prebuild");
    q.leave("a");
    q.leave("a");
    q.leave("zzz");
    expect(q.pending).toEqual({ prebuild: 0, human: 0 });
    expect(q.enqueued).toBe(1);
  });

  test("hasPendingFor answers per daemon pool", () => {
    const q = new QueueDepth();
    q.enqueue("h", "human");
    expect([q.hasPendingFor("any"), q.hasPendingFor("prebuilds"), q.hasPendingFor("humans")]).toEqual([
      true,
      false,
      true,
    ]);
  });
});
