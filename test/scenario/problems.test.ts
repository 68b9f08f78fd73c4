// One bad input per error class, each asserting the exact line a person sees:
// file, line:col, the path inside the file and what was expected.
import { describe, expect, it } from "vitest";
import {
  loadScenarioFile,
  parseScenario,
  parseScenarioObject,
  scenarioOrThrow,
} from "../../src/scenario/load.ts";
import { ScenarioError } from "../../src/scenario/problem.ts";

const FILE = "scenarios/x.yaml";

/** A valid scenario of 12 lines; cases append from line 13 or replace one line. */
const BASE = [
  "name: t",
  "duration: PT1H",
  "replicas: {count: 2}",
  "templates:",
  "  - name: dev",
  "    versions:",
  "      - name: v1",
  "        presets:",
  "          - name: small",
  "            desiredInstances: 1",
  "      - name: v2",
  "        presets: [{name: big, desiredInstances: 2}]",
];

function withLines(...extra: string[]): string {
  return [...BASE, ...extra, ""].join("\n");
}

/** BASE with line `n` (1-based) replaced; `undefined` drops it. */
function replacing(n: number, line: string | undefined): string {
  const lines = BASE.flatMap((l, i) => (i === n - 1 ? (line === undefined ? [] : [line]) : [l]));
  return [...lines, ""].join("\n");
}

/** A template whose two versions are written as the given flow mappings (lines 6 and 7). */
function TWO_VERSIONS(first: string, second: string): string {
  return [
    "name: t",
    "duration: PT1H",
    "templates:",
    "  - name: dev",
    "    versions:",
    `      - ${first}`,
    `      - ${second}`,
    "",
  ].join("\n");
}

function problemLines(text: string): string[] {
  const result = parseScenario(text, FILE);
  return result.ok ? [] : result.problems.map((p) => p.toString());
}

it("BASE itself loads", () => {
  expect(problemLines(withLines())).toEqual([]);
});

describe("YAML syntax errors", () => {
  it.each([
    {
      name: "unclosed flow sequence",
      text: withLines("events: [{at: PT1M, pause: true}"),
      lines: [
        `${FILE}:14:1: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]`,
      ],
    },
    {
      name: "duplicate key",
      text: withLines("duration: PT2H"),
      lines: [`${FILE}:13:1: YAML syntax: Map keys must be unique`],
    },
  ])("$name", ({ text, lines }) => {
    expect(problemLines(text)).toEqual(lines);
  });
});

describe("unknown keys", () => {
  it.each([
    {
      name: "misspelt top-level key, with a suggestion",
      text: withLines("descripton: morning"),
      lines: [`${FILE}:13:1: descripton: unknown key; did you mean "description"?`],
    },
    {
      name: "snake_case spelling of a known key",
      text: replacing(10, "            desired_instances: 1"),
      lines: [
        `${FILE}:10:13: templates[0].versions[0].presets[0].desired_instances: unknown key; did you mean "desiredInstances"?`,
      ],
    },
    {
      name: "nothing close: the known keys are listed",
      text: withLines("expect: {convergeWithin: PT5M, zzz: 1}"),
      lines: [
        `${FILE}:13:32: expect.zzz: unknown key; expected one of convergeWithin, allow, reach, maxHumanQueueWait`,
      ],
    },
    {
      name: "unknown probe name in expect.reach",
      text: withLines("expect: {reach: [claim-misses]}"),
      lines: [
        `${FILE}:13:18: expect.reach[0]: expected one of backoff-engaged, hard-limit-reached, lock-contended, lock-lost-overlap, claim-miss, claim-raced-delete, pending-canceled, expired-deleted, drift-on-claim, validation-failed, paused-cycle, agent-reinitialized, got "claim-misses"; did you mean "claim-miss"?`,
      ],
    },
    {
      name: "a probe promised twice in expect.reach",
      text: withLines("expect: {reach: [claim-miss, claim-miss]}"),
      lines: [
        `${FILE}:13:30: expect.reach[1]: expected a unique probe name, got "claim-miss" again (first at expect.reach[0])`,
      ],
    },
    {
      name: "unknown key inside a fault (a union branch)",
      text: withLines("faults: [{at: PT1M, kind: provisioner-outage, duration: PT5M, replcia: 1}]"),
      lines: [`${FILE}:13:63: faults[0].replcia: unknown key; expected one of kind, at, duration`],
    },
  ])("$name", ({ text, lines }) => {
    expect(problemLines(text)).toEqual(lines);
  });
});

