import { describe, expect, it } from "vitest";
import { parseVaryOption } from "../../src/sweep/varyOption.ts";

describe("parseVaryOption: accepted", () => {
  it.each([
    [
      "templates.dev.versions.v1.presets.small.desiredInstances=1..4",
      [
        { kind: "key", key: "templates" },
        { kind: "key", key: "dev" },
        { kind: "key", key: "versions" },
        { kind: "key", key: "v1" },
        { kind: "key", key: "presets" },
        { kind: "key", key: "small" },
        { kind: "key", key: "desiredInstances" },
      ],
      [1, 2, 3, 4],
    ],
    [
      "workload.claims[0].rate=6/h,12/h",
      [
        { kind: "key", key: "workload" },
        { kind: "key", key: "claims" },
        { kind: "index", index: 0 },
        { kind: "key", key: "rate" },
      ],
      ["6/h", "12/h"],
    ],
    [
      "provisioners.daemons=2,4,8",
      [
        { kind: "key", key: "provisioners" },
        { kind: "key", key: "daemons" },
      ],
      [2, 4, 8],
    ],
    [
      "templates[0].versions[1].presets[2].ttl=PT1H",
      [
        { kind: "key", key: "templates" },
        { kind: "index", index: 0 },
        { kind: "key", key: "versions" },
        { kind: "index", index: 1 },
        { kind: "key", key: "presets" },
        { kind: "index", index: 2 },
        { kind: "key", key: "ttl" },
      ],
      ["PT1H"],
    ],
  ])("%s", (text, steps, values) => {
    const parsed = parseVaryOption(text);
    if (!parsed.ok) throw new Error(parsed.expected);
    expect(parsed.vary.steps).toEqual(steps);
    expect(parsed.vary.values.map((v) => v.value)).toEqual(values);
  });

  it("ranges take a step and mix with single values", () => {
    const parsed = parseVaryOption("provisioners.daemons=0..10:5,12");
    expect(parsed.ok && parsed.vary.values.map((v) => v.label)).toEqual(["0", "5", "10", "12"]);
  });

  it("values are YAML, and commas inside braces do not split them", () => {
    const parsed = parseVaryOption("provisioners.buildTime={fixed: PT1M},{median: PT1M, p90: PT3M}");
    expect(parsed.ok && parsed.vary.values).toEqual([
      { label: "{fixed: PT1M}", value: { fixed: "PT1M" } },
      { label: "{median: PT1M, p90: PT3M}", value: { median: "PT1M", p90: "PT3M" } },
    ]);
  });

  it("a name with dots, `=` or quotes is written as a JSON string", () => {
    const parsed = parseVaryOption(
      'templates.ml-training.versions."v1.2.0".presets."GPU (A100) – 8 CPU = \\"big\\"".desiredInstances=1..2',
    );
    if (!parsed.ok) throw new Error(parsed.expected);
    expect(parsed.vary.steps).toEqual([
      { kind: "key", key: "templates" },
      { kind: "key", key: "ml-training" },
      { kind: "key", key: "versions" },
      { kind: "key", key: "v1.2.0" },
      { kind: "key", key: "presets" },
      { kind: "key", key: 'GPU (A100) – 8 CPU = "big"' },
      { kind: "key", key: "desiredInstances" },
    ]);
    expect(parsed.vary.values.map((v) => v.value)).toEqual([1, 2]);
  });

  it("a name without dots, brackets, = or quotes needs no quotes, spaces and parentheses included", () => {
    const parsed = parseVaryOption("templates.ml.versions.brave_turing3.presets.GPU (A100) – 8 CPU[0].x=1");
    expect(parsed.ok && parsed.vary.steps.slice(5)).toEqual([
      { kind: "key", key: "GPU (A100) – 8 CPU" },
      { kind: "index", index: 0 },
      { kind: "key", key: "x" },
    ]);
  });

  it("quoted values keep their commas", () => {
    const parsed = parseVaryOption(`description="a, b",'c'`);
    expect(parsed.ok && parsed.vary.values.map((v) => v.value)).toEqual(["a, b", "c"]);
  });
});

describe("parseVaryOption: refused, saying what was expected", () => {
  it.each([
    ["provisioners.daemons", /^expected PATH=V1,V2,…/],
    ["=1,2", /^expected a field path before '='/],
    ["provisioners..daemons=1", /^expected a field path of names and \[index\] steps.*step 2/],
    ["provisioners.daemons=1,,2", /^expected a value between the commas/],
    ["provisioners.daemons=4..2", /^expected a range a\.\.b with a ≤ b, got "4\.\.2"/],
    ["provisioners.daemons=1..5:0", /^expected a range step ≥ 1/],
    ["provisioners.daemons=1..100000", /^expected a range of at most 1000 values/],
    [
      "provisioners.buildTime={fixed: PT1M",
      /^expected a YAML value or a range like 1\.\.8, got "\{fixed: PT1M"/,
    ],
    ["provisioners.daemons=2,1..3", /^expected each value once, got 2 twice/],
    ['templates."".x=1', /^expected a field path .*in JSON quotes.*step 2: "\\"\\""/],
    ['templates."a\\q".x=1', /^expected a field path .*step 2/],
    ['templates."unclosed.x=1', /^expected PATH=V1,V2,…/],
  ])("%s", (text, expected) => {
    const parsed = parseVaryOption(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.expected).toMatch(expected);
  });
});
