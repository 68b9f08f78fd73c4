// Upstream's TestCalculateReconciliationConcurrency (spec §9.9).
import { describe, expect, it } from "vitest";
import { reconciliationConcurrency } from "../../src/prebuilds/concurrency.ts";

describe("TestCalculateReconciliationConcurrency", () => {
  it.each([
    { name: "base pool size", maxDBConnections: 10, expectedConcurrency: 5 },
    { name: "default pool size", maxDBConnections: 30, expectedConcurrency: 5 },
    { name: "large pool size", maxDBConnections: 100, expectedConcurrency: 5 },
    { name: "small pool", maxDBConnections: 4, expectedConcurrency: 2 },
    { name: "minimum pool", maxDBConnections: 2, expectedConcurrency: 1 },
    { name: "single connection", maxDBConnections: 1, expectedConcurrency: 1 },
    { name: "zero connections floors to 1", maxDBConnections: 0, expectedConcurrency: 1 },
    { name: "negative floors to 1", maxDBConnections: -5, expectedConcurrency: 1 },
    { name: "odd pool sizes round down", maxDBConnections: 7, expectedConcurrency: 3 },
  ])("$name", (tc) => {
    expect(reconciliationConcurrency(tc.maxDBConnections)).toBe(tc.expectedConcurrency);
  });
});
