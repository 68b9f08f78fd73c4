import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { HOUR, MINUTE, SECOND } from "../../src/clock/types.ts";
import { loadScenarioFile, parseScenario, parseScenarioObject } from "../../src/scenario/load.ts";
import type { Scenario } from "../../src/scenario/scenario.ts";

/** The full example of SCENARIOS.md §1, byte for byte. */
const EXAMPLE = "test/scenario/fixtures/weekday-morning-rush.yaml";
/** 2026-03-02T06:00:00Z */
const START = Date.UTC(2026, 2, 2, 6, 0, 0);

const EXPECTED_EXAMPLE: Scenario = {
  name: "weekday-morning-rush",
  description: "Claims spike at 09:00 Berlin time; 3 replicas contend for the lock.",
  seed: 7,
  start: START,
  duration: 8 * HOUR,
  sampleEvery: MINUTE,
  settings: {
    reconciliationInterval: MINUTE,
    reconciliationBackoffInterval: MINUTE,
    reconciliationBackoffLookback: HOUR,
    failureHardLimit: 3,
    maxDBConnections: 10,
  },
  database: { latency: { median: 2, p90: 10 } },
  replicas: [
    { name: "replica-0", clockSkew: 0 },
    { name: "replica-1", clockSkew: 0 },
    { name: "replica-2", clockSkew: 0 },
  ],
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
      versions: [
        {
          name: "v1",
          active: true,
          parameters: [
            { name: "cpu", required: true, default: null, immutable: false },
            { name: "region", required: false, default: "eu", immutable: true },
          ],
          presets: [
            {
              name: "small",
              desiredInstances: 3,
              parameters: [
                { name: "cpu", value: "2" },
                { name: "region", value: "eu" },
              ],
              ttl: 8 * HOUR,
              failureRate: 0.5,
              drift: { replaceOnClaim: 0.2 },
              scheduling: {
                timezone: "Europe/Berlin",
                schedules: [{ cron: "* 8-18 * * 1-5", instances: 6 }],
              },
            },
          ],
        },
        {
          name: "v2",
          active: false,
          parameters: [],
          presets: [
            {
              name: "small",
              desiredInstances: 3,
              parameters: [{ name: "cpu", value: "4" }],
              ttl: null,
              failureRate: 0,
              drift: { replaceOnClaim: 0 },
              scheduling: null,
            },
          ],
        },
      ],
    },
  ],
  users: { count: 50 },
  workload: {
    claims: [
      {
        preset: { template: "dev", preset: "small" },
        arrivals: {
          kind: "poisson",
          perHour: 12,
          diurnal: {
            timezone: "Europe/Berlin",
            // "9-11": 3.0, "12-17": 1.0, "*": 0.1
            multipliers: [
              0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 3, 3, 3, 1, 1, 1, 1, 1, 1, 0.1, 0.1, 0.1, 0.1, 0.1,
              0.1,
            ],
          },
        },
      },
    ],
  },
  events: [
    { kind: "promote", atOffset: 2 * HOUR, at: START + 2 * HOUR, template: "dev", version: "v2" },
    {
      kind: "setDesired",
      atOffset: 3 * HOUR,
      at: START + 3 * HOUR,
      template: "dev",
      version: "v2",
      preset: "small",
      instances: 1,
    },
    { kind: "pause", atOffset: 4 * HOUR, at: START + 4 * HOUR, paused: true },
    { kind: "pause", atOffset: 4 * HOUR + 20 * MINUTE, at: START + 4 * HOUR + 20 * MINUTE, paused: false },
    { kind: "invalidate", atOffset: 5 * HOUR, at: START + 5 * HOUR, template: "dev" },
    {
      kind: "deprecate",
      atOffset: 6 * HOUR,
      at: START + 6 * HOUR,
      template: "dev",
      message: "deprecated by the scenario",
    },
    { kind: "deleteTemplate", atOffset: 7 * HOUR, at: START + 7 * HOUR, template: "dev" },
  ],
  faults: [
    {
      kind: "provisioner-outage",
      atOffset: HOUR,
      at: START + HOUR,
      duration: 15 * MINUTE,
      until: START + HOUR + 15 * MINUTE,
    },
    {
      kind: "build-failures",
      atOffset: HOUR,
      at: START + HOUR,
      duration: 30 * MINUTE,
      until: START + HOUR + 30 * MINUTE,
      rate: 1,
      preset: { template: "dev", preset: "small" },
      transition: "start",
    },
    {
      kind: "lock-connection-lost",
      atOffset: 90 * MINUTE,
      at: START + 90 * MINUTE,
      replica: { index: 1, name: "replica-1" },
      afterStatements: null,
    },
    {
      kind: "replica-crash",
      atOffset: 2 * HOUR,
      at: START + 2 * HOUR,
      replica: { index: 2, name: "replica-2" },
      restartAfter: 5 * MINUTE,
      during: null,
      afterStatements: null,
    },
    {
      kind: "db-errors",
      atOffset: 0,
      at: START,
      duration: 8 * HOUR,
      until: START + 8 * HOUR,
      rate: 0.01,
      query: "GetRunningPrebuiltWorkspaces",
      during: null,
    },
    {
      kind: "notification-queue-full",
      atOffset: 3 * HOUR,
      at: START + 3 * HOUR,
      duration: 10 * MINUTE,
      until: START + 3 * HOUR + 10 * MINUTE,
    },
    {
      kind: "clock-skew",
      atOffset: 0,
      at: START,
      replica: { index: 1, name: "replica-1" },
      offset: 30 * SECOND,
    },
  ],
  expect: { convergeWithin: 10 * MINUTE, allow: [], reach: [], maxHumanQueueWait: 30 * MINUTE },
};

