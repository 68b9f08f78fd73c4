// The scenario library as the tests see it: every file of scenarios/, loaded, and what each must
// show besides its verdict — the rare situations it exists to reach.
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { ProbeName } from "../../src/check/probes.ts";
import { scenarioFromText } from "../../src/cli/scenarioInput.ts";
import type { ScenarioSource } from "../../src/run/execute.ts";

export const SCENARIOS_DIR = resolve(import.meta.dirname, "../../scenarios");

export const SCENARIO_FILES = readdirSync(SCENARIOS_DIR)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

export async function loadLibraryScenario(file: string): Promise<ScenarioSource> {
  const path = join(SCENARIOS_DIR, file);
  return scenarioFromText(path, await readFile(path, "utf8"));
}

/** Probes each scenario must reach with its own seed: what its description promises to show. */
export const MUST_REACH: Readonly<Record<string, readonly ProbeName[]>> = {
  "failures-backoff-hard-limit": ["backoff-engaged", "hard-limit-reached"],
  "multi-replica-lock-lost": ["lock-contended"],
  "steady-state": ["agent-reinitialized"],
  "drift-on-claim": ["drift-on-claim"],
  "template-push": ["pending-canceled"],
  "pause-resume": ["paused-cycle"],
  "ttl-expiry-invalidation": ["expired-deleted"],
  "incident-03-failure-cost": ["backoff-engaged", "hard-limit-reached"],
  "incident-09-queue-flood": ["paused-cycle", "claim-miss"],
  "incident-10-obsolete-pending": ["pending-canceled"],
  "incident-15-lock-lost-overlap": ["lock-lost-overlap"],
  "incident-18-drift-replacement": ["drift-on-claim"],
  "incident-24-claim-delete-race": ["claim-raced-delete", "claim-miss"],
  "coder-style-names": ["backoff-engaged"],
};
