// Names as Coder accepts them: upstream's tables (codersdk/name_test.go) ported by name, each
// refused rule as the loader words it (file, line:col, path, the rule), and the names the
// simulator keeps its own safe rule for.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.ts";
import {
  coderNameProblem,
  presetNameProblem,
  SAFE_NAME_PATTERN,
  versionNameProblem,
} from "../../src/scenario/names.ts";

const FILE = "scenarios/names.yaml";

// codersdk/name_test.go TestUsernameValid: NameValid, which organization and template names use.
describe("TestUsernameValid", () => {
  it.each([
    ["1", true],
    ["12", true],
    ["123", true],
    ["12345678901234567890", true],
    ["123456789012345678901", true],
    ["a", true],
    ["a1", true],
    ["a1b2", true],
    ["a1b2c3d4e5f6g7h8i9j0", true],
    ["a1b2c3d4e5f6g7h8i9j0k", true],
    ["aa", true],
    ["abc", true],
    ["abcdefghijklmnopqrst", true],
    ["abcdefghijklmnopqrstu", true],
    ["wow-test", true],
    ["", false],
    [" ", false],
    [" a", false],
    [" a ", false],
    [" 1", false],
    ["1 ", false],
    [" aa", false],
    ["aa ", false],
    [" 12", false],
    ["12 ", false],
    [" a1", false],
    ["a1 ", false],
    [" abcdefghijklmnopqrstu", false],
    ["abcdefghijklmnopqrstu ", false],
    [" 123456789012345678901", false],
    [" a1b2c3d4e5f6g7h8i9j0k", false],
    ["a1b2c3d4e5f6g7h8i9j0k ", false],
    ["bananas_wow", false],
    ["test--now", false],
    ["123456789012345678901234567890123", false],
    ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false],
    ["123456789012345678901234567890123123456789012345678901234567890123", false],
  ])("%j valid=%s", (name, valid) => {
    expect(coderNameProblem(name) === null).toBe(valid);
  });
});

// codersdk/name_test.go TestTemplateVersionNameValid.
describe("TestTemplateVersionNameValid", () => {
  it.each([
    ["1", true],
    ["12", true],
    ["1_2", true],
    ["1-2", true],
    ["cray", true],
    ["123_456", true],
    ["123-456", true],
    ["1234_678901234567890", true],
    ["1234-678901234567890", true],
    ["S", true],
    ["a1", true],
    ["a1K2", true],
    ["fuzzy_bear3", true],
    ["fuzzy-bear3", true],
    ["v1.0.0", true],
    ["heuristic_cray2", true],
    ["", false],
    [".v1", false],
    ["v1..0", false],
    ["4--4", false],
    ["<b> </b>", false],
    ["!!!!1 ?????", false],
  ])("%j valid=%s", (name, valid) => {
    expect(versionNameProblem(name) === null).toBe(valid);
  });

  // TestGeneratedTemplateVersionNameValid: namesgenerator's adjective_surname with an optional digit.
  it("accepts every name of namesgenerator's shape", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,12}_[a-z]{1,12}[0-9]?$/), (name) => {
        expect(versionNameProblem(name)).toBeNull();
      }),
    );
  });
});

describe("names measured as Go measures them (UTF-8 bytes)", () => {
  it("32 bytes pass NameValid's length check, 33 do not", () => {
    expect(coderNameProblem("a".repeat(32))).toBeNull();
    expect(coderNameProblem("a".repeat(33))).toBe("must be <= 32 characters");
    // Non-ASCII never matches the pattern, but a long one fails the length check first, as upstream.
    expect(coderNameProblem("ä".repeat(17))).toBe("must be <= 32 characters");
    expect(coderNameProblem("ä".repeat(16))).toBe("must be alphanumeric with hyphens");
  });
  it("64 bytes pass TemplateVersionNameValid's length check, 65 do not", () => {
    expect(versionNameProblem("v".repeat(64))).toBeNull();
    expect(versionNameProblem("v".repeat(65))).toBe("must be <= 64 characters");
  });
});