describe("wrong types and malformed values", () => {
  it.each([
    {
      name: "text where an integer belongs",
      text: withLines("users: {count: many}"),
      lines: [`${FILE}:13:16: users.count: expected an integer ≥ 0, got "many"`],
    },
    {
      name: "number where a duration belongs",
      text: replacing(2, "duration: 3600"),
      lines: [`${FILE}:2:11: duration: expected an ISO-8601 duration like PT15S, PT1H30M or P1D, got 3600`],
    },
    {
      name: "duration in months",
      text: withLines("sampleEvery: P1M"),
      lines: [
        `${FILE}:13:14: sampleEvery: expected a duration in weeks, days, hours, minutes or seconds (months and years have no fixed length), got "P1M"`,
      ],
    },
    {
      name: "instant without an offset",
      text: withLines("start: 2026-03-02T06:00:00"),
      lines: [
        `${FILE}:13:8: start: expected an ISO-8601 instant with an offset, like 2026-03-02T06:00:00Z, got "2026-03-02T06:00:00"`,
      ],
    },
    {
      name: "unparseable rate",
      text: withLines("workload: {claims: [{preset: dev/small, rate: 12 per hour}]}"),
      lines: [
        `${FILE}:13:47: workload.claims[0].rate: expected a rate like 12/h, 3/m or 100/d (a number ≥ 0 per hour, minute or day), got "12 per hour"`,
      ],
    },
    {
      name: "unknown time zone",
      text: withLines(
        'workload: {claims: [{preset: dev/small, rate: 1/h, timezone: Mars/Base, hours: {"*": 1}}]}',
      ),
      lines: [
        `${FILE}:13:62: workload.claims[0].timezone: expected an IANA time zone name like Europe/Berlin or UTC, got "Mars/Base"`,
      ],
    },
    {
      name: "overlapping diurnal hours",
      text: withLines(
        'workload: {claims: [{preset: dev/small, rate: 1/h, hours: {"9-11": 2, "11": 1, "*": 0}}]}',
      ),
      lines: [
        `${FILE}:13:60: workload.claims[0].hours["9-11"]: expected hours not named by another key, got "9-11" (hour 11 is also in "11")`,
      ],
    },
    {
      name: "diurnal hours that leave hours out",
      text: withLines('workload: {claims: [{preset: dev/small, rate: 1/h, hours: {"9-17": 2}}]}'),
      lines: [
        `${FILE}:13:59: workload.claims[0].hours: expected every local hour 0-23 to have a multiplier (add "*" for the rest), got none for hours 0-8, 18-23`,
      ],
    },
    {
      name: "a number as a parameter value",
      text: replacing(12, "        presets: [{name: big, parameters: {cpu: 2}}]"),
      lines: [
        `${FILE}:12:49: templates[0].versions[1].presets[0].parameters.cpu: expected a string (quote numbers, like "2"), got 2`,
      ],
    },
    {
      name: "replicas neither a count nor a list",
      text: replacing(3, "replicas: 3"),
      lines: [
        `${FILE}:3:11: replicas: expected {count: N} or a list like [{name: a}, {name: b, clockSkew: PT2S}], got 3`,
      ],
    },
    {
      name: "unknown fault kind, with a suggestion",
      text: withLines("faults: [{at: PT1M, kind: provisioner-outag, duration: PT5M}]"),
      lines: [
        `${FILE}:13:27: faults[0].kind: expected a fault with kind: one of provisioner-outage, build-failures, lock-connection-lost, replica-crash, db-errors, notification-queue-full, clock-skew, stale-snapshot, notifications-dropped, notifications-delayed, metrics-refresh-missed, tick-missed, got "provisioner-outag"; did you mean "provisioner-outage"?`,
      ],
    },
    {
      name: "unknown query name in a db-errors fault, with a suggestion",
      text: withLines(
        "faults: [{at: PT0S, kind: db-errors, rate: 0.1, duration: PT5M, query: GetRunningPrebuiltWorkspace}]",
      ),
      lines: [
        `${FILE}:13:72: faults[0].query: expected a query name of the store, like GetRunningPrebuiltWorkspaces, got "GetRunningPrebuiltWorkspace"; did you mean "GetRunningPrebuiltWorkspaces"?`,
      ],
    },
    {
      name: "unknown invariant name in expect.allow",
      text: withLines("expect: {allow: [converge]}"),
      lines: [
        `${FILE}:13:18: expect.allow[0]: expected one of claimed-never-reconciled, single-lock-holder, create-clamped, hard-limit-respected, one-active-build, paused-means-idle, converges, inactive-drained, no-leaked-prebuilds, no-crash, writes-inside-lease, provisioning-bounded, desired-follows-schedule, backoff-respected, oldest-deleted-first, inactive-pending-canceled, expired-deleted-promptly, claim-takes-ready, human-queue-bounded, cancel-pending-only, provisioning-sufficient, deletions-bounded, got "converge"; did you mean "converges"?`,
      ],
    },
    {
      name: "an event with two actions",
      text: withLines("events: [{at: PT1M, pause: true, invalidate: {template: dev}}]"),
      lines: [
        `${FILE}:13:10: events[0]: expected exactly one action (promote, setDesired, pause, invalidate, deprecate, deleteTemplate), got pause and invalidate`,
      ],
    },
    {
      name: "a claim stream without arrivals",
      text: withLines("workload: {claims: [{preset: dev/small}]}"),
      lines: [`${FILE}:13:21: workload.claims[0]: expected exactly one of rate, every or at, got none`],
    },
    {
      name: "a distribution in two forms",
      text: withLines("provisioners: {buildTime: {fixed: PT1M, median: PT2M, p90: PT3M}}"),
      lines: [
        `${FILE}:13:27: provisioners.buildTime: expected exactly one of {fixed: D}, {uniform: [D, D]} or {median: D, p90: D}, got fixed and median/p90`,
      ],
    },
    {
      name: "an empty file",
      text: "",
      lines: [
        `${FILE}:1:1: expected a mapping of scenario fields (name, duration, templates, …), got an empty value`,
      ],
    },
    {
      name: "a required key missing",
      text: replacing(2, undefined),
      lines: [`${FILE}:1:1: duration: required; expected an ISO-8601 duration like PT15S, PT1H30M or P1D`],
    },
  ])("$name", ({ text, lines }) => {
    expect(problemLines(text)).toEqual(lines);
  });
});

