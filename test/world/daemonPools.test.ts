import { describe, expect, test } from "vitest";
import { daemonFilter, daemonName } from "../../src/world/provisioner.ts";
import { fastProvisioners } from "./scenarioFixture.ts";

describe("daemon pools", () => {
  test("without a dedicated pool every daemon takes every job", () => {
    expect([0, 1, 2, 3].map((i) => daemonFilter(fastProvisioners, i))).toEqual(["any", "any", "any", "any"]);
  });

  test("with prebuildDaemons the first daemons take only prebuilds, the rest only people's jobs", () => {
    const config = { ...fastProvisioners, daemons: 4, prebuildDaemons: 3 };
    expect([0, 1, 2, 3].map((i) => daemonFilter(config, i))).toEqual([
      "prebuilds",
      "prebuilds",
      "prebuilds",
      "humans",
    ]);
    expect(daemonName(3)).toBe("provisioner-3");
  });
});