describe("preset names: free text, as coder_workspace_preset takes them", () => {
  it.each([
    "GPU (A100) – 8 CPU",
    "My First Project",
    "Large – 8 CPU",
    " padded ",
    "成龍",
    "a/b",
    '"quoted"',
    "<img src=x onerror=alert(1)>",
    "line\nbreak",
    "x".repeat(500),
  ])("accepts %j", (name) => {
    expect(presetNameProblem(name)).toBeNull();
  });
  it("accepts any non-empty text without NUL or lone surrogates", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: "grapheme" }), (name) => {
        fc.pre(!name.includes("\u0000"));
        expect(presetNameProblem(name)).toBeNull();
      }),
    );
  });
});

/** A scenario around one template; `lines` replace the marked parts. */
function scenario(parts: {
  orgs?: string;
  template?: string;
  org?: string;
  version?: string;
  preset?: string;
  more?: string[];
}): string {
  return [
    "name: names",
    "duration: PT1H",
    `organizations: ${parts.orgs ?? "[default, Research-Lab]"}`,
    "templates:",
    `  - name: ${parts.template ?? "ml-training"}`,
    `    organization: ${parts.org ?? "Research-Lab"}`,
    "    versions:",
    `      - name: ${parts.version ?? "brave_turing3"}`,
    `        presets: [{name: ${parts.preset ?? '"GPU (A100) – 8 CPU"'}, desiredInstances: 1}]`,
    ...(parts.more ?? []),
    "",
  ].join("\n");
}

function problemLines(text: string): string[] {
  const result = parseScenario(text, FILE);
  return result.ok ? [] : result.problems.map(String);
}

const TEMPLATE_RULE =
  "expected a template name as Coder accepts it (codersdk.NameValid: letters and digits, single dashes between, at most 32 characters)";
const ORG_RULE =
  "expected an organization name as Coder accepts it (codersdk.NameValid: letters and digits, single dashes between, at most 32 characters)";
const VERSION_RULE =
  "expected a template version name as Coder accepts it (codersdk.TemplateVersionNameValid: letters and digits, single _ . or - between, at most 64 characters, like brave_turing3 or v1.2.0)";
const PRESET_RULE = "expected a preset name as Coder accepts it (coder_workspace_preset: any non-empty text)";

describe("the loader takes Coder's names", () => {
  it("a scenario with Coder-style names loads, every name exactly as written", () => {
    const result = parseScenario(scenario({}), FILE);
    if (!result.ok) throw new Error(result.problems.join("\n"));
    const t = result.scenario.templates[0];
    expect([t?.name, t?.organization, t?.versions[0]?.name, t?.versions[0]?.presets[0]?.name]).toEqual([
      "ml-training",
      "Research-Lab",
      "brave_turing3",
      "GPU (A100) – 8 CPU",
    ]);
  });

  it("the same template name in two organizations, in different case, is two templates", () => {
    const text = scenario({
      more: ["  - name: ML-Training", "    versions: [{name: v1.2.0, presets: [{name: x}]}]"],
    });
    expect(problemLines(text)).toEqual([]);
  });
});