describe("out-of-range values", () => {
  it.each([
    {
      name: "negative desired instances",
      text: replacing(10, "            desiredInstances: -1"),
      lines: [
        `${FILE}:10:31: templates[0].versions[0].presets[0].desiredInstances: expected an integer ≥ 0, got -1`,
      ],
    },
    {
      name: "probability above 1",
      text: withLines("provisioners: {failureRate: 1.5}"),
      lines: [`${FILE}:13:29: provisioners.failureRate: expected a probability between 0 and 1, got 1.5`],
    },
    {
      name: "zero replicas",
      text: replacing(3, "replicas: {count: 0}"),
      lines: [`${FILE}:3:19: replicas.count: expected an integer ≥ 1, got 0`],
    },
    {
      name: "a name outside [a-z0-9-]+",
      text: replacing(1, "name: Weekday Rush"),
      lines: [
        `${FILE}:1:7: name: expected a name of lowercase letters, digits and dashes ([a-z0-9-]+), got "Weekday Rush"`,
      ],
    },
    {
      name: "a zero duration",
      text: replacing(2, "duration: PT0S"),
      lines: [`${FILE}:2:11: duration: expected a duration longer than PT0S, got "PT0S"`],
    },
    {
      name: "more prebuild daemons than daemons",
      text: withLines("provisioners: {daemons: 2, prebuildDaemons: 3}"),
      lines: [
        `${FILE}:13:45: provisioners.prebuildDaemons: expected at most provisioners.daemons (2) daemons reserved for prebuilds, got 3`,
      ],
    },
  ])("$name", ({ text, lines }) => {
    expect(problemLines(text)).toEqual(lines);
  });
});

