// Whole simulations: how much virtual time a second of wall time buys. Two deployments, each run
// once for 8 virtual hours on the process's database (PGlite, or PostgreSQL when
// PREBUILDSIM_DATABASE_URL is set): a quiet one (1 replica, 1 preset, no claims) and a busy one
// (3 replicas, 3 presets, Poisson claims with drift, 4 daemons, 2 ms median round trips).
import { HOUR, MINUTE, SECOND } from "../src/clock/types.ts";
import { sharedDriver } from "../src/db/backend.ts";
import type { Preset, Scenario } from "../src/scenario/scenario.ts";
import { simulate } from "../src/world/simulate.ts";
import type { BenchResult } from "./main.ts";

const START = Date.UTC(2026, 2, 2, 6);
const DURATION = 8 * HOUR;

function preset(name: string, desiredInstances: number): Preset {
  return {
    name,
    desiredInstances,
    parameters: [],
    ttl: null,
    failureRate: 0.05,
    drift: { replaceOnClaim: 0.2 },
    scheduling: null,
  };
}

function deployment(name: string, replicas: number, presets: Preset[], claimsPerHour: number): Scenario {
  return {
    name,
    description: "",
    seed: 1,
    start: START,
    duration: DURATION,
    sampleEvery: MINUTE,
    settings: {
      reconciliationInterval: MINUTE,
      reconciliationBackoffInterval: MINUTE,
      reconciliationBackoffLookback: HOUR,
      failureHardLimit: 3,
      maxDBConnections: 10,
    },
    database: { latency: { median: 2, p90: 10 } },
    replicas: Array.from({ length: replicas }, (_, i) => ({ name: `replica-${i}`, clockSkew: 0 })),
    provisioners: {
      daemons: 4,
      prebuildDaemons: 0,
      pollInterval: SECOND,
      buildTime: { median: 2 * MINUTE, p90: 5 * MINUTE },
      deleteTime: { fixed: 30 * SECOND },
      agentReadyAfter: { fixed: 20 * SECOND },
      failureRate: 0,
    },
    organizations: ["default"],
    templates: [
      {
        name: "dev",
        organization: "default",
        versions: [{ name: "v1", active: true, parameters: [], presets }],
      },
    ],
    users: { count: 20 },
    workload: {
      claims: presets.map((p) => ({
        preset: { template: "dev", preset: p.name },
        arrivals: { kind: "poisson" as const, perHour: claimsPerHour / presets.length, diurnal: null },
      })),
    },
    events: [],
    faults: [],
    expect: { convergeWithin: 30 * MINUTE, allow: [], reach: [], maxHumanQueueWait: 30 * MINUTE },
  };
}

export async function run(): Promise<BenchResult[]> {
  const database = await sharedDriver();
  const out: BenchResult[] = [];
  for (const s of [
    deployment("quiet", 1, [preset("small", 3)], 0),
    deployment("busy", 3, [preset("small", 5), preset("medium", 5), preset("large", 5)], 30),
  ]) {
    const began = performance.now();
    const result = await simulate(s, { seed: 1, database });
    const wallSeconds = (performance.now() - began) / 1000;
    out.push(
      { name: `${s.name}: wall time for 8 virtual hours`, value: wallSeconds, unit: "s" },
      { name: `${s.name}: virtual hours per wall second`, value: DURATION / HOUR / wallSeconds, unit: "h/s" },
      {
        name: `${s.name}: trace lines per wall second`,
        value: result.trace.length / wallSeconds,
        unit: "lines/s",
        note: `${result.trace.length} lines, ${result.claims.length} claims`,
      },
    );
  }
  return out;
}
