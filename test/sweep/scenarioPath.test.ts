import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { resolveScenarioPath } from "../../src/sweep/scenarioPath.ts";
import { parseVaryOption } from "../../src/sweep/varyOption.ts";
import { SWEPT } from "./fixtures.ts";

const data = parse(SWEPT) as unknown;

function resolve(path: string) {
  const parsed = parseVaryOption(`${path}=1`);
  if (!parsed.ok) throw new Error(parsed.expected);
  return resolveScenarioPath(data, parsed.vary.steps);
}

describe("resolveScenarioPath", () => {
  it.each([
    [
      "templates.dev.versions.v1.presets.small.desiredInstances",
      ["templates", 0, "versions", 0, "presets", 0, "desiredInstances"],
    ],
    [
      "templates.data.versions.v1.presets.notebook.desiredInstances",
      ["templates", 1, "versions", 0, "presets", 0, "desiredInstances"],
    ],
    [
      "templates[0].versions[0].presets[1].desiredInstances",
      ["templates", 0, "versions", 0, "presets", 1, "desiredInstances"],
    ],
    ["workload.claims[0].rate", ["workload", "claims", 0, "rate"]],
    ["provisioners.daemons", ["provisioners", "daemons"]],
    // A field left at its default, and a mapping not written at all, are still fields to vary.
    ["provisioners.failureRate", ["provisioners", "failureRate"]],
    ["settings.reconciliationInterval", ["settings", "reconciliationInterval"]],
    [
      "templates.dev.versions.v1.presets.small.scheduling.timezone",
      ["templates", 0, "versions", 0, "presets", 0, "scheduling", "timezone"],
    ],
  ])("%s", (path, expected) => {
    expect(resolve(path)).toEqual({ ok: true, path: expected });
  });

  it.each([
    [
      "templates.prod.versions.v1",
      ["templates"],
      /expected an element's name \("dev", "data" or an index \[0\]…\[1\]\), got "prod"/,
    ],
    ["templates.dev.versions[3]", ["templates", 0, "versions"], /got \[3\]/],
    [
      "workload.claims.small.rate",
      ["workload", "claims"],
      /expected an element's name \(or an index \[0\]…\[1\]\), got "small"/,
    ],
    ["provisioners[0]", ["provisioners"], /expected a key of this mapping, got \[0\] \(it is not a list\)/],
    [
      "provisioners.daemons.count",
      ["provisioners", "daemons"],
      /expected a mapping or a list to step into, got 4/,
    ],
    ["[0].name", [], /expected a key of this mapping, got \[0\]/],
    [
      "settings[1]",
      ["settings"],
      /expected a key after settings, which is not written in the file, got \[1\]/,
    ],
    [
      "settings.x[0]",
      ["settings", "x"],
      /expected a key after settings\.x, which is not written in the file, got \[0\]/,
    ],
  ])("%s is refused", (path, at, expected) => {
    const r = resolve(path);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.at).toEqual(at);
      expect(r.expected).toMatch(expected);
    }
  });
});
