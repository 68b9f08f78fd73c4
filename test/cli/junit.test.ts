// The JUnit XML of --junit: well-formed (a strict parser), valid against the JUnit XML Schema
// (xmllint; CI installs it), one testsuite per scenario, one testcase per run, one failure per
// violated invariant with the evidence lines and the commands that reproduce the run; allowed
// violations do not fail a case.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunSummary, Violation } from "../../src/check/summary.ts";
import type { CiOutcome } from "../../src/cli/ciOutcome.ts";
import { junitXml, xmlEscape } from "../../src/cli/junit.ts";
import { scratchDir } from "./cliProcess.ts";
import { hasXmllint, parseXml, schemaErrors, type XmlElement } from "./xmlTree.ts";

function summary(
  scenario: string,
  seed: number,
  violations: Violation[],
  allowed: Violation[] = [],
): RunSummary {
  return {
    scenario,
    seed,
    ok: violations.length === 0,
    violations,
    allowed,
    traceHash: `sha256:${seed}`,
    wallSeconds: 1.5,
  } as RunSummary;
}

const converges: Violation = {
  invariant: "converges",
  at: "2026-03-02T08:30:00.000Z",
  subject: "dev/v1/small",
  message: "dev/v1/small did not reach running == eligible == desired <by the deadline> & more",
  traceLines: [12],
};
const lockA: Violation = {
  invariant: "single-lock-holder",
  at: "2026-03-02T08:10:00.000Z",
  subject: "replica-1",
  message: "two holders",
  traceLines: [3, 4],
};
const lockB: Violation = { ...lockA, at: "2026-03-02T08:20:00.000Z", traceLines: [9] };

function outcome(s: RunSummary, evidence: [number, string][] = [], runDir: string | null = null): CiOutcome {
  return {
    group: s.scenario,
    name: `seed ${s.seed}`,
    summary: s,
    runDir,
    reproduce: [`prebuildsim run ${s.scenario}.yaml --seed ${s.seed}`],
    evidence: new Map(evidence),
  };
}

const OUTCOMES: CiOutcome[] = [
  outcome(summary("quick", 1, [])),
  outcome(
    summary("quick", 2, [lockA, converges, lockB]),
    [
      [3, '{"t":"08:10","kind":"lock.acquired"}'],
      [4, '{"t":"08:10","kind":"lock.acquired","note":"\u0001 control"}'],
      [12, '{"t":"08:30","kind":"sample"}'],
    ],
    "out/seed-2",
  ),
  outcome(summary("slow", 1, [], [converges])),
];

const children = (e: XmlElement, name: string) => e.children.filter((c) => c.name === name);

describe("junitXml", () => {
  const xml = junitXml("prebuildsim explore quick", OUTCOMES);
  const root = parseXml(xml);

  it("groups runs by scenario with counts that add up", () => {
    expect(root.name).toBe("testsuites");
    expect(root.attributes).toMatchObject({ tests: "3", failures: "1", errors: "0", time: "4.500" });
    const suites = children(root, "testsuite");
    expect(suites.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures])).toEqual([
      ["quick", "2", "1"],
      ["slow", "1", "0"],
    ]);
    expect(children(suites[0] as XmlElement, "testcase").map((c) => c.attributes.name)).toEqual([
      "seed 1",
      "seed 2",
    ]);
  });

  it("has one failure per violated invariant, with every violation, its evidence and the reproduction", () => {
    const failing = children(children(root, "testsuite")[0] as XmlElement, "testcase")[1] as XmlElement;
    const failures = children(failing, "failure");
    expect(failures.map((f) => f.attributes.type)).toEqual(["single-lock-holder", "converges"]);
    const lock = failures[0] as XmlElement;
    expect(lock.attributes.message).toBe("single-lock-holder: two holders (and 1 more)");
    expect(lock.text).toContain("single-lock-holder at 2026-03-02T08:10:00.000Z [replica-1]: two holders");
    expect(lock.text).toContain("single-lock-holder at 2026-03-02T08:20:00.000Z");
    expect(lock.text).toContain('trace.jsonl:3: {"t":"08:10","kind":"lock.acquired"}');
    expect(lock.text).toContain("run directory: out/seed-2");
    expect(lock.text).toContain("reproduce: prebuildsim run quick.yaml --seed 2");
    // Escaped on the way in, read back unchanged; a control character XML cannot hold is replaced.
    expect((failures[1] as XmlElement).attributes.message).toContain("<by the deadline> & more");
    expect(lock.text).toContain("\uFFFD control");
  });

  it("does not fail a case for an allowed violation, but lists it", () => {
    const allowedCase = children(children(root, "testsuite")[1] as XmlElement, "testcase")[0] as XmlElement;
    expect(children(allowedCase, "failure")).toEqual([]);
    expect(children(allowedCase, "system-out")[0]?.text).toContain("allowed (expect.allow): converges at");
  });

  it("escapes the five XML characters", () => {
    expect(xmlEscape(`a<b>&"c'`)).toBe("a&lt;b&gt;&amp;&quot;c&apos;");
  });

  it.skipIf(!hasXmllint && !process.env.CI)(
    "is valid against the JUnit XML Schema, which rejects a broken report",
    async () => {
      const dir = await scratchDir();
      await writeFile(join(dir, "junit.xml"), xml);
      expect(await schemaErrors(join(dir, "junit.xml"))).toBeNull();
      // The schema has teeth: a case without a name, a negative time.
      await writeFile(
        join(dir, "broken.xml"),
        xml.replace('name="seed 1"', "").replace('time="1.500"', 'time="-1"'),
      );
      expect(await schemaErrors(join(dir, "broken.xml"))).toMatch(/name.*required|time/s);
    },
  );
});
