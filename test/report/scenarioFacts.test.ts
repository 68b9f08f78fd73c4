import { describe, expect, it } from "vitest";
import { naturalCompare } from "../../src/report/naturalOrder.ts";
import { scenarioFacts } from "../../src/report/scenarioFacts.ts";

describe("scenarioFacts", () => {
  it("reads description, organizations, the version active at start and expect.allow", () => {
    const facts = scenarioFacts(
      `name: x
description: "Claims spike <at> 09:00"
templates:
  - name: dev
    versions: [{name: v1}, {name: v2}]
  - name: ml
    organization: research
    versions: [{name: v1}, {name: v2, active: true}]
expect: {allow: [converges]}
`,
      "scenario.yaml",
    );
    expect(facts.description).toBe("Claims spike <at> 09:00");
    expect([...facts.organizations]).toEqual([
      ["dev", "default"],
      ["ml", "research"],
    ]);
    expect([...facts.initialActiveVersion]).toEqual([
      ["dev", "v1"],
      ["ml", "v2"],
    ]);
    expect(facts.allow).toEqual(["converges"]);
  });
  it("tolerates a scenario without the optional keys", () => {
    expect(scenarioFacts("name: x\nduration: PT1H\n", "s.yaml")).toEqual({
      description: null,
      organizations: new Map(),
      initialActiveVersion: new Map(),
      allow: [],
    });
  });
  it("names the file when it is not YAML", () => {
    expect(() => scenarioFacts("a: [", "/runs/x/scenario.yaml")).toThrow(
      /\/runs\/x\/scenario\.yaml is not YAML/,
    );
  });
});

describe("naturalCompare", () => {
  it("orders numbered names as a person counts", () => {
    expect(["replica-10", "replica-2", "replica-1", "a", "replica-02"].sort(naturalCompare)).toEqual([
      "a",
      "replica-1",
      "replica-02",
      "replica-2",
      "replica-10",
    ]);
  });
});
