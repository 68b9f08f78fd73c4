// Normalised scenarios for world tests, written directly as the `Scenario` the world consumes, with
// the defaults SCENARIOS.md gives, so each test states only what it is about.
import { type Duration, HOUR, MINUTE, SECOND } from "../../src/clock/types.ts";
import type { Preset, Provisioners, Scenario, Template } from "../../src/scenario/scenario.ts";

/** Mon 2 Mar 2026 06:00 UTC. */
export const START = Date.UTC(2026, 2, 2, 6, 0, 0);

export function preset(
  name: string,
  desiredInstances: number | null,
  overrides: Partial<Preset> = {},
): Preset {
  return {
    name,
    desiredInstances,
    parameters: [],
    ttl: null,
    failureRate: 0,
    drift: { replaceOnClaim: 0 },
    scheduling: null,
    ...overrides,
  };
}

/** One template `dev` with one active version `v1` holding the given presets. */
export function devTemplate(...presets: Preset[]): Template {
  return {
    name: "dev",
    organization: "default",
    versions: [{ name: "v1", active: true, parameters: [], presets }],
  };
}

export const fastProvisioners: Provisioners = {
  daemons: 4,
  prebuildDaemons: 0,
  pollInterval: SECOND,
  buildTime: { fixed: 2 * MINUTE },
  deleteTime: { fixed: 30 * SECOND },
  agentReadyAfter: { fixed: 20 * SECOND },
  failureRate: 0,
};

export function scenario(overrides: Partial<Scenario> = {}, duration: Duration = HOUR): Scenario {
  return {
    name: "world-test",
    description: "",
    seed: 1,
    start: START,
    duration,
    sampleEvery: MINUTE,
    settings: {
      reconciliationInterval: MINUTE,
      reconciliationBackoffInterval: MINUTE,
      reconciliationBackoffLookback: HOUR,
      failureHardLimit: 3,
      maxDBConnections: 10,
    },
    database: { latency: { fixed: 2 } },
    replicas: [{ name: "replica-0", clockSkew: 0 }],
    provisioners: fastProvisioners,
    organizations: ["default"],
    templates: [devTemplate(preset("small", 2))],
    users: { count: 3 },
    workload: { claims: [] },
    events: [],
    faults: [],
    expect: { convergeWithin: 30 * MINUTE, allow: [], reach: [], maxHumanQueueWait: 30 * MINUTE },
    ...overrides,
  };
}
