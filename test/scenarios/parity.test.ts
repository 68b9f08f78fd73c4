// Backend parity: the same scenario and seed give the same trace on PGlite (PostgreSQL 18 in WASM)
// and on a real PostgreSQL 15 server — one quiet scenario and one with three replicas and faults.
// Needs PREBUILDSIM_DATABASE_URL (CI sets it; locally: export PREBUILDSIM_DATABASE_URL=$(sudo
// scripts/postgres.sh)); in CI its absence is a failure, not a skip.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DATABASE_URL_VARIABLE, databaseUrlFromEnvironment, openDriver } from "../../src/db/backend.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import { executeRun } from "../../src/run/execute.ts";
import { loadLibraryScenario } from "./library.ts";

const url = databaseUrlFromEnvironment();
const PARITY_SCENARIOS = ["steady-state.yaml", "multi-replica-lock-lost.yaml"];

test.runIf(url === undefined && process.env.CI !== undefined)(`${DATABASE_URL_VARIABLE} is set in CI`, () => {
  expect.fail(`${DATABASE_URL_VARIABLE} is unset: the backend parity tests cannot run`);
});

describe.skipIf(url === undefined)(
  `backend parity (PGlite vs PostgreSQL)${url === undefined ? ` — skipped: ${DATABASE_URL_VARIABLE} is unset` : ""}`,
  () => {
    let pglite: SqlDriver;
    let postgres: SqlDriver;
    beforeAll(async () => {
      pglite = await openDriver();
      postgres = await openDriver(url);
    });
    afterAll(async () => {
      await pglite?.close();
      await postgres?.close();
    });

    test.each(PARITY_SCENARIOS)(
      "%s gives the same trace hash on both backends",
      async (file) => {
        const source = await loadLibraryScenario(file);
        const seed = source.scenario.seed;
        const onPglite = await executeRun(source, { seed, driver: pglite });
        const onPostgres = await executeRun(source, { seed, driver: postgres });
        expect(onPostgres.summary.events).toBe(onPglite.summary.events);
        expect(onPostgres.summary.traceHash).toBe(onPglite.summary.traceHash);
      },
      600_000,
    );
  },
);
