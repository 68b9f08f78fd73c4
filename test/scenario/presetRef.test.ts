// Preset references in every accepted form: the text form with bare or JSON-quoted parts, with and
// without a version, the {template, version, preset} mapping, and how the loader checks them
// against the scenario; the trace key a reference is written as.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.ts";
import { formatPresetRef, parsePresetRefText, presetRefKey } from "../../src/scenario/presetRef.ts";
import type { PresetRef } from "../../src/scenario/scenario.ts";

const FILE = "scenarios/refs.yaml";
const TEXT_EXPECTED =
  'expected template/preset or template/version/preset, like dev/small (a name with a slash in JSON quotes: dev/"GPU 1/2")';

describe("parsePresetRefText: accepted", () => {
  it.each<[string, PresetRef]>([
    ["dev/small", { template: "dev", preset: "small" }],
    ["ml-training/GPU (A100) – 8 CPU", { template: "ml-training", preset: "GPU (A100) – 8 CPU" }],
    ['ml-training/"CPU only / small"', { template: "ml-training", preset: "CPU only / small" }],
    [
      "ml-training/brave_turing3/GPU (A100)",
      { template: "ml-training", version: "brave_turing3", preset: "GPU (A100)" },
    ],
    ['ml/v1.2.0/"a/b"', { template: "ml", version: "v1.2.0", preset: "a/b" }],
    ['ml/"\\"quoted\\""', { template: "ml", preset: '"quoted"' }],
    ["ml/ padded ", { template: "ml", preset: " padded " }],
  ])("%s", (text, ref) => {
    expect(parsePresetRefText(text)).toEqual({ ok: true, ref });
  });
});

describe("parsePresetRefText: refused, saying how to write it", () => {
  it.each([
    ["dev", TEXT_EXPECTED],
    ["dev/", TEXT_EXPECTED],
    ["/small", TEXT_EXPECTED],
    ["dev/v1/CPU 1/2", TEXT_EXPECTED],
    ['dev/"unclosed', `${TEXT_EXPECTED}; the quote at character 5 is not closed`],
    ['dev/"a"b', `${TEXT_EXPECTED}; expected / after the quoted name dev/"a"`],
    ['dev/"\\x"', `${TEXT_EXPECTED}; "\\x" is not a JSON string`],
  ])("%s", (text, expected) => {
    expect(parsePresetRefText(text)).toEqual({ ok: false, expected });
  });
});

describe("formatPresetRef", () => {
  it("quotes only the parts that need it", () => {
    expect(formatPresetRef({ template: "dev", preset: "small" })).toBe("dev/small");
    expect(formatPresetRef({ template: "ml", preset: "GPU (A100) – 8 CPU" })).toBe("ml/GPU (A100) – 8 CPU");
    expect(formatPresetRef({ template: "ml", version: "v1.2.0", preset: "a/b" })).toBe('ml/v1.2.0/"a/b"');
  });

  it("parses back to the same reference, whatever the preset name", () => {
    const ref = fc.record(
      {
        template: fc.stringMatching(/^[a-zA-Z0-9]{1,8}(-[a-zA-Z0-9]{1,8})?$/),
        version: fc.stringMatching(/^[a-zA-Z0-9]{1,8}([_.-][a-zA-Z0-9]{1,8})?$/),
        preset: fc.string({ minLength: 1 }),
      },
      { requiredKeys: ["template", "preset"] },
    );
    fc.assert(
      fc.property(ref, (r) => {
        expect(parsePresetRefText(formatPresetRef(r))).toEqual({ ok: true, ref: r });
      }),
    );
  });
});

describe("trace keys of references", () => {
  it("presetRefKey writes what traces always wrote for a reference without a version", () => {
    expect(presetRefKey({ template: "dev", preset: "small" })).toBe("dev/small");
    expect(presetRefKey({ template: "ml", version: "v1", preset: "a/b" })).toBe("ml/v1/a/b");
  });
});

/** Two versions (the first active), free-text presets; `lines` are appended. */
function scenario(...lines: string[]): string {
  return [
    "name: refs",
    "duration: PT2H",
    "templates:",
    "  - name: ml-training",
    "    versions:",
    "      - name: brave_turing3",
    '        presets: [{name: "GPU (A100) – 8 CPU", desiredInstances: 1}, {name: "CPU only / small"}]',
    "      - name: v1.2.0",
    '        presets: [{name: "Next, big"}]',
    ...lines,
    "",
  ].join("\n");
}

function loaded(text: string) {
  const result = parseScenario(text, FILE);
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.scenario;
}

function problemLines(text: string): string[] {
  const result = parseScenario(text, FILE);
  return result.ok ? [] : result.problems.map(String);
}