describe("references to things that do not exist", () => {
  it.each([
    {
      name: "unknown template in an event, with a suggestion",
      text: withLines("events: [{at: PT10M, invalidate: {template: dve}}]"),
      lines: [
        `${FILE}:13:45: events[0].invalidate.template: expected a template of this scenario (dev), got "dve"; did you mean "dev"?`,
      ],
    },
    {
      name: "unknown version in a promotion",
      text: withLines("events: [{at: PT10M, promote: {template: dev, version: v3}}]"),
      lines: [
        `${FILE}:13:56: events[0].promote.version: expected a version of template dev (v1, v2), got "v3"`,
      ],
    },
    {
      name: "preset not on the named version",
      text: withLines(
        "events: [{at: PT5M, setDesired: {template: dev, version: v2, preset: small, instances: 1}}]",
      ),
      lines: [
        `${FILE}:13:70: events[0].setDesired.preset: expected a preset of version v2 of template dev (big), got "small"`,
      ],
    },
    {
      name: "claim preset that is only on an inactive version",
      text: withLines("workload: {claims: [{preset: dev/big, rate: 12/h}]}"),
      lines: [
        `${FILE}:13:30: workload.claims[0].preset: expected a preset on the active version v1 of template dev (small), got "big"`,
      ],
    },
    {
      name: "fault preset of an unknown template",
      text: withLines(
        "faults: [{at: PT1M, kind: build-failures, rate: 1.0, duration: PT5M, preset: web/small}]",
      ),
      lines: [`${FILE}:13:78: faults[0].preset: expected a template of this scenario (dev), got "web"`],
    },
    {
      name: "replica by a number past the last",
      text: withLines("faults: [{at: PT1M, kind: lock-connection-lost, replica: 2}]"),
      lines: [
        `${FILE}:13:58: faults[0].replica: expected a replica number 0-1 or a name (replica-0, replica-1), got 2`,
      ],
    },
    {
      name: "replica by an unknown name",
      text: withLines("faults: [{at: PT1M, kind: clock-skew, replica: replica-7, offset: PT5S}]"),
      lines: [
        `${FILE}:13:48: faults[0].replica: expected a replica number 0-1 or a name (replica-0, replica-1), got "replica-7"; did you mean "replica-0"?`,
      ],
    },
    {
      name: "organization not listed",
      text: "name: t\nduration: PT1H\ntemplates:\n  - {name: dev, organization: acme, versions: [{name: v1}]}\n",
      lines: [
        `${FILE}:4:31: templates[0].organization: expected an organization listed in organizations (default), got "acme"`,
      ],
    },
  ])("$name", ({ text, lines }) => {
    expect(problemLines(text)).toEqual(lines);
  });
});

describe("duplicate names and active versions", () => {
  it.each([
    {
      name: "two templates with one name",
      text: withLines("  - name: dev", "    versions: [{name: v9}]"),
      lines: [
        `${FILE}:13:11: templates[1].name: expected a unique template name, got "dev" again (first at templates[0].name)`,
      ],
    },
    {
      name: "two presets with one name",
      text: replacing(12, "        presets: [{name: big}, {name: big}]"),
      lines: [
        `${FILE}:12:39: templates[0].versions[1].presets[1].name: expected a unique preset name, got "big" again (first at templates[0].versions[1].presets[0].name)`,
      ],
    },
    {
      name: "two replicas with one name",
      text: replacing(3, "replicas: [{name: a}, {name: a}]"),
      lines: [
        `${FILE}:3:30: replicas[1].name: expected a unique replica name, got "a" again (first at replicas[0].name)`,
      ],
    },
    {
      name: "two active versions",
      text: TWO_VERSIONS("{name: v1, active: true}", "{name: v2, active: true}"),
      lines: [
        `${FILE}:7:28: templates[0].versions[1].active: expected one active version per template, got a second one (versions[0] is active too)`,
      ],
    },
    {
      name: "the first version inactive and no other active",
      text: TWO_VERSIONS("{name: v1, active: false}", "{name: v2}"),
      lines: [
        `${FILE}:6:28: templates[0].versions[0].active: expected one active version (the first, unless another says active: true), got none`,
      ],
    },
  ])("$name", ({ text, lines }) => {
    expect(problemLines(text)).toEqual(lines);
  });
});

