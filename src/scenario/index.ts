// The scenario layer's public API. Generated scenarios for property tests are imported from
// `./arbitraries.ts` directly: fast-check is a development dependency.
export {
  formatIsoDuration,
  formatIsoInstant,
  parseIsoDuration,
  parseIsoInstant,
  parseTimeZone,
} from "./isoTime.ts";
export { scenarioJsonSchema } from "./jsonSchema.ts";
export {
  loadScenarioFile,
  parseScenario,
  parseScenarioObject,
  type ScenarioResult,
  scenarioOrThrow,
} from "./load.ts";
export {
  type DataPath,
  formatPath,
  ScenarioError,
  ScenarioProblem,
  type SourcePosition,
} from "./problem.ts";
export * from "./scenario.ts";
export { DEFAULT_START, type ParsedScenarioFile, type ScenarioFile, scenarioFileSchema } from "./schema.ts";
