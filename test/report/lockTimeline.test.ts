import { describe, expect, it } from "vitest";
import { lockTimeline } from "../../src/report/lockTimeline.ts";
import type { CycleRecord, LockEvent } from "../../src/report/traceDigest.ts";

const ev = (
  event: LockEvent["event"],
  replica: string,
  t: number,
  extra: Partial<LockEvent> = {},
): LockEvent => ({
  event,
  replica,
  lock: 1,
  connection: `${replica}/c`,
  t,
  line: t,
  ...extra,
});
const cycle = (replica: string, from: number, to: number | null): CycleRecord => ({
  replica,
  from,
  to,
  elapsedMs: to === null ? null : to - from,
  lockAcquired: true,
});

describe("lockTimeline", () => {
  it("pairs acquire with release per connection and keeps refusals with their holder", () => {
    const tl = lockTimeline(
      [
        ev("acquire", "replica-0", 10),
        ev("refused", "replica-1", 12, { holder: "replica-0" }),
        ev("release", "replica-0", 30),
      ],
      [],
      1000,
    );
    expect(tl.holds).toEqual([
      { replica: "replica-0", lock: 1, connection: "replica-0/c", from: 10, to: 30, ended: "release" },
    ]);
    expect(tl.refusals).toEqual([{ replica: "replica-1", t: 12, holder: "replica-0" }]);
    expect(tl.lost).toEqual([]);
  });

  it("measures the cycle that runs on after a lost connection, and its overlap with the next holder", () => {
    const tl = lockTimeline(
      [
        ev("acquire", "replica-1", 0),
        ev("lost", "replica-1", 800),
        ev("acquire", "replica-2", 1000),
        ev("release", "replica-2", 1100),
      ],
      [cycle("replica-1", 0, 2600), cycle("replica-2", 1000, 1100)],
      60_000,
    );
    expect(tl.holds.map((h) => [h.replica, h.from, h.to, h.ended])).toEqual([
      ["replica-1", 0, 800, "lost"],
      ["replica-2", 1000, 1100, "release"],
    ]);
    expect(tl.lost).toEqual([
      {
        replica: "replica-1",
        lock: 1,
        lostAt: 800,
        line: 800,
        orphaned: { from: 800, to: 2600 },
        overlaps: [{ from: 1000, to: 1100 }],
      },
    ]);
  });

  it("ends a hold still open at the end of the run, and a cycle still running then", () => {
    const tl = lockTimeline(
      [ev("acquire", "replica-0", 10), ev("lost", "replica-0", 20)],
      [cycle("replica-0", 0, null)],
      500,
    );
    expect(tl.lost[0]?.orphaned).toEqual({ from: 20, to: 500 });
    const open = lockTimeline([ev("acquire", "replica-0", 10)], [], 500);
    expect(open.holds[0]).toMatchObject({ to: 500, ended: "open" });
  });

  it("lists replicas in counting order, from lock events and cycles alike", () => {
    const tl = lockTimeline(
      [ev("acquire", "replica-10", 1), ev("acquire", "replica-2", 2)],
      [cycle("replica-1", 0, 1)],
      10,
    );
    expect(tl.replicas).toEqual(["replica-1", "replica-2", "replica-10"]);
  });
});
