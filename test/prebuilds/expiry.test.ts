// The expiry rule (spec §3.3), measured with the injected clock (spec §12).
import { describe, expect, it } from "vitest";
import { SECOND } from "../../src/clock/types.ts";
import { filterExpiredWorkspaces, isExpired } from "../../src/prebuilds/expiry.ts";
import { optionSet0, runningPrebuilds, T0 } from "./fixtures.ts";

const row = (createdAt: number) => runningPrebuilds(optionSet0, 1, () => createdAt)[0]!;

describe("isExpired", () => {
  const cases = [
    {
      name: "no TTL, never invalidated",
      ttl: null,
      lastInvalidatedAt: null,
      createdAt: T0 - 1e9,
      expected: false,
    },
    {
      name: "TTL 0 never expires by age",
      ttl: 0,
      lastInvalidatedAt: null,
      createdAt: T0 - 1e9,
      expected: false,
    },
    {
      name: "age equal to the TTL is not expired (strictly greater)",
      ttl: 5,
      lastInvalidatedAt: null,
      createdAt: T0 - 5 * SECOND,
      expected: false,
    },
    {
      name: "one millisecond older than the TTL is expired",
      ttl: 5,
      lastInvalidatedAt: null,
      createdAt: T0 - 5 * SECOND - 1,
      expected: true,
    },
    {
      name: "created before the invalidation",
      ttl: null,
      lastInvalidatedAt: T0 - SECOND,
      createdAt: T0 - SECOND - 1,
      expected: true,
    },
    {
      name: "created at the invalidation instant is not expired (strictly before)",
      ttl: null,
      lastInvalidatedAt: T0 - SECOND,
      createdAt: T0 - SECOND,
      expected: false,
    },
    {
      name: "created after the invalidation, within the TTL",
      ttl: 60,
      lastInvalidatedAt: T0 - 10 * SECOND,
      createdAt: T0 - 5 * SECOND,
      expected: false,
    },
    {
      name: "created after the invalidation, past the TTL",
      ttl: 60,
      lastInvalidatedAt: T0 - 100 * SECOND,
      createdAt: T0 - 90 * SECOND,
      expected: true,
    },
  ];
  it.each(cases)("$name", (tc) => {
    expect(isExpired({ ttl: tc.ttl, lastInvalidatedAt: tc.lastInvalidatedAt }, row(tc.createdAt), T0)).toBe(
      tc.expected,
    );
  });
});

describe("filterExpiredWorkspaces", () => {
  it("keeps the input order in both lists", () => {
    const rows = runningPrebuilds(optionSet0, 4, (i) => (i % 2 === 0 ? T0 : T0 - 10 * SECOND));
    const { nonExpired, expired } = filterExpiredWorkspaces({ ttl: 5, lastInvalidatedAt: null }, rows, T0);
    expect(nonExpired.map((p) => p.id)).toEqual(["ws-0", "ws-2"]);
    expect(expired.map((p) => p.id)).toEqual(["ws-1", "ws-3"]);
  });
});
