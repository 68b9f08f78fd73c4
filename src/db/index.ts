// The db layer's public surface: what prebuilds/, world/ and the tests import.
export { DATABASE_URL_VARIABLE, databaseUrlFromEnvironment, openDriver, sharedDriver } from "./backend.ts";
export type { DatabaseClock, DatabaseScheduler } from "./connection.ts";
export * from "./constants.ts";
export { Database, type DatabaseOptions } from "./database.ts";
export type { SqlDriver } from "./driver.ts";
export {
  DatabaseError,
  isNoRows,
  isUniqueViolation,
  NoRowsError,
  SqlState,
  StoreMisuseError,
} from "./errors.ts";
export type { InjectedFault, QueryFaultRule, QueryFaults } from "./faults.ts";
export {
  type AgentSpec,
  type BuildSpec,
  type BuiltBuild,
  DbFixtures,
  type JobOutcome,
  type PrebuildSpec,
} from "./fixtures.ts";
export type { LeaseEndReason, LeaseEvent, LeaseListener, LockHolder, LockManager } from "./lockManager.ts";
export { QUERY_NAMES, type QueryName } from "./queries/names.ts";
export { resetToSeed } from "./reset.ts";
export type * from "./rows.ts";
export type * from "./store.ts";
export {
  type SyntheticHistory,
  type SyntheticHistoryOptions,
  writeSyntheticHistory,
} from "./syntheticHistory.ts";
