// Bad input through the real command line: exit code 2, one line per problem naming the file,
// the path inside it and what was expected, no stack trace, and nothing written.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listTree, runCli, scratchDir, TINY_SCENARIO } from "./cliProcess.ts";

const VALID = TINY_SCENARIO;

const FILES: Record<string, string> = {
  "syntax.yaml": "name: tiny\nduration: [PT10M\n",
  "unknown-key.yaml": VALID.replace("duration: PT10M", "duration: PT10M\ndurration: PT1H"),
  "wrong-type.yaml": VALID.replace("desiredInstances: 1", "desiredInstances: many"),
  "impossible.yaml": VALID.replace("desiredInstances: 1", "desiredInstances: -1"),
  "unknown-template.yaml": `${VALID}events:\n  - {at: PT1M, promote: {template: prod, version: v1}}\n`,
  "two-problems.yaml": VALID.replace("desiredInstances: 1", "desiredInstances: -1").replace(
    "name: tiny",
    "name: Tiny",
  ),
  "valid.yaml": VALID,
};

let cwd: string;
beforeAll(async () => {
  cwd = await scratchDir();
  for (const [name, text] of Object.entries(FILES)) await writeFile(join(cwd, name), text);
});

async function expectBadInput(args: string[], lines: (string | RegExp)[]): Promise<void> {
  const before = await listTree(cwd);
  const { code, stdout, stderr } = await runCli(args, cwd);
  const printed = stderr.trimEnd().split("\n");
  expect({ code, stdout, stderr: code === 2 ? "" : stderr }).toEqual({ code: 2, stdout: "", stderr: "" });
  expect(printed).toHaveLength(lines.length);
  lines.forEach((line, i) => {
    if (typeof line === "string") expect(printed[i]).toBe(line);
    else expect(printed[i]).toMatch(line);
  });
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(await listTree(cwd)).toEqual(before);
}

describe("bad input (exit 2, one line per problem, nothing written)", () => {
  it("an unreadable scenario file", async () => {
    await expectBadInput(["run", "missing.yaml"], ["missing.yaml: cannot read the file: no such file"]);
  });

  it("a YAML syntax error, with line and column", async () => {
    await expectBadInput(["run", "syntax.yaml"], [/^syntax\.yaml:\d+:\d+: YAML syntax: /]);
  });

  it("an unknown key, with the closest known one suggested", async () => {
    await expectBadInput(["run", "unknown-key.yaml"], [/^unknown-key\.yaml:3:1: .*durration.*duration/]);
  });

  it("a wrong type, naming the path inside the file", async () => {
    await expectBadInput(
      ["run", "wrong-type.yaml"],
      [
        /^wrong-type\.yaml:7:51: templates\[0\]\.versions\[0\]\.presets\[0\]\.desiredInstances: expected an integer/,
      ],
    );
  });

  it("an impossible value", async () => {
    await expectBadInput(
      ["run", "impossible.yaml"],
      [
        /^impossible\.yaml:7:51: templates\[0\]\.versions\[0\]\.presets\[0\]\.desiredInstances: expected an integer ≥ 0, got -1$/,
      ],
    );
  });

  it("an event naming a template that does not exist", async () => {
    await expectBadInput(
      ["run", "unknown-template.yaml"],
      [/^unknown-template\.yaml:\d+:\d+: events\[0\]\.promote\.template: .*prod/],
    );
  });

  it("every problem of a file, one line each", async () => {
    await expectBadInput(
      ["run", "two-problems.yaml"],
      [/^two-problems\.yaml:1:7: name: /, /desiredInstances: expected an integer ≥ 0, got -1$/],
    );
  });

  it("a bad option value", async () => {
    await expectBadInput(
      ["run", "valid.yaml", "--seed", "abc"],
      ['--seed: expected a whole number ≥ 0, got "abc"'],
    );
  });

  it("an unknown option", async () => {
    await expectBadInput(
      ["run", "valid.yaml", "--sed", "3"],
      ["error: unknown option '--sed'", "(Did you mean --seed?)", /prebuildsim --help/],
    );
  });

  it("replay of a directory that is not a run directory", async () => {
    await expectBadInput(
      ["replay", "."],
      [/summary\.json: cannot read: no such file \(is this a run directory\?\)$/],
    );
  });

  it("report of a directory that is not a run directory", async () => {
    await expectBadInput(
      ["report", "."],
      [/summary\.json: cannot read: no such file \(is this a run directory\?\)$/],
    );
  });

  it("explore with a malformed seed range", async () => {
    await expectBadInput(
      ["explore", "valid.yaml", "--seeds", "1-5"],
      ['--seeds: expected a range like 1..500 or one seed, got "1-5"'],
    );
  });

  it("explore of an invalid scenario, before any worker starts", async () => {
    await expectBadInput(
      ["explore", "impossible.yaml", "--seeds", "1..3"],
      [/desiredInstances: expected an integer ≥ 0, got -1$/],
    );
  });

  it("suite of a folder without scenarios", async () => {
    await expectBadInput(["suite", "nowhere"], [/^nowhere: cannot read the folder: /]);
  });
});
