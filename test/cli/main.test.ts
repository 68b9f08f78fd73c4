// The command line in-process: schema and version output, and how each kind of error maps to its
// exit code (bad input 2 without a stack, internal errors 3 with one).
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/cli/exitCodes.ts";
import { main, reportError } from "../../src/cli/main.ts";
import { InputError } from "../../src/run/inputError.ts";
import { ScenarioError, ScenarioProblem } from "../../src/scenario/problem.ts";
import { captureIo } from "./cliProcess.ts";

const capture = captureIo;

describe("prebuildsim in-process", () => {
  it("schema prints the JSON Schema of the scenario format", async () => {
    const io = capture();
    expect(await main(["node", "prebuildsim", "schema"], io)).toBe(ExitCode.Ok);
    const schema = JSON.parse(io.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["name", "duration", "templates", "faults", "expect"]),
    );
  });

  it("--version prints the package version and exits 0", async () => {
    const io = capture();
    expect(await main(["node", "prebuildsim", "--version"], io)).toBe(ExitCode.Ok);
    expect(io.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("a command that does not exist is bad input", async () => {
    const io = capture();
    expect(await main(["node", "prebuildsim", "rnu"], io)).toBe(ExitCode.BadInput);
    expect(io.stderr).toContain("error: unknown command 'rnu'");
  });

  it("maps scenario problems and input errors to exit 2, one line each, no stack", () => {
    const io = capture();
    const problems = [
      new ScenarioProblem("x.yaml", { line: 3, column: 1 }, ["duration"], "expected a duration"),
    ];
    expect(reportError(new ScenarioError(problems), io)).toBe(ExitCode.BadInput);
    expect(reportError(new InputError(["first", "second"]), io)).toBe(ExitCode.BadInput);
    expect(io.stderr).toBe("x.yaml:3:1: duration: expected a duration\nfirst\nsecond\n");
  });

  it("maps anything else to exit 3 with the stack, asking for a report", () => {
    const io = capture();
    expect(reportError(new TypeError("boom"), io)).toBe(ExitCode.Internal);
    expect(io.stderr).toMatch(
      /^prebuildsim: internal error \(please report it with the command that caused it\):\nTypeError: boom\n\s+at /,
    );
  });
});
