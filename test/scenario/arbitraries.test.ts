import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { stringify } from "yaml";
import { arbScenarioFile } from "../../src/scenario/arbitraries.ts";
import { parseScenario, parseScenarioObject } from "../../src/scenario/load.ts";
import { FAULT_KINDS } from "../../src/world/faults/registry.ts";

describe("arbScenarioFile", () => {
  test.prop([arbScenarioFile()], { numRuns: 200 })(
    "every generated scenario loads and normalises",
    (file) => {
      const result = parseScenarioObject(file, "generated");
      if (!result.ok) expect.fail(result.problems.map(String).join("\n"));
      expect(result.scenario.name).toBe(file.name);
    },
  );

  test.prop([arbScenarioFile()], { numRuns: 100 })(
    "normalising is deterministic, and YAML text gives the same scenario as the object",
    (file) => {
      const first = parseScenarioObject(file, "generated");
      const second = parseScenarioObject(structuredClone(file), "generated");
      const fromYaml = parseScenario(stringify(file), "generated.yaml");
      expect(second).toEqual(first);
      expect(fromYaml).toEqual(first);
      expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    },
  );
});

test("the arbitrary covers every fault kind and every event action", () => {
  const faultKinds = new Set<string>();
  const eventKeys = new Set<string>();
  for (const file of fc.sample(arbScenarioFile(), { numRuns: 300, seed: 42 })) {
    for (const f of file.faults ?? []) faultKinds.add(f.kind);
    for (const e of file.events ?? []) for (const k of Object.keys(e)) if (k !== "at") eventKeys.add(k);
  }
  expect([...faultKinds].sort()).toEqual([...FAULT_KINDS].sort());
  expect([...eventKeys].sort()).toEqual([
    "deleteTemplate",
    "deprecate",
    "invalidate",
    "pause",
    "promote",
    "setDesired",
  ]);
});

test("the arbitrary names things as Coder does: mixed-case templates, generated versions, free-text presets", () => {
  const templates = new Set<string>();
  const versions = new Set<string>();
  const presets = new Set<string>();
  for (const file of fc.sample(arbScenarioFile(), { numRuns: 300, seed: 42 })) {
    for (const t of file.templates) {
      templates.add(t.name);
      for (const v of t.versions) {
        versions.add(v.name);
        for (const p of v.presets ?? []) presets.add(p.name);
      }
    }
  }
  expect([...templates].some((n) => /[A-Z]/.test(n))).toBe(true);
  expect([...versions].some((n) => /^[a-z]+_[a-z]+[0-9]$/.test(n))).toBe(true);
  expect([...versions].some((n) => n.includes("."))).toBe(true);
  expect([...presets].some((n) => n.includes("/"))).toBe(true);
  expect([...presets].some((n) => /[^\x20-\x7e]/.test(n))).toBe(true);
});
