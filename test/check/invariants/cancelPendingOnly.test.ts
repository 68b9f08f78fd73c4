import { describe, expect, it } from "vitest";
import { checkOf, Lines, scenario } from "../fixtures.ts";

const check = checkOf("cancel-pending-only");

describe("cancel-pending-only", () => {
  it("flags the cancellation of a job a provisioner had already taken", () => {
    const l = new Lines();
    l.cycle(1, "replica-0", () => l.create(1, "replica-0", "a"));
    const taken = l.at(1.5, "provisioner-0", "job.acquire", { job: "a-j1", daemon: "d0", queuedMs: 30_000 });
    let cancel = 0;
    l.cycle(2, "replica-0", () => {
      cancel = l.at(2, "replica-0", "job.cancel", { job: "a-j1", workspace: "a" });
    });
    const { violations } = check(scenario(), l);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      invariant: "cancel-pending-only",
      subject: "a",
      at: "2026-03-02T06:02:00.000Z",
      message: "replica-0 canceled job a-j1 of workspace a, but a provisioner had already taken it",
    });
    expect(violations[0]?.traceLines).toEqual(expect.arrayContaining([taken, cancel]));
  });

  it("flags the cancellation of a job that had already completed", () => {
    const l = new Lines();
    l.cycle(1, "replica-0", () => l.create(1, "replica-0", "a"));
    l.complete(1.5, "a", 1, "succeeded");
    l.cycle(2, "replica-0", () => l.at(2, "replica-0", "job.cancel", { job: "a-j1", workspace: "a" }));
    expect(check(scenario(), l).violations.map((v) => v.message)).toEqual([
      "replica-0 canceled job a-j1 of workspace a, but it had already succeeded",
    ]);
  });

  it("holds for the cancellation of a job still pending", () => {
    const l = new Lines();
    l.cycle(1, "replica-0", () => l.create(1, "replica-0", "a"));
    l.cycle(2, "replica-0", () => l.at(2, "replica-0", "job.cancel", { job: "a-j1", workspace: "a" }));
    expect(check(scenario(), l).violations).toEqual([]);
  });
});
