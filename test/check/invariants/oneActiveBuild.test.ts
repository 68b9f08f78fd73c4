import { describe, expect, it } from "vitest";
import { checkOf, Lines, scenario } from "../fixtures.ts";

// Only this invariant: the hand-written histories below leave out what the other oracles need.
const check = checkOf("one-active-build");

describe("one-active-build", () => {
  it("flags a build created while the previous build's job is still running", () => {
    const l = new Lines();
    const create = l.create(1, "replica-0", "ws-a");
    const acquire = l.at(2, "provisioner-0", "job.acquire", {
      job: "ws-a-j1",
      daemon: "d0",
      queuedMs: 60_000,
    });
    const del = l.build(3, "replica-0", "ws-a", 2, "delete", "prebuilds");
    const { violations } = check(scenario(), l);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      invariant: "one-active-build",
      subject: "ws-a",
      message:
        "replica-0 created a delete build for workspace ws-a while job ws-a-j1 of build #1 (start) was still running",
      traceLines: [create, acquire, del],
    });
  });

  it("flags a gap in build numbers", () => {
    const l = new Lines();
    l.create(1, "replica-0", "ws-a");
    l.complete(2, "ws-a", 1, "succeeded");
    l.build(3, "replica-0", "ws-a", 3, "delete", "prebuilds");
    const { violations } = check(scenario(), l);
    expect(violations.map((v) => v.message)).toEqual([
      "replica-0 created build #3 for workspace ws-a, expected #2",
    ]);
  });

  it("flags a repeated build number (two builds raced for one number)", () => {
    const l = new Lines();
    l.create(1, "replica-0", "ws-a");
    l.complete(2, "ws-a", 1, "succeeded");
    l.build(3, "user-1", "ws-a", 2, "start", "u1");
    l.complete(4, "ws-a", 2, "succeeded");
    l.build(5, "replica-0", "ws-a", 2, "delete", "prebuilds");
    expect(check(scenario(), l).violations.map((v) => v.message)).toEqual([
      "replica-0 created build #2 for workspace ws-a, expected #3",
    ]);
  });

  it("holds for builds 1..n each created after the previous job completed, failed or was canceled", () => {
    const l = new Lines();
    l.create(1, "replica-0", "ws-a");
    l.complete(2, "ws-a", 1, "failed");
    l.build(3, "user-1", "ws-a", 2, "start", "u1");
    l.at(4, "replica-0", "job.cancel", { job: "ws-a-j2", workspace: "ws-a" });
    l.build(5, "user-1", "ws-a", 3, "delete", "u1");
    expect(check(scenario(), l).violations).toEqual([]);
  });
});