describe("the full example of SCENARIOS.md §1", () => {
  it("loads as written and normalises to every field", async () => {
    const result = await loadScenarioFile(EXAMPLE);
    if (!result.ok) expect.fail(result.problems.map(String).join("\n"));
    expect(result.scenario).toEqual(EXPECTED_EXAMPLE);
  });

  it("gives the same scenario from its text, from its parsed object and from a second load", async () => {
    const text = await readFile(EXAMPLE, "utf8");
    const fromText = parseScenario(text, EXAMPLE);
    expect(parseScenarioObject(parse(text), "example")).toEqual(fromText);
    expect(JSON.stringify(parseScenario(text, EXAMPLE))).toBe(JSON.stringify(fromText));
  });
});

describe("defaults", () => {
  it("a minimal scenario gets every documented default", () => {
    const result = parseScenario(
      [
        "name: minimal",
        "duration: PT2H",
        "templates: [{name: dev, versions: [{name: v1, presets: [{name: p}]}]}]",
      ].join("\n"),
      "minimal.yaml",
    );
    if (!result.ok) expect.fail(result.problems.map(String).join("\n"));
    const expected: Scenario = {
      name: "minimal",
      description: "",
      seed: 1,
      start: Date.UTC(2024, 0, 1),
      duration: 2 * HOUR,
      sampleEvery: MINUTE,
      settings: {
        reconciliationInterval: MINUTE,
        reconciliationBackoffInterval: MINUTE,
        reconciliationBackoffLookback: HOUR,
        failureHardLimit: 3,
        maxDBConnections: 10,
      },
      database: { latency: { median: 2, p90: 10 } },
      replicas: [{ name: "replica-0", clockSkew: 0 }],
      provisioners: {
        daemons: 3,
        prebuildDaemons: 0,
        pollInterval: 30 * SECOND,
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
          versions: [
            {
              name: "v1",
              active: true,
              parameters: [],
              presets: [
                {
                  name: "p",
                  desiredInstances: null,
                  parameters: [],
                  ttl: null,
                  failureRate: 0,
                  drift: { replaceOnClaim: 0 },
                  scheduling: null,
                },
              ],
            },
          ],
        },
      ],
      users: { count: 10 },
      workload: { claims: [] },
      events: [],
      faults: [],
      expect: { convergeWithin: 30 * MINUTE, allow: [], reach: [], maxHumanQueueWait: 30 * MINUTE },
    };
    expect(result.scenario).toEqual(expected);
  });

  it("sampleEvery follows a configured reconciliationInterval", () => {
    const result = parseScenarioObject(
      {
        name: "x",
        duration: "PT1H",
        settings: { reconciliationInterval: "PT15S" },
        templates: [{ name: "dev", versions: [{ name: "v1" }] }],
      },
      "api",
    );
    expect(result.ok && result.scenario.sampleEvery).toBe(15 * SECOND);
  });

  it("a preset's failure rate falls back to provisioners.failureRate", () => {
    const result = parseScenarioObject(
      {
        name: "x",
        duration: "PT1H",
        provisioners: { failureRate: 0.25 },
        templates: [
          {
            name: "dev",
            versions: [{ name: "v1", presets: [{ name: "a" }, { name: "b", failureRate: 1 }] }],
          },
        ],
      },
      "api",
    );
    const presets = result.ok ? (result.scenario.templates[0]?.versions[0]?.presets ?? []) : [];
    expect(presets.map((p) => p.failureRate)).toEqual([0.25, 1]);
  });

  it("organizations always contain default, first, once", () => {
    const result = parseScenarioObject(
      {
        name: "x",
        duration: "PT1H",
        organizations: ["acme", "default"],
        templates: [{ name: "dev", organization: "acme", versions: [{ name: "v1" }] }],
      },
      "api",
    );
    expect(result.ok && result.scenario.organizations).toEqual(["default", "acme"]);
  });

  it("a later version marked active: true is the active one", () => {
    const result = parseScenarioObject(
      {
        name: "x",
        duration: "PT1H",
        templates: [{ name: "dev", versions: [{ name: "v1" }, { name: "v2", active: true }] }],
      },
      "api",
    );
    expect(result.ok && result.scenario.templates[0]?.versions.map((v) => v.active)).toEqual([false, true]);
  });

  it("replicas as a list keep their names and skews, and faults may name them", () => {
    const result = parseScenarioObject(
      {
        name: "x",
        duration: "PT1H",
        replicas: [{ name: "a" }, { name: "b", clockSkew: "-PT2S" }],
        templates: [{ name: "dev", versions: [{ name: "v1" }] }],
        faults: [{ at: "PT1M", kind: "lock-connection-lost", replica: "b" }],
      },
      "api",
    );
    if (!result.ok) expect.fail(result.problems.map(String).join("\n"));
    expect(result.scenario.replicas).toEqual([
      { name: "a", clockSkew: 0 },
      { name: "b", clockSkew: -2 * SECOND },
    ]);
    expect(result.scenario.faults[0]).toMatchObject({ replica: { index: 1, name: "b" } });
  });

  it("claim arrivals by `every` and by `at` (offsets resolved to instants)", () => {
    const result = parseScenarioObject(
      {
        name: "x",
        duration: "PT1H",
        start: "2026-03-02T08:00:00+01:00",
        templates: [{ name: "dev", versions: [{ name: "v1", presets: [{ name: "p" }] }] }],
        workload: {
          claims: [
            { preset: "dev/p", every: "PT5M" },
            { preset: "dev/p", at: ["PT10M", "PT11M"] },
          ],
        },
      },
      "api",
    );
    if (!result.ok) expect.fail(result.problems.map(String).join("\n"));
    const start = Date.UTC(2026, 2, 2, 7);
    expect(result.scenario.workload.claims.map((c) => c.arrivals)).toEqual([
      { kind: "every", every: 5 * MINUTE },
      {
        kind: "at",
        times: [
          { atOffset: 10 * MINUTE, at: start + 10 * MINUTE },
          { atOffset: 11 * MINUTE, at: start + 11 * MINUTE },
        ],
      },
    ]);
  });
});
