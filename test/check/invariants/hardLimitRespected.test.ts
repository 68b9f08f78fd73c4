import { describe, expect, it } from "vitest";
import { check, Lines, scenario } from "../fixtures.ts";

// failureHardLimit 3 (the default): three failed prebuilds make the preset hard-limited.
function threeFailures(l: Lines): void {
  l.cycle(1, "replica-0", () => {
    for (const ws of ["a", "b", "c"]) l.create(1, "replica-0", ws);
  });
  for (const ws of ["a", "b", "c"]) l.complete(3, ws, 1, "failed");
}

describe("hard-limit-respected", () => {
  it("flags a creation in a cycle after the one that saw the limit", () => {
    const l = new Lines();
    threeFailures(l);
    l.cycle(4, "replica-1");
    let late = 0;
    l.cycle(5, "replica-0", () => {
      late = l.create(5, "replica-0", "d");
    });
    const { violations } = check(scenario(), l);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      invariant: "hard-limit-respected",
      subject: "dev/v1/small",
      at: "2026-03-02T06:05:00.000Z",
    });
    expect(violations[0]?.message).toMatch(
      /replica-0 created a prebuild for dev\/v1\/small although its last 3 prebuilds had all failed/,
    );
    expect(violations[0]?.traceLines).toContain(late);
  });

  it("holds when the cycle that first sees the limit is the last to create, and creation stops after", () => {
    const l = new Lines();
    threeFailures(l);
    l.cycle(4, "replica-1", () => l.create(4, "replica-1", "d"));
    l.cycle(5, "replica-0");
    expect(check(scenario(), l).violations).toEqual([]);
  });

  it("holds when a success among the last three keeps the preset under the limit", () => {
    const l = new Lines();
    l.cycle(1, "replica-0", () => {
      for (const ws of ["a", "b", "c"]) l.create(1, "replica-0", ws);
    });
    l.complete(3, "a", 1, "failed");
    l.complete(3, "b", 1, "succeeded");
    l.complete(3, "c", 1, "failed");
    l.cycle(4, "replica-1");
    l.cycle(5, "replica-0", () => l.create(5, "replica-0", "d"));
    expect(check(scenario(), l).violations).toEqual([]);
  });

  // Builds one cycle creates share their instant: the later-created is the newer, as upstream's
  // microsecond created_at ranks them (swarm seeds 57 and 86 of failures-backoff-hard-limit).
  it.each([
    {
      name: "the last three created failed, the first succeeded",
      outcomes: ["succeeded", "failed", "failed", "failed"],
      flagged: true,
    },
    {
      name: "the last created succeeded",
      outcomes: ["failed", "failed", "failed", "succeeded"],
      flagged: false,
    },
  ] as const)("same-instant builds rank by creation — $name", ({ outcomes, flagged }) => {
    const l = new Lines();
    const names = ["a", "b", "c", "d"];
    l.cycle(1, "replica-0", () => {
      for (const ws of names) l.create(1, "replica-0", ws);
    });
    for (const [i, ws] of names.entries()) l.complete(3, ws, 1, outcomes[i] ?? "failed");
    l.cycle(4, "replica-1");
    l.cycle(5, "replica-0", () => l.create(5, "replica-0", "e"));
    const found = check(scenario(), l).violations.filter((v) => v.invariant === "hard-limit-respected");
    expect(found.map((v) => v.subject)).toEqual(flagged ? ["dev/v1/small"] : []);
  });

  it("is off when failureHardLimit is 0", () => {
    const l = new Lines();
    threeFailures(l);
    l.cycle(4, "replica-1");
    l.cycle(5, "replica-0", () => l.create(5, "replica-0", "d"));
    expect(check(scenario({ settings: { failureHardLimit: 0 } }), l).violations).toEqual([]);
  });
});
