// The grammar of the stale- and unobserved-state faults (issue #13 part 3): what each normalises
// to, and the exact line a person sees for each mistake (file, line:col, path, what was expected).
import { describe, expect, it } from "vitest";
import { MINUTE, SECOND } from "../../src/clock/types.ts";
import { parseScenario } from "../../src/scenario/load.ts";
import { describeEffect } from "../../src/world/faults/registry.ts";

const FILE = "scenarios/p.yaml";
/** 2026-03-02T06:00:00Z, the loader's default start. */
const BASE = [
  "name: t",
  "start: 2026-03-02T06:00:00Z",
  "duration: PT1H",
  "replicas: {count: 2}",
  "templates:",
  "  - name: dev",
  "    versions:",
  "      - name: v1",
  "        presets: [{name: small, desiredInstances: 1}]",
  "faults:",
];
const START = Date.UTC(2026, 2, 2, 6);

function withFaults(...faults: string[]): string {
  return [...BASE, ...faults.map((f) => `  - ${f}`), ""].join("\n");
}

function faultsOf(text: string) {
  const result = parseScenario(text, FILE);
  if (!result.ok) expect.fail(result.problems.map(String).join("\n"));
  return result.scenario.faults;
}

function problemLines(text: string): string[] {
  const result = parseScenario(text, FILE);
  if (result.ok) expect.fail("expected the scenario to be refused");
  return result.problems.map(String);
}

describe("valid perturbation faults", () => {
  it.each([
    {
      fault: "{at: PT20M, kind: stale-snapshot, replica: holder, staleBy: PT30S}",
      normalised: {
        kind: "stale-snapshot",
        replica: null,
        staleBy: 30 * SECOND,
        at: START + 20 * MINUTE,
        after: 0,
        count: 1,
        duration: null,
        until: null,
      },
    },
    {
      fault: "{at: PT20M, kind: stale-snapshot, replica: 1, staleBy: PT2M, duration: PT10M}",
      normalised: { replica: { index: 1, name: "replica-1" }, count: null, until: START + 30 * MINUTE },
    },
    {
      fault: "{at: PT5M, kind: notifications-dropped, channel: jobs, afterNotifications: 3}",
      normalised: { kind: "notifications-dropped", channel: "jobs", after: 3, count: 1, until: null },
    },
    {
      fault: "{at: PT5M, kind: notifications-delayed, channel: claims, delay: PT10S, count: 2}",
      normalised: { channel: "claims", delay: 10 * SECOND, count: 2 },
    },
    {
      fault: "{at: PT5M, kind: metrics-refresh-missed, replica: replica-0, duration: PT5M}",
      normalised: { replica: { index: 0, name: "replica-0" }, count: null, duration: 5 * MINUTE },
    },
    {
      fault: "{at: PT5M, kind: tick-missed, replica: 1, count: 2, afterTicks: 1}",
      normalised: { kind: "tick-missed", replica: { index: 1, name: "replica-1" }, count: 2, after: 1 },
    },
  ])("$fault", ({ fault, normalised }) => {
    expect(faultsOf(withFaults(fault))[0]).toMatchObject(normalised);
  });
});

describe("invalid perturbation faults", () => {
  it.each([
    {
      name: "stale-snapshot without staleBy",
      fault: "{at: PT20M, kind: stale-snapshot, replica: 0}",
      line: `${FILE}:11:5: faults[0].staleBy: required; expected an ISO-8601 duration like PT15S, PT1H30M or P1D`,
    },
    {
      name: "stale-snapshot staleBy of zero",
      fault: "{at: PT20M, kind: stale-snapshot, replica: 0, staleBy: PT0S}",
      line: `${FILE}:11:60: faults[0].staleBy: expected a duration longer than PT0S, got "PT0S"`,
    },
    {
      name: "notifications to an unknown channel",
      fault: "{at: PT1M, kind: notifications-dropped, channel: agents}",
      line: `${FILE}:11:54: faults[0].channel: expected jobs or claims, got "agents"`,
    },
    {
      name: "count and duration together",
      fault: "{at: PT1M, kind: notifications-dropped, channel: jobs, count: 2, duration: PT5M}",
      line: `${FILE}:11:67: faults[0].count: expected count or duration, not both`,
    },
    {
      name: "a count of zero",
      fault: "{at: PT1M, kind: tick-missed, replica: 0, count: 0}",
      line: `${FILE}:11:54: faults[0].count: expected an integer ≥ 1, got 0`,
    },
    {
      name: "a replica the deployment lacks",
      fault: "{at: PT1M, kind: tick-missed, replica: 5}",
      line: `${FILE}:11:44: faults[0].replica: expected a replica number 0-1 or a name (replica-0, replica-1), got 5`,
    },
    {
      name: "holder for a tick",
      fault: "{at: PT1M, kind: metrics-refresh-missed, replica: holder}",
      line: `${FILE}:11:55: faults[0].replica: expected a replica number 0-1 or a name (replica-0, replica-1), got "holder"`,
    },
    {
      name: "a window past the end",
      fault: "{at: PT50M, kind: notifications-delayed, channel: jobs, delay: PT5S, duration: PT20M}",
      line: `${FILE}:11:84: faults[0].duration: expected the window to end by the end of the run (duration PT1H), got one ending at PT1H10M`,
    },
  ])("$name", ({ fault, line }) => {
    const lines = problemLines(withFaults(fault));
    expect(lines).toEqual([line]);
  });
});

describe("report wording of their effects", () => {
  it.each([
    ["stale-snapshot", { staleSnapshots: 1 }, "1 cycle acted on a stale snapshot"],
    ["notifications-dropped", { jobNotificationsDropped: 2 }, "2 job notifications dropped"],
    ["notifications-dropped", { claimNotificationsDropped: 1 }, "1 claim notification dropped"],
    ["notifications-delayed", { jobNotificationsDelayed: 1 }, "1 job notification delayed"],
    ["notifications-delayed", { claimNotificationsDelayed: 3 }, "3 claim notifications delayed"],
    ["metrics-refresh-missed", { refreshesMissed: 3 }, "3 metrics refreshes missed"],
    ["tick-missed", { ticksMissed: 1 }, "1 reconciler tick missed"],
  ])("%s %o reads %s", (kind, effect, words) => {
    expect(describeEffect(kind, effect)).toBe(words);
  });
});