describe("the loader takes a reference in every form", () => {
  it("claims: text, text with a quoted part, text with the version, a mapping with and without it", () => {
    const s = loaded(
      scenario(
        "workload:",
        "  claims:",
        "    - {preset: ml-training/GPU (A100) – 8 CPU, rate: 1/h}",
        "    - {preset: 'ml-training/\"CPU only / small\"', rate: 1/h}",
        "    - {preset: ml-training/brave_turing3/GPU (A100) – 8 CPU, rate: 1/h}",
        "    - {preset: {template: ml-training, preset: CPU only / small}, rate: 1/h}",
        '    - {preset: {template: ml-training, version: brave_turing3, preset: "GPU (A100) – 8 CPU"}, rate: 1/h}',
      ),
    );
    expect(s.workload.claims.map((c) => c.preset)).toEqual([
      { template: "ml-training", preset: "GPU (A100) – 8 CPU" },
      { template: "ml-training", preset: "CPU only / small" },
      { template: "ml-training", version: "brave_turing3", preset: "GPU (A100) – 8 CPU" },
      { template: "ml-training", preset: "CPU only / small" },
      { template: "ml-training", version: "brave_turing3", preset: "GPU (A100) – 8 CPU" },
    ]);
  });

  it("faults may aim at a preset of a version that is not active", () => {
    const s = loaded(
      scenario(
        "faults:",
        '  - {at: PT0S, kind: build-failures, duration: PT1H, rate: 1.0, preset: "ml-training/v1.2.0/Next, big"}',
      ),
    );
    const fault = s.faults[0];
    expect(fault?.kind === "build-failures" && fault.preset).toEqual({
      template: "ml-training",
      version: "v1.2.0",
      preset: "Next, big",
    });
  });

  it("events name the free-text preset of a version", () => {
    const s = loaded(
      scenario(
        "events:",
        '  - {at: PT1H, setDesired: {template: ml-training, version: v1.2.0, preset: "Next, big", instances: 2}}',
      ),
    );
    expect(s.events[0]).toMatchObject({ kind: "setDesired", version: "v1.2.0", preset: "Next, big" });
  });
});

describe("the loader refuses a reference that names nothing, one line each", () => {
  it.each([
    {
      what: "a claim on a version that is not active",
      lines: ["workload:", "  claims:", '    - {preset: "ml-training/v1.2.0/Next, big", rate: 1/h}'],
      line: `${FILE}:12:16: workload.claims[0].preset: expected the active version brave_turing3 of template ml-training (claims are made on it), got "v1.2.0"`,
    },
    {
      what: "a preset not on the active version, the known ones quoted",
      lines: ["workload:", "  claims:", "    - {preset: ml-training/GPU (A100), rate: 1/h}"],
      line: `${FILE}:12:16: workload.claims[0].preset: expected a preset on the active version brave_turing3 of template ml-training ("GPU (A100) – 8 CPU", "CPU only / small"), got "GPU (A100)"`,
    },
    {
      what: "a version the template lacks",
      lines: [
        "faults:",
        "  - {at: PT0S, kind: build-failures, duration: PT1H, rate: 1.0, preset: ml-training/v9/x}",
      ],
      line: `${FILE}:11:73: faults[0].preset: expected a version of template ml-training (brave_turing3, v1.2.0), got "v9"`,
    },
    {
      what: "a slash in an unquoted preset name",
      lines: [
        "workload:",
        "  claims:",
        "    - {preset: ml-training/brave_turing3/CPU only / small, rate: 1/h}",
      ],
      line: `${FILE}:12:16: workload.claims[0].preset: ${TEXT_EXPECTED}, got "ml-training/brave_turing3/CPU only / small"`,
    },
    {
      what: "a mapping with a name Coder refuses",
      lines: ["workload:", "  claims:", "    - {preset: {template: ml_training, preset: x}, rate: 1/h}"],
      line: `${FILE}:12:27: workload.claims[0].preset.template: expected a template name as Coder accepts it (codersdk.NameValid: letters and digits, single dashes between, at most 32 characters): must be alphanumeric with hyphens, got "ml_training"`,
    },
    {
      what: "neither text nor a mapping",
      lines: ["workload:", "  claims:", "    - {preset: 3, rate: 1/h}"],
      line: `${FILE}:12:16: workload.claims[0].preset: expected template/preset or template/version/preset, like dev/small (a name with a slash in JSON quotes: dev/"GPU 1/2"), or a mapping {template, version, preset}, got 3`,
    },
  ])("$what", ({ lines, line }) => {
    expect(problemLines(scenario(...lines))).toEqual([line]);
  });
});