describe("the loader refuses what Coder refuses: one line per rule", () => {
  it.each([
    {
      rule: "template: longer than 32 characters",
      text: scenario({ template: "a".repeat(33) }),
      line: `${FILE}:5:11: templates[0].name: ${TEMPLATE_RULE}: must be <= 32 characters, got "${"a".repeat(33)}"`,
    },
    {
      rule: "template: empty",
      text: scenario({ template: '""' }),
      line: `${FILE}:5:11: templates[0].name: ${TEMPLATE_RULE}: must be >= 1 character, got ""`,
    },
    {
      rule: "template: new (a route)",
      text: scenario({ template: "new" }),
      line: `${FILE}:5:11: templates[0].name: ${TEMPLATE_RULE}: cannot use "new" as a name, got "new"`,
    },
    {
      rule: "template: create (a route)",
      text: scenario({ template: "create" }),
      line: `${FILE}:5:11: templates[0].name: ${TEMPLATE_RULE}: cannot use "create" as a name, got "create"`,
    },
    {
      rule: "template: not alphanumeric with hyphens",
      text: scenario({ template: "ml_training" }),
      line: `${FILE}:5:11: templates[0].name: ${TEMPLATE_RULE}: must be alphanumeric with hyphens, got "ml_training"`,
    },
    {
      rule: "organization: not alphanumeric with hyphens",
      text: scenario({ orgs: '[default, "Research Lab"]', org: '"Research Lab"' }),
      line: `${FILE}:3:26: organizations[1]: ${ORG_RULE}: must be alphanumeric with hyphens, got "Research Lab"`,
      also: `${FILE}:6:19: templates[0].organization: ${ORG_RULE}: must be alphanumeric with hyphens, got "Research Lab"`,
    },
    {
      rule: "version: longer than 64 characters",
      text: scenario({ version: "v".repeat(65) }),
      line: `${FILE}:8:15: templates[0].versions[0].name: ${VERSION_RULE}: must be <= 64 characters, got "${"v".repeat(65)}"`,
    },
    {
      rule: "version: not alphanumeric with underscores and dots",
      text: scenario({ version: "v1..0" }),
      line: `${FILE}:8:15: templates[0].versions[0].name: ${VERSION_RULE}: must be alphanumeric with underscores and dots, got "v1..0"`,
    },
    {
      rule: "preset: empty",
      text: scenario({ preset: '""' }),
      line: `${FILE}:9:26: templates[0].versions[0].presets[0].name: ${PRESET_RULE}: must not be an empty string, got ""`,
    },
    {
      rule: "preset: a NUL character",
      text: scenario({ preset: '"a\\0b"' }),
      line: `${FILE}:9:26: templates[0].versions[0].presets[0].name: ${PRESET_RULE}: must not contain a NUL character (PostgreSQL text cannot store it), got "a\\u0000b"`,
    },
    {
      rule: "preset: a lone surrogate",
      text: scenario({ preset: '"a\\ud800"' }),
      line: `${FILE}:9:26: templates[0].versions[0].presets[0].name: ${PRESET_RULE}: must be valid Unicode (PostgreSQL text cannot store a lone surrogate), got "a\\ud800"`,
    },
    {
      rule: "template: the same name ignoring case in one organization",
      text: scenario({
        more: ["  - name: ML-Training", "    organization: Research-Lab", "    versions: [{name: v1}]"],
      }),
      line: `${FILE}:10:11: templates[1].name: expected a unique template name, got "ML-Training", which Coder takes for "ml-training" (it compares names ignoring case; first at templates[0].name)`,
    },
    {
      rule: "organization: the same name ignoring case",
      text: scenario({ orgs: "[default, Research-Lab, research-lab]" }),
      line: `${FILE}:3:40: organizations[2]: expected a unique organization name, got "research-lab", which Coder takes for "Research-Lab" (it compares names ignoring case; first at organizations[1])`,
    },
    {
      rule: "organization: the default one in other case",
      text: scenario({ orgs: "[Default, Research-Lab]" }),
      line: `${FILE}:3:17: organizations[0]: expected a unique organization name, got "Default", which Coder takes for "default" (it compares names ignoring case; first at the organization that always exists)`,
    },
  ])("$rule", ({ text, line, also }) => {
    expect(problemLines(text)).toEqual(also === undefined ? [line] : [line, also]);
  });
});

describe("the scenario's own name and replica names keep the simulator's safe rule", () => {
  it("they name a directory and trace actors: [a-z0-9-]+ only", () => {
    expect(SAFE_NAME_PATTERN.test("weekday-rush")).toBe(true);
    expect(problemLines(scenario({}).replace("name: names", "name: Names"))).toEqual([
      `${FILE}:1:7: name: expected a name of lowercase letters, digits and dashes ([a-z0-9-]+), got "Names"`,
    ]);
    expect(problemLines(`${scenario({})}replicas: [{name: "a/../b"}]\n`)).toEqual([
      `${FILE}:10:19: replicas[0].name: expected a name of lowercase letters, digits and dashes ([a-z0-9-]+), got "a/../b"`,
    ]);
  });
});
