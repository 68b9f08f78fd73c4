// The user action end to end: a schedule Terraform could not have carried is refused at
// load (exit 2, the provider's message, nothing written); opted in with `unvalidated: true` it runs,
// passes, and warns — in the summary line, summary.json's `warnings` and at the top of the reports —
// together with a preset whose required parameter is missing.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/check/summary.ts";
import { listTree, runCli, scratchDir } from "./cliProcess.ts";

const SCHEDULED = `name: every-morning
duration: PT20M
templates:
  - name: dev
    versions:
      - name: v1
        parameters: [{name: cpu, required: true}]
        presets:
          - name: small
            desiredInstances: 1
            parameters: {cpu: "2"}
            scheduling:
              timezone: UTC
              schedules: [{cron: "every morning", instances: 3}]
          - name: bare
            desiredInstances: 1
`;
const OPTED_IN = SCHEDULED.replace("timezone: UTC\n", "timezone: UTC\n              unvalidated: true\n");

let cwd: string;
beforeAll(async () => {
  cwd = await scratchDir();
  await writeFile(join(cwd, "every-morning.yaml"), SCHEDULED);
  await writeFile(join(cwd, "opted-in.yaml"), OPTED_IN);
});

describe('cron: "every morning"', () => {
  it("is refused at load with the Terraform provider's message (exit 2, nothing written)", async () => {
    const before = await listTree(cwd);
    const { code, stdout, stderr } = await runCli(["run", "every-morning.yaml"], cwd);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toBe(
      "every-morning.yaml:14:34: templates[0].versions[0].presets[0].scheduling.schedules[0].cron: cron spec failed validation: cron specification should consist of 5 fields (terraform-provider-coder refuses this when the template is planned; add `unvalidated: true` to the scheduling block to simulate it reaching the database)\n",
    );
    expect(await listTree(cwd)).toEqual(before);
  });

  it("runs with unvalidated: true, passes, and warns in the summary line, summary.json and the reports", async () => {
    const { code, stdout, stderr } = await runCli(["run", "opted-in.yaml", "--out", "out"], cwd);
    expect(code, stderr).toBe(0);
    const printed = stdout.split("\n");
    expect(printed[0]).toBe("every-morning seed 1: PASS — every invariant holds; 2 warnings");
    const warningLines = printed.filter((l) => l.startsWith("  ! warning: "));
    expect(warningLines).toHaveLength(2);
    expect(warningLines[0]).toMatch(
      /^ {2}! warning: dev\/v1\/small from \S+: cron expression is invalid: failed to parse cron expression: validate time range schedule: .* \(CRON_TZ=UTC every morning\) — this schedule is skipped every cycle; .*\(trace lines \d+(, \d+)*, \d+ times\)$/,
    );
    expect(warningLines[1]).toMatch(
      /^ {2}! warning: dev\/v1\/bare from \S+: prebuilds of this preset fail validation .*parameter "cpu" is required but not provided \(trace lines \d+, \d+\)$/,
    );

    const summary = JSON.parse(await readFile(join(cwd, "out/summary.json"), "utf8")) as RunSummary;
    expect(summary.ok).toBe(true);
    expect(summary.warnings.map((w) => w.subject)).toEqual(["dev/v1/small", "dev/v1/bare"]);
    const trace = (await readFile(join(cwd, "out/trace.jsonl"), "utf8")).split("\n");
    for (const w of summary.warnings) {
      expect(w.traceLines.length).toBeGreaterThan(0);
      for (const n of w.traceLines) expect(trace[n - 1]).toMatch(/"kind":"(log|preset\.status)"/);
    }
    expect(trace[(summary.warnings[0]?.traceLines[0] ?? 0) - 1]).toContain(
      '"msg":"cron expression is invalid"',
    );

    const markdown = await readFile(join(cwd, "out/report.md"), "utf8");
    expect(markdown.indexOf("## 2 warnings")).toBeGreaterThan(0);
    expect(markdown.indexOf("## 2 warnings")).toBeLessThan(markdown.indexOf("## Run"));
    expect(markdown).toContain("CRON\\_TZ=UTC every morning");
    const html = await readFile(join(cwd, "out/report.html"), "utf8");
    expect(html.indexOf('id="warnings"')).toBeGreaterThan(0);
    expect(html.indexOf('id="warnings"')).toBeLessThan(html.indexOf('id="run"'));
  }, 300_000);
});
