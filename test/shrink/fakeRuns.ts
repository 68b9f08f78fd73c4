// A stand-in for the simulation in search tests: a run "breaks" invariants by a rule over the
// loaded scenario, so the search logic is tested in milliseconds and exactly (the real runs are in
// library.test.ts). The summary has only the fields the shrinker reads.
import { parse } from "yaml";
import type { RunSummary, Violation } from "../../src/check/summary.ts";
import type { ExecutedRun, ScenarioSource } from "../../src/run/execute.ts";
import type { Scenario } from "../../src/scenario/scenario.ts";
import type { Data } from "../../src/shrink/data.ts";

export type Rule = (scenario: Scenario, seed: number) => readonly string[];

export function fakeRunner(rule: Rule): {
  run: (source: ScenarioSource, seed: number) => Promise<ExecutedRun>;
  runs: number;
} {
  const state = {
    runs: 0,
    run: async (source: ScenarioSource, seed: number): Promise<ExecutedRun> => {
      state.runs++;
      const violations: Violation[] = rule(source.scenario, seed).map((invariant) => ({
        invariant,
        at: "2026-03-02T08:30:00.000Z",
        subject: "run",
        message: `${invariant} broken`,
        traceLines: [],
      }));
      const summary = {
        scenario: source.scenario.name,
        seed,
        ok: violations.length === 0,
        start: "2026-03-02T08:00:00.000Z",
        violations,
        allowed: [],
      } as unknown as RunSummary;
      return {
        summary,
        traceText: "",
        timeseries: {} as never,
        scenarioText: source.text,
        metrics: null,
        cycles: null,
      };
    },
  };
  return state;
}

/** Three replicas, two templates, five faults, three events, two claim streams. */
export const BUSY = `name: busy
seed: 9
start: 2026-03-02T08:00:00Z
duration: PT4H
replicas: {count: 3}
users: {count: 20}
provisioners: {daemons: 6, buildTime: {median: PT2M, p90: PT4M}}
templates:
  - name: dev
    versions:
      - name: v1
        presets: [{name: small, desiredInstances: 4}, {name: large, desiredInstances: 2, ttl: PT1H}]
      - name: v2
        active: false
        presets: [{name: small, desiredInstances: 3}]
  - name: ml
    versions:
      - name: v1
        presets: [{name: gpu, desiredInstances: 2}]
workload:
  claims:
    - {preset: dev/small, rate: 12/h}
    - {preset: ml/gpu, every: PT20M}
events:
  - {at: PT30M, pause: true}
  - {at: PT40M, pause: false}
  - {at: PT1H, promote: {template: dev, version: v2}}
faults:
  - {at: PT10M, kind: provisioner-outage, duration: PT20M}
  - {at: PT20M, kind: replica-crash, replica: 2, restartAfter: PT10M}
  - {at: PT50M, kind: notification-queue-full, duration: PT30M}
  - {at: PT1H, kind: build-failures, rate: 0.5, duration: PT30M}
  - {at: PT2H, kind: clock-skew, replica: 1, offset: PT30S}
`;

export function busyData(): Data {
  return parse(BUSY) as Data;
}

export function faultKinds(scenario: Scenario): string[] {
  return scenario.faults.map((f) => f.kind);
}
