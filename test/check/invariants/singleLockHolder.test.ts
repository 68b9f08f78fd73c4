import { describe, expect, it } from "vitest";
import { check, Lines, scenario } from "../fixtures.ts";

describe("single-lock-holder", () => {
  it("flags a second connection acquiring the lock before the holder released it", () => {
    const l = new Lines();
    const first = l.at(1, "replica-0", "lock.acquire", { lock: 7, connection: "replica-0" });
    const second = l.at(1, "replica-1", "lock.acquire", { lock: 7, connection: "replica-1" });
    const { violations } = check(scenario(), l);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      invariant: "single-lock-holder",
      subject: "replica-1",
      message: "replica-1 acquired lock 7 while replica-0 still held it",
      traceLines: [first, second],
    });
  });

  it("holds for contention refused, releases, re-entrant acquires and a lease ended by a lost connection", () => {
    const l = new Lines();
    l.at(1, "replica-0", "lock.acquire", { lock: 7, connection: "replica-0" });
    l.at(1, "replica-0", "lock.acquire", { lock: 7, connection: "replica-0" });
    l.at(1, "replica-1", "lock.refused", { lock: 7, connection: "replica-1", holder: "replica-0" });
    l.at(1, "replica-0", "lock.release", { lock: 7, connection: "replica-0" });
    l.at(2, "replica-1", "lock.acquire", { lock: 7, connection: "replica-1" });
    l.at(2, "replica-1", "lock.lost", { lock: 7, connection: "replica-1" });
    l.at(2, "replica-0", "lock.acquire", { lock: 7, connection: "replica-0" });
    expect(check(scenario(), l).violations).toEqual([]);
  });

  it("keeps locks with different ids apart", () => {
    const l = new Lines();
    l.at(1, "replica-0", "lock.acquire", { lock: 7, connection: "replica-0" });
    l.at(1, "replica-1", "lock.acquire", { lock: 3, connection: "replica-1" });
    expect(check(scenario(), l).violations).toEqual([]);
  });
});
