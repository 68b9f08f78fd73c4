import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { swarmScenarioText } from "../../src/cli/swarm.ts";
import { parseScenario } from "../../src/scenario/load.ts";

const TEXT = `name: swarm-fixture
duration: PT4H
templates:
  - name: dev
    versions: [{name: v1, presets: [{name: small, desiredInstances: 2}]}]
faults:
  - {at: PT1H, kind: provisioner-outage, duration: PT15M}
  - {at: PT1H, kind: build-failures, rate: 0.5, duration: PT30M}
  - {at: PT2H, kind: replica-crash, replica: 0, restartAfter: PT5M}
  - {at: PT0S, kind: db-errors, rate: 0.01, duration: PT1H, query: GetRunningPrebuiltWorkspaces}
  - {at: PT0S, kind: clock-skew, replica: 0, offset: PT30S}
`;

describe("swarm", () => {
  it("gives each seed its own valid fault configuration, the same one every time", () => {
    const texts = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      const text = swarmScenarioText(TEXT, seed);
      expect(swarmScenarioText(TEXT, seed)).toBe(text);
      const loaded = parseScenario(text, `swarm seed ${seed}`);
      if (!loaded.ok) throw new Error(loaded.problems.map(String).join("\n"));
      expect(loaded.scenario.faults.length).toBeLessThanOrEqual(5);
      texts.add(text);
    }
    expect(texts.size).toBe(30);
  });

  it("records the variation in the description and leaves everything but faults alone", () => {
    const data = parse(swarmScenarioText(TEXT, 3)) as Record<string, unknown>;
    expect(data.description).toMatch(/^\[swarm seed 3: \d of 5 faults\]$/);
    expect(data.templates).toEqual((parse(TEXT) as Record<string, unknown>).templates);
    expect(data.duration).toBe("PT4H");
  });

  it("leaves text it cannot read to the loader, which reports the problem", () => {
    expect(swarmScenarioText("name: [", 1)).toBe("name: [");
  });
});
