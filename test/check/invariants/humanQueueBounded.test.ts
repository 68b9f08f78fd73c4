import { describe, expect, it } from "vitest";
import { check, Lines, scenario } from "../fixtures.ts";

function personWaits(l: Lines, takenAt: number, prebuildTaken: boolean): number {
  const build = l.build(1, "user-1", "w", 1, "start", "user-1");
  l.cycle(1, "replica-0", () => l.create(1, "replica-0", "p"));
  if (prebuildTaken) l.at(2, "provisioner-0", "job.acquire", { job: "p-j1", daemon: "d0", queuedMs: 60_000 });
  l.at(takenAt, "provisioner-0", "job.acquire", { job: "w-j1", daemon: "d0", queuedMs: 0 });
  return build;
}

describe("human-queue-bounded", () => {
  it("flags a person's build that waited longer than expect.maxHumanQueueWait while prebuild jobs were taken", () => {
    const l = new Lines();
    const build = personWaits(l, 12, true);
    const found = check(scenario({ expect: { maxHumanQueueWait: "PT10M" } }), l).violations;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      invariant: "human-queue-bounded",
      subject: "w",
      at: "2026-03-02T06:11:00.000Z",
      message:
        "user-1's build of workspace w waited 660 s for a provisioner (expect.maxHumanQueueWait 600 s) while prebuild jobs were taken",
    });
    expect(found[0]?.traceLines[0]).toBe(build);
  });

  it("holds within the limit, and when no prebuild job was taken meanwhile (an outage)", () => {
    const within = new Lines();
    personWaits(within, 10, true);
    expect(check(scenario({ expect: { maxHumanQueueWait: "PT10M" } }), within).violations).toEqual([]);
    const outage = new Lines();
    personWaits(outage, 30, false);
    expect(check(scenario({ expect: { maxHumanQueueWait: "PT10M" } }), outage).violations).toEqual([]);
  });

  it("judges a build still waiting at the end by its wait so far", () => {
    const l = new Lines();
    l.build(1, "user-1", "w", 1, "start", "user-1");
    l.cycle(1, "replica-0", () => l.create(1, "replica-0", "p"));
    l.at(2, "provisioner-0", "job.acquire", { job: "p-j1", daemon: "d0", queuedMs: 60_000 });
    expect(check(scenario(), l).violations.map((v) => v.invariant)).toEqual(["human-queue-bounded"]);
  });
});
