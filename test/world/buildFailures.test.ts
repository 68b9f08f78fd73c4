import { describe, expect, test } from "vitest";
import { MINUTE } from "../../src/clock/types.ts";
import { type BuildFailureWindow, buildFailureProbability } from "../../src/world/buildFailures.ts";
import { type CatalogPreset, presetKey } from "../../src/world/catalog.ts";
import { preset, START } from "./scenarioFixture.ts";

function catalogPreset(template: string, name: string, failureRate: number): CatalogPreset {
  return {
    id: `${template}-${name}`,
    key: presetKey(template, "v1", name),
    template,
    version: "v1",
    name,
    templateId: template,
    versionId: `${template}-v1`,
    organizationId: "org",
    spec: preset(name, 1, { failureRate }),
  };
}

function window(overrides: Partial<BuildFailureWindow>): BuildFailureWindow {
  return {
    kind: "build-failures",
    atOffset: 0,
    at: START,
    duration: 30 * MINUTE,
    until: START + 30 * MINUTE,
    rate: 1,
    preset: null,
    transition: null,
    ...overrides,
  };
}

const small = catalogPreset("dev", "small", 0.25);
const large = catalogPreset("dev", "large", 0);

describe("buildFailureProbability", () => {
  test("a start build fails at its preset's rate", () => {
    expect(buildFailureProbability({ transition: "start", preset: small }, START, [], 0.9)).toBeCloseTo(
      0.25,
      12,
    );
  });

  test("a start build without a preset fails at the provisioners' rate", () => {
    expect(buildFailureProbability({ transition: "start", preset: undefined }, START, [], 0.1)).toBeCloseTo(
      0.1,
      12,
    );
  });

  test("delete and stop builds never fail outside a fault window", () => {
    expect(buildFailureProbability({ transition: "delete", preset: small }, START, [], 0.5)).toBe(0);
    expect(buildFailureProbability({ transition: "stop", preset: small }, START, [], 0.5)).toBe(0);
  });

  test("a rate-1 window fails every build it covers, only inside [at, until)", () => {
    const w = [window({})];
    expect(buildFailureProbability({ transition: "delete", preset: large }, START, w, 0)).toBe(1);
    expect(
      buildFailureProbability({ transition: "delete", preset: large }, START + 30 * MINUTE - 1, w, 0),
    ).toBe(1);
    expect(buildFailureProbability({ transition: "delete", preset: large }, START + 30 * MINUTE, w, 0)).toBe(
      0,
    );
    expect(buildFailureProbability({ transition: "delete", preset: large }, START - 1, w, 0)).toBe(0);
  });

  test("a window restricted to a preset and a transition covers only those builds", () => {
    const w = [window({ preset: { template: "dev", preset: "small" }, transition: "start", rate: 0.5 })];
    expect(buildFailureProbability({ transition: "start", preset: small }, START, w, 0)).toBeCloseTo(
      1 - 0.75 * 0.5,
    );
    expect(buildFailureProbability({ transition: "start", preset: large }, START, w, 0)).toBe(0);
    expect(buildFailureProbability({ transition: "delete", preset: small }, START, w, 0)).toBe(0);
    expect(buildFailureProbability({ transition: "start", preset: undefined }, START, w, 0)).toBe(0);
  });

  test("overlapping windows are independent chances", () => {
    const w = [window({ rate: 0.5 }), window({ rate: 0.5 })];
    expect(buildFailureProbability({ transition: "stop", preset: large }, START, w, 0)).toBe(0.75);
  });

  test("a window naming a version fails only that version's builds of the preset", () => {
    const w = [window({ preset: { template: "dev", version: "v2", preset: "large" } })];
    expect(buildFailureProbability({ transition: "start", preset: large }, START, w, 0)).toBe(0);
    const v2 = { ...large, version: "v2", key: presetKey("dev", "v2", "large") };
    expect(buildFailureProbability({ transition: "start", preset: v2 }, START, w, 0)).toBe(1);
    const anyVersion = [window({ preset: { template: "dev", preset: "large" } })];
    expect(buildFailureProbability({ transition: "start", preset: large }, START, anyVersion, 0)).toBe(1);
  });
});
