import { expect, it } from "vitest";
import * as scenario from "../../src/scenario/index.ts";

it("the layer's entry exports the loaders, the error types, the schemas and the invariant names", () => {
  expect(Object.keys(scenario).sort()).toEqual([
    "DEFAULT_START",
    "FAULT_KINDS",
    "INVARIANT_NAMES",
    "PROBE_NAMES",
    "ScenarioError",
    "ScenarioProblem",
    "formatIsoDuration",
    "formatIsoInstant",
    "formatPath",
    "loadScenarioFile",
    "parseIsoDuration",
    "parseIsoInstant",
    "parseScenario",
    "parseScenarioObject",
    "parseTimeZone",
    "scenarioFileSchema",
    "scenarioJsonSchema",
    "scenarioOrThrow",
  ]);
  expect(scenario.INVARIANT_NAMES).toHaveLength(22);
});
