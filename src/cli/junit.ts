// `--junit FILE`: the outcomes as JUnit XML, the format GitHub (test reporter actions), GitLab
// (`artifacts:reports:junit`) and Jenkins display natively — the Jenkins/Ant dialect described by
// test/fixtures/junit/junit.xsd. One testsuite per scenario, one testcase per scenario run (a
// seed of explore, a file of suite), one failure per violated invariant holding every violation of
// it with the trace lines it cites and the commands that reproduce the run. Allowed violations
// (`expect.allow`) do not fail the case; they are listed in its system-out.
import type { Violation } from "../check/summary.ts";
import type { CiOutcome } from "./ciOutcome.ts";
import { violationLine } from "./printSummary.ts";

// Characters XML 1.0 does not allow at all (they cannot even be escaped).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it removes
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text or attribute value, escaped for XML. */
export function xmlEscape(text: string): string {
  return text
    .replace(NOT_XML, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join("");
}

const seconds = (s: number) => s.toFixed(3);

function byInvariant(violations: readonly Violation[]): Map<string, Violation[]> {
  const groups = new Map<string, Violation[]>();
  for (const v of violations) groups.set(v.invariant, [...(groups.get(v.invariant) ?? []), v]);
  return groups;
}

function violationText(v: Violation, evidence: ReadonlyMap<number, string>): string[] {
  const lines = [violationLine(v)];
  for (const n of v.traceLines) {
    const text = evidence.get(n);
    if (text !== undefined) lines.push(`  trace.jsonl:${n}: ${text}`);
  }
  return lines;
}

function reproduceText(o: CiOutcome): string[] {
  return [
    ...(o.runDir === null ? [] : [`run directory: ${o.runDir}`]),
    ...o.reproduce.map((c) => `reproduce: ${c}`),
  ];
}

function testcase(o: CiOutcome): string {
  const head = `    <testcase${attributes({ name: o.name, classname: `prebuildsim.${o.group}`, time: seconds(o.summary.wallSeconds) })}`;
  const body: string[] = [];
  for (const [invariant, violations] of byInvariant(o.summary.violations)) {
    const first = violations[0];
    const message = `${invariant}: ${first?.message ?? ""}${violations.length > 1 ? ` (and ${violations.length - 1} more)` : ""}`;
    const text = [...violations.flatMap((v) => violationText(v, o.evidence)), ...reproduceText(o)];
    body.push(
      `      <failure${attributes({ message, type: invariant })}>${xmlEscape(text.join("\n"))}</failure>`,
    );
  }
  const out = [
    `${o.summary.scenario} seed ${o.summary.seed}: ${o.summary.ok ? "PASS" : "FAIL"}, trace ${o.summary.traceHash}`,
    ...o.summary.allowed.map((v) => `allowed (expect.allow): ${violationLine(v)}`),
    ...reproduceText(o),
  ];
  body.push(`      <system-out>${xmlEscape(out.join("\n"))}</system-out>`);
  return `${head}>\n${body.join("\n")}\n    </testcase>`;
}

/** The JUnit XML document over the outcomes, grouped by scenario in order of first appearance. */
export function junitXml(title: string, outcomes: readonly CiOutcome[]): string {
  const groups = new Map<string, CiOutcome[]>();
  for (const o of outcomes) groups.set(o.group, [...(groups.get(o.group) ?? []), o]);
  const failures = (os: readonly CiOutcome[]) => os.filter((o) => !o.summary.ok).length;
  const time = (os: readonly CiOutcome[]) => os.reduce((sum, o) => sum + o.summary.wallSeconds, 0);
  const suites = [...groups].map(([group, os]) =>
    [
      `  <testsuite${attributes({ name: group, tests: os.length, failures: failures(os), errors: 0, skipped: 0, time: seconds(time(os)) })}>`,
      ...os.map(testcase),
      "  </testsuite>",
    ].join("\n"),
  );
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites${attributes({ name: title, tests: outcomes.length, failures: failures(outcomes), errors: 0, time: seconds(time(outcomes)) })}>`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}
