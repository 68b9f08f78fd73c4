// A known deployment for the import tests: the round-trip scenario run once on PGlite (or on the
// PostgreSQL of PREBUILDSIM_DATABASE_URL), its database left as the run ended, plus a way to dump
// the import queries' CSV files from it as `psql \copy` would (PostgreSQL's own CSV writer: COPY).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { databaseUrlFromEnvironment } from "../../src/db/backend.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import { migrate } from "../../src/db/migrate.ts";
import { PGliteSession } from "../../src/db/pgliteSession.ts";
import { openPostgresDriver } from "../../src/db/postgresDriver.ts";
import { importQueries, psqlScript } from "../../src/import/queries.ts";
import { type ExecutedRun, executeRun } from "../../src/run/execute.ts";
import { parseScenario, scenarioOrThrow } from "../../src/scenario/load.ts";
import type { Scenario } from "../../src/scenario/scenario.ts";

export const ROUND_TRIP_FILE = join(import.meta.dirname, "fixtures/round-trip.yaml");

export interface Deployment {
  readonly driver: SqlDriver;
  readonly scenario: Scenario;
  readonly run: ExecutedRun;
  /** The database URL with the run's schema on the search path (PostgreSQL only). */
  readonly url: string | undefined;
  /** Writes the import queries' CSV files into a fresh directory and returns it. */
  dumpCsv(filter?: Parameters<typeof psqlScript>[0]): Promise<string>;
}

export type TestBackend = "pglite" | "postgres";

/** PostgreSQL when `PREBUILDSIM_DATABASE_URL` names one (CI starts one), else PGlite. */
export const DEFAULT_TEST_BACKEND: TestBackend =
  databaseUrlFromEnvironment() === undefined ? "pglite" : "postgres";

/** The backends the import tests run on: PGlite always, PostgreSQL too where there is one (CI). */
export const TEST_BACKENDS: readonly TestBackend[] =
  DEFAULT_TEST_BACKEND === "postgres" ? ["pglite", "postgres"] : ["pglite"];

export async function openTestDriver(
  backend: TestBackend = DEFAULT_TEST_BACKEND,
): Promise<{ driver: SqlDriver; pglite: PGlite | null; url?: string }> {
  const url = databaseUrlFromEnvironment();
  if (backend === "postgres") {
    if (url === undefined) throw new Error("the postgres test backend needs PREBUILDSIM_DATABASE_URL");
    const driver = await openPostgresDriver(url);
    await migrate(driver);
    const schema = driver.description.replace(/^postgres schema /, "");
    const separator = url.includes("?") ? "&" : "?";
    return {
      driver,
      pglite: null,
      url: `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    };
  }
  const pglite = await PGlite.create();
  const session = new PGliteSession(pglite);
  const driver: SqlDriver = {
    backend: "pglite",
    description: "pglite (test)",
    query: session.autocommit.query,
    exec: session.autocommit.exec,
    transaction: (fn) => session.transaction(fn),
    close: () => pglite.close(),
  };
  await migrate(driver);
  return { driver, pglite };
}

/** Runs `file` on `seed` (default: the scenario's own) into a fresh database it leaves as the run ended. */
export async function runDeployment(
  file = ROUND_TRIP_FILE,
  seed?: number,
  backend: TestBackend = DEFAULT_TEST_BACKEND,
): Promise<Deployment> {
  const text = readFileSync(file, "utf8");
  const scenario = scenarioOrThrow(parseScenario(text, file));
  const { driver, pglite, url } = await openTestDriver(backend);
  const run = await executeRun({ scenario, text }, { seed: seed ?? scenario.seed, driver, metrics: true });
  return {
    driver,
    scenario,
    run,
    url,
    async dumpCsv(filter = {}) {
      const dir = mkdtempSync(join(tmpdir(), "prebuildsim-import-csv-"));
      if (pglite === null) {
        // The real thing: psql runs the printed script against the server.
        const script = join(dir, "queries.psql");
        writeFileSync(script, psqlScript(filter));
        execFileSync(
          "/usr/lib/postgresql/15/bin/psql",
          [url as string, "-q", "-v", "ON_ERROR_STOP=1", "-f", script],
          {
            cwd: dir,
          },
        );
        return dir;
      }
      for (const q of importQueries(filter)) {
        const result = await pglite.query(`COPY (${q.sql}) TO '/dev/blob' WITH (FORMAT csv, HEADER)`);
        if (result.blob === undefined) throw new Error(`COPY of ${q.file} gave no blob`);
        writeFileSync(join(dir, q.file), Buffer.from(await result.blob.arrayBuffer()));
      }
      return dir;
    },
  };
}
