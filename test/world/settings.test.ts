import { describe, expect, test } from "vitest";
import { DEFAULT_STALL_AFTER_MS } from "../../src/kernel/index.ts";
import { resolveWorldSettings } from "../../src/world/settings.ts";

describe("resolveWorldSettings", () => {
  test("nothing given: the world's defaults, each stated (random policy, not the kernel's fifo)", () => {
    expect(resolveWorldSettings()).toEqual({
      policy: "random",
      onTaskFailure: "record",
      watchdog: { stallAfterMs: DEFAULT_STALL_AFTER_MS },
      retryAttempts: Number.POSITIVE_INFINITY,
      maxSwitchesPerInstant: Number.POSITIVE_INFINITY,
    });
  });

  test("what is given wins; the watchdog can be turned off", () => {
    expect(
      resolveWorldSettings({
        policy: "fifo",
        stallAfterMs: false,
        retryAttempts: 5,
        maxSwitchesPerInstant: 9,
      }),
    ).toEqual({
      policy: "fifo",
      onTaskFailure: "record",
      watchdog: false,
      retryAttempts: 5,
      maxSwitchesPerInstant: 9,
    });
  });

  test.each([
    [{ stallAfterMs: 0 }, /stallAfterMs must be positive/],
    [{ retryAttempts: 0 }, /retryAttempts must be a whole number/],
    [{ retryAttempts: 2.5 }, /retryAttempts must be a whole number/],
    [{ maxSwitchesPerInstant: 0 }, /maxSwitchesPerInstant must be at least 1/],
  ])("%j is refused", (parameters, message) => {
    expect(() => resolveWorldSettings(parameters)).toThrow(message);
  });
});
