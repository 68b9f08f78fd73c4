// `provisioners.agentReinitAfter`: how long a claimed prebuild's agent takes to be ready again as
// its new owner's. Optional (the world falls back to `agentReadyAfter`), a distribution like the
// others, described in the JSON Schema for editors.
import { describe, expect, it } from "vitest";
import { SECOND } from "../../src/clock/types.ts";
import { scenarioJsonSchema } from "../../src/scenario/jsonSchema.ts";
import { parseScenario } from "../../src/scenario/load.ts";

const FILE = "scenarios/x.yaml";

function withProvisioners(line: string | null): string {
  return [
    "name: t",
    "duration: PT1H",
    ...(line === null ? [] : ["provisioners:", `  ${line}`]),
    "templates:",
    "  - name: dev",
    "    versions: [{name: v1, presets: [{name: small, desiredInstances: 1}]}]",
    "",
  ].join("\n");
}

describe("provisioners.agentReinitAfter", () => {
  it("is absent unless written: the world then uses agentReadyAfter", () => {
    const result = parseScenario(withProvisioners(null), FILE);
    expect(result.ok && result.scenario.provisioners.agentReinitAfter).toBeUndefined();
    expect(result.ok && result.scenario.provisioners.agentReadyAfter).toEqual({ fixed: 20 * SECOND });
  });

  it("takes a distribution in kernel units", () => {
    const result = parseScenario(withProvisioners("agentReinitAfter: {uniform: [PT5S, PT15S]}"), FILE);
    expect(result.ok && result.scenario.provisioners.agentReinitAfter).toEqual({
      uniform: [5 * SECOND, 15 * SECOND],
    });
  });

  it("refuses what is not a distribution with the file, line:col and path", () => {
    const result = parseScenario(withProvisioners("agentReinitAfter: PT15S"), FILE);
    expect(result.ok).toBe(false);
    const [problem] = result.ok ? [] : result.problems;
    expect(problem?.toString()).toMatch(
      /^scenarios\/x\.yaml:4:\d+: provisioners\.agentReinitAfter: expected a distribution/,
    );
  });

  it("is described, with examples, in the JSON Schema", () => {
    const provisioners = (
      scenarioJsonSchema().properties as Record<string, { properties: Record<string, unknown> }>
    ).provisioners;
    expect(provisioners?.properties.agentReinitAfter).toMatchObject({
      description: expect.stringContaining("Default: agentReadyAfter"),
    });
    expect(provisioners?.properties.agentReinitAfter).toMatchObject({
      description: expect.stringContaining("E.g. {fixed: PT15S}"),
    });
  });
});
