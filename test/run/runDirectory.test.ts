import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/check/summary.ts";
import { InputError } from "../../src/run/inputError.ts";
import { type RunFiles, readRecordedRun, writeRunDirectory } from "../../src/run/runDirectory.ts";

const summary = { scenario: "fixture", seed: 4, traceHash: "sha256:00" } as RunSummary;
const files: RunFiles = {
  summary,
  traceText: '{"seq":1,"t":"2026-03-02T06:00:00.000Z","actor":"world","kind":"run.start"}\n',
  timeseries: { sampleEvery: 60_000, presets: [], queue: [], lock: [] },
  scenarioText: "name: fixture\n",
};

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), "prebuildsim-rundir-"));
}

describe("run directory", () => {
  it("writes the four run files and reads them back", async () => {
    const dir = join(await scratch(), "out", "fixture-4");
    await writeRunDirectory(dir, files, { report: false });
    expect((await readdir(dir)).sort()).toEqual([
      ".prebuildsim-run",
      "scenario.yaml",
      "summary.json",
      "timeseries.json",
      "trace.jsonl",
    ]);
    const recorded = await readRecordedRun(dir);
    expect(recorded).toEqual({ summary, traceText: files.traceText, scenarioText: files.scenarioText });
  });

  it("replaces an earlier run in the same place whole, leaving no staging directories", async () => {
    const parent = await scratch();
    const dir = join(parent, "run");
    await writeRunDirectory(dir, files, { report: false });
    await writeFile(join(dir, "stale.txt"), "from an earlier run");
    await writeRunDirectory(dir, files, { report: false });
    expect(await readdir(dir)).not.toContain("stale.txt");
    expect(await readdir(parent)).toEqual(["run"]);
  });

  it("leaves nothing behind when writing fails half-way (here: the report cannot render)", async () => {
    const parent = await scratch();
    const dir = join(parent, "run");
    await expect(writeRunDirectory(dir, files, { report: true })).rejects.toThrow();
    expect(await readdir(parent)).toEqual([]);
  });

  it("keeps the earlier run when the new one fails", async () => {
    const parent = await scratch();
    const dir = join(parent, "run");
    await writeRunDirectory(dir, files, { report: false });
    await expect(writeRunDirectory(dir, files, { report: true })).rejects.toThrow();
    expect(await readFile(join(dir, "scenario.yaml"), "utf8")).toBe("name: fixture\n");
    expect(await readdir(parent)).toEqual(["run"]);
  });

  it("says which file is missing when a directory is not a run directory", async () => {
    const dir = await scratch();
    const error = await readRecordedRun(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).lines).toEqual([
      `${join(dir, "summary.json")}: cannot read: no such file (is this a run directory?)`,
    ]);
  });
});
