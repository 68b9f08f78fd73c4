// Every scenario of the library with its own seed: the expected verdict (no violation except of
// the invariants its expect.allow lists — and those it must actually break: the scenario exists to
// show them), the probes its description promises, and determinism across processes: a separate
// `prebuildsim suite` process runs the same files meanwhile and must produce the same trace hashes.
// A few scenarios also have golden hashes (golden.json); after an intended behaviour change:
//   UPDATE_GOLDEN=1 npx vitest run test/scenarios/library.test.ts
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunSummary } from "../../src/check/summary.ts";
import { openDriver } from "../../src/db/backend.ts";
import type { SqlDriver } from "../../src/db/driver.ts";
import { executeRun } from "../../src/run/execute.ts";
import "../../src/testing.ts";
import { loadLibraryScenario, SCENARIO_FILES, SCENARIOS_DIR } from "./library.ts";

const GOLDEN_FILE = resolve(import.meta.dirname, "golden.json");
const golden = JSON.parse(readFileSync(GOLDEN_FILE, "utf8")) as Record<string, string>;
const updateGolden = process.env.UPDATE_GOLDEN === "1";
const BIN = resolve(import.meta.dirname, "../../bin/prebuildsim.js");

// A test may wait for the other process to finish the whole library.
const RUN_TIMEOUT_MS = 30 * 60_000;

let driver: SqlDriver;
let otherProcess: Promise<string>;

beforeAll(async () => {
  driver = await openDriver();
  const out = await mkdtemp(join(tmpdir(), "prebuildsim-suite-"));
  otherProcess = new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, "suite", SCENARIOS_DIR, "--out", out, "--jobs", "1"], {
      env: { ...process.env, PREBUILDSIM_DATABASE_URL: "" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", fail);
    // Exit 1 (a scenario failed its verdict) still leaves every run directory to compare.
    child.on("close", (code) =>
      code === 0 || code === 1 ? done(out) : fail(new Error(`suite exited ${code}: ${stderr}`)),
    );
  });
});

afterAll(async () => {
  await driver?.close();
  if (updateGolden) writeFileSync(GOLDEN_FILE, `${JSON.stringify(golden, null, 2)}\n`);
});

async function hashFromOtherProcess(summary: RunSummary): Promise<string> {
  const out = await otherProcess;
  const text = await readFile(join(out, `${summary.scenario}-${summary.seed}`, "summary.json"), "utf8");
  return (JSON.parse(text) as RunSummary).traceHash;
}

describe("scenario library", () => {
  test.each(SCENARIO_FILES)(
    "%s meets its expected verdict, reaches what it shows, and replays in another process",
    async (file) => {
      const source = await loadLibraryScenario(file);
      const { scenario } = source;
      const { summary } = await executeRun(source, { seed: scenario.seed, driver });

      expect(summary).toHaveNoViolations();
      const broken = new Set(summary.allowed.map((v) => v.invariant));
      for (const allowed of scenario.expect.allow)
        expect(broken, `${file} is meant to show ${allowed} breaking`).toContain(allowed);
      // `expect.reach` is judged by the run itself (a failure "probe X never reached"); checked again
      // here so that a change to that judgement cannot hide a scenario that stopped reaching it.
      for (const probe of scenario.expect.reach)
        expect(summary.probes[probe], `${file}: probe ${probe}`).toBeGreaterThan(0);

      if (scenario.name in golden) {
        if (updateGolden) golden[scenario.name] = summary.traceHash;
        else expect(summary.traceHash, `golden hash of ${scenario.name}`).toBe(golden[scenario.name]);
      }
      expect(await hashFromOtherProcess(summary)).toBe(summary.traceHash);
    },
    RUN_TIMEOUT_MS,
  );
});