describe("times outside the run", () => {
  it.each([
    {
      name: "an event after the end",
      text: withLines("events: [{at: PT2H, pause: true}]"),
      lines: [
        `${FILE}:13:15: events[0].at: expected an offset before the end of the run (duration PT1H), got PT2H`,
      ],
    },
    {
      name: "an event exactly at the end",
      text: withLines("events: [{at: PT60M, pause: true}]"),
      lines: [
        `${FILE}:13:15: events[0].at: expected an offset before the end of the run (duration PT1H), got PT1H`,
      ],
    },
    {
      name: "a fault window that ends after the run",
      text: withLines("faults: [{at: PT50M, kind: provisioner-outage, duration: PT15M}]"),
      lines: [
        `${FILE}:13:58: faults[0].duration: expected the window to end by the end of the run (duration PT1H), got one ending at PT1H5M`,
      ],
    },
    {
      name: "a replica restart after the run",
      text: withLines("faults: [{at: PT58M, kind: replica-crash, replica: 0, restartAfter: PT5M}]"),
      lines: [
        `${FILE}:13:69: faults[0].restartAfter: expected the window to end by the end of the run (duration PT1H), got one ending at PT1H3M`,
      ],
    },
    {
      name: "a claim time after the end",
      text: withLines("workload: {claims: [{preset: dev/small, at: [PT10M, PT61M]}]}"),
      lines: [
        `${FILE}:13:53: workload.claims[0].at[1]: expected an offset before the end of the run (duration PT1H), got PT1H1M`,
      ],
    },
  ])("$name", ({ text, lines }) => {
    expect(problemLines(text)).toEqual(lines);
  });
});

describe("several problems", () => {
  it("are all reported, in file order", () => {
    const text =
      replacing(10, "            desiredInstances: -1").replace("name: t\n", "name: T\n") + "bogus: 1\n";
    expect(problemLines(text)).toEqual([
      `${FILE}:1:7: name: expected a name of lowercase letters, digits and dashes ([a-z0-9-]+), got "T"`,
      `${FILE}:10:31: templates[0].versions[0].presets[0].desiredInstances: expected an integer ≥ 0, got -1`,
      `${FILE}:13:1: bogus: unknown key; expected one of name, description, seed, start, duration, sampleEvery, settings, database, replicas, provisioners, organizations, templates, users, workload, events, faults, expect`,
    ]);
  });
});

describe("sources other than YAML text", () => {
  it("an unreadable file is one problem naming the file", async () => {
    const result = await loadScenarioFile("test/scenario/fixtures/does-not-exist.yaml");
    expect(result.ok ? [] : result.problems.map(String)).toEqual([
      "test/scenario/fixtures/does-not-exist.yaml: cannot read the file: no such file",
    ]);
  });

  it("a directory is not a scenario file", async () => {
    const result = await loadScenarioFile("test/scenario/fixtures");
    expect(result.ok ? [] : result.problems.map(String)).toEqual([
      "test/scenario/fixtures: cannot read the file: it is a directory",
    ]);
  });

  it("a plain object's problems name its label and path, without a position", () => {
    const result = parseScenarioObject(
      { name: "x", duration: "PT1H", templates: [{ name: "dev_1", versions: [] }] },
      "api",
    );
    expect(result.ok ? [] : result.problems.map(String)).toEqual([
      'api: templates[0].name: expected a template name as Coder accepts it (codersdk.NameValid: letters and digits, single dashes between, at most 32 characters): must be alphanumeric with hyphens, got "dev_1"',
      "api: templates[0].versions: expected at least one version, got an empty list",
    ]);
  });
});

describe("scenarioOrThrow", () => {
  it("throws a ScenarioError carrying every problem, its message one line per problem", () => {
    const result = parseScenario(withLines("seed: -1", "users: {count: -2}"), FILE);
    let thrown: unknown;
    try {
      scenarioOrThrow(result);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ScenarioError);
    const error = thrown as ScenarioError;
    expect(error.problems).toHaveLength(2);
    expect(error.message).toBe(
      [
        `${FILE}:13:7: seed: expected an integer ≥ 0, got -1`,
        `${FILE}:14:16: users.count: expected an integer ≥ 0, got -2`,
      ].join("\n"),
    );
  });

  it("returns the scenario when there is no problem", () => {
    expect(scenarioOrThrow(parseScenario(withLines(), FILE)).name).toBe("t");
  });
});
