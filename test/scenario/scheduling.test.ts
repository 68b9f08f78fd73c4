// A preset's scheduling block at load: what terraform-provider-coder refuses when the template is
// planned is refused here, with the provider's message, file, line:col and path; `unvalidated: true`
// lets a block through as if it had reached the database anyway.
import { describe, expect, it } from "vitest";
import { scenarioJsonSchema } from "../../src/scenario/jsonSchema.ts";
import { parseScenario } from "../../src/scenario/load.ts";

const FILE = "scenarios/x.yaml";
const PATH = "templates[0].versions[0].presets[0].scheduling";
const REFUSED =
  "(terraform-provider-coder refuses this when the template is planned; add `unvalidated: true` to the scheduling block to simulate it reaching the database)";

/** A scenario whose preset's scheduling block is written from line 10 on. */
function withScheduling(...lines: string[]): string {
  return [
    "name: t",
    "duration: PT1H",
    "templates:",
    "  - name: dev",
    "    versions:",
    "      - name: v1",
    "        presets:",
    "          - name: small",
    "            desiredInstances: 1",
    "            scheduling:",
    ...lines.map((l) => `              ${l}`),
    "",
  ].join("\n");
}

function problems(text: string): string[] {
  const result = parseScenario(text, FILE);
  return result.ok ? [] : result.problems.map(String);
}

describe("refused as the Terraform provider refuses it", () => {
  it.each([
    {
      name: 'the issue\'s cron: "every morning"',
      lines: ["timezone: UTC", 'schedules: [{cron: "every morning", instances: 3}]'],
      expected: `${FILE}:12:34: ${PATH}.schedules[0].cron: cron spec failed validation: cron specification should consist of 5 fields ${REFUSED}`,
    },
    {
      name: "a minute other than *",
      lines: ["timezone: UTC", 'schedules: [{cron: "0 9-18 * * 1-5", instances: 3}]'],
      expected: `${FILE}:12:34: ${PATH}.schedules[0].cron: cron spec failed validation: minute field should be * ${REFUSED}`,
    },
    {
      name: "a field robfig refuses",
      lines: ["timezone: UTC", 'schedules: [{cron: "* 9-18 * * 1-7", instances: 3}]'],
      expected: `${FILE}:12:34: ${PATH}.schedules[0].cron: failed to parse cron spec: end of range (7) above maximum (6): 1-7 ${REFUSED}`,
    },
    {
      name: "an unknown time zone",
      lines: ["timezone: Mars/Base", 'schedules: [{cron: "* 9-18 * * 1-5", instances: 3}]'],
      expected: `${FILE}:11:25: ${PATH}.timezone: failed to load timezone "Mars/Base": unknown time zone Mars/Base ${REFUSED}`,
    },
    {
      name: "a time zone in the wrong case (Go's LoadLocation is case-sensitive)",
      lines: ["timezone: europe/berlin", 'schedules: [{cron: "* 9-18 * * 1-5", instances: 3}]'],
      expected: `${FILE}:11:25: ${PATH}.timezone: failed to load timezone "europe/berlin": unknown time zone europe/berlin: zone names are case-sensitive (did you mean Europe/Berlin?) ${REFUSED}`,
    },
    {
      name: "no schedule (MinItems 1)",
      lines: ["timezone: UTC", "schedules: []"],
      expected: `${FILE}:12:26: ${PATH}.schedules: At least 1 "schedule" blocks are required. ${REFUSED}`,
    },
    {
      name: "overlapping schedules",
      lines: [
        "timezone: UTC",
        "schedules:",
        '  - {cron: "* 9-14 * * 1-5", instances: 3}',
        '  - {cron: "* 12-18 * * 1-5", instances: 4}',
      ],
      expected: `${FILE}:13:17: ${PATH}.schedules: schedules overlap with each other: schedules overlap: * 9-14 * * 1-5 and * 12-18 * * 1-5 ${REFUSED}`,
    },
    {
      name: "weekday names in two schedules (the helper reads digits only)",
      lines: [
        "timezone: UTC",
        "schedules:",
        '  - {cron: "* 9-12 * * MON-FRI", instances: 3}',
        '  - {cron: "* 13-18 * * MON-FRI", instances: 4}',
      ],
      expected: `${FILE}:13:17: ${PATH}.schedules: schedules overlap with each other: invalid schedule: invalid day range: invalid start value in range: strconv.Atoi: parsing "MON": invalid syntax ${REFUSED}`,
    },
  ])("$name", ({ lines, expected }) => {
    expect(problems(withScheduling(...lines))).toEqual([expected]);
  });

  it("every bad cron is reported, each at its place", () => {
    expect(
      problems(
        withScheduling(
          "timezone: UTC",
          "schedules:",
          '  - {cron: "every morning", instances: 3}',
          '  - {cron: "* 25 * * *", instances: 4}',
        ),
      ).map((p) => p.slice(0, p.indexOf(".cron: ") + ".cron:".length)),
    ).toEqual([`${FILE}:13:26: ${PATH}.schedules[0].cron:`, `${FILE}:14:26: ${PATH}.schedules[1].cron:`]);
  });
});

describe("accepted as the provider accepts it", () => {
  it.each([
    { name: "weekday names in a single schedule", cron: "* 9-18 * * MON-FRI" },
    { name: "a step in a single schedule", cron: "* */2 * * *" },
    {
      name: "the issue's pair the helper does not call overlapping",
      cron: "* 9-18 1 * 1-3",
      second: "* 9-18 2 * 4-5",
    },
  ])("$name", ({ cron, second }) => {
    const schedules = [cron, ...(second === undefined ? [] : [second])].map(
      (c, i) => `  - {cron: "${c}", instances: ${i + 3}}`,
    );
    expect(problems(withScheduling("timezone: UTC", "schedules:", ...schedules))).toEqual([]);
  });

  it("an empty time zone (Go loads it as UTC; the reconciler then ignores the schedules)", () => {
    const result = parseScenario(
      withScheduling('timezone: ""', 'schedules: [{cron: "* 9 * * *", instances: 3}]'),
      FILE,
    );
    expect(result.ok && result.scenario.templates[0]?.versions[0]?.presets[0]?.scheduling?.timezone).toBe("");
  });
});

describe("unvalidated: true", () => {
  it("lets the issue's block through as written, and the scenario keeps it", () => {
    const result = parseScenario(
      withScheduling(
        "timezone: Mars/Base",
        "unvalidated: true",
        'schedules: [{cron: "every morning", instances: 3}]',
      ),
      FILE,
    );
    expect(result.ok && result.scenario.templates[0]?.versions[0]?.presets[0]?.scheduling).toEqual({
      timezone: "Mars/Base",
      schedules: [{ cron: "every morning", instances: 3 }],
    });
  });

  it("must be a boolean", () => {
    expect(
      problems(
        withScheduling(
          "timezone: UTC",
          "unvalidated: yes please",
          'schedules: [{cron: "* 9 * * *", instances: 3}]',
        ),
      ),
    ).toEqual([`${FILE}:12:28: ${PATH}.unvalidated: expected true or false, got "yes please"`]);
  });

  it("is described in the JSON Schema, with an example", () => {
    const text = JSON.stringify(scenarioJsonSchema());
    expect(text).toContain('"unvalidated":{');
    const at = text.indexOf('"unvalidated":{');
    const field = text.slice(at, text.indexOf("}", at) + 1);
    expect(field).toContain("terraform-provider-coder");
    expect(field).toContain('"examples":[true]');
  });
});
