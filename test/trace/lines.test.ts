// The one way trace lines are read back: parsed with the file and line named on bad input, typed by
// kind, streamed from a file with each line's number and text.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { instantOf, isKind, parseTraceLine } from "../../src/trace/lines.ts";
import { quoteTraceLines, readTraceFile } from "../../src/trace/readTrace.ts";
import { Trace, type TraceLine } from "../../src/trace/trace.ts";

describe("parseTraceLine", () => {
  it("gives back the line Trace wrote", () => {
    const trace = new Trace(() => Date.UTC(2026, 2, 2, 6, 0, 0));
    trace.emit({ actor: "user-1", kind: "claim.ready", user: "u", workspace: "w", hit: true, waitMs: 1500 });
    const line = parseTraceLine(trace.lines()[0] as string, 1);
    expect(line).toEqual({
      seq: 1,
      t: "2026-03-02T06:00:00.000Z",
      actor: "user-1",
      kind: "claim.ready",
      user: "u",
      workspace: "w",
      hit: true,
      waitMs: 1500,
    });
    expect(instantOf(line)).toBe(Date.UTC(2026, 2, 2, 6, 0, 0));
    expect(isKind(line, "claim.ready") && line.waitMs).toBe(1500);
    expect(isKind(line, "claim.result")).toBe(false);
  });

  it("names the source and the line of what it cannot read", () => {
    expect(() => parseTraceLine("{", 7)).toThrow(/^trace line 7 is not JSON: /);
    expect(() => parseTraceLine("null", 2, "report: run/trace.jsonl")).toThrow(
      "report: run/trace.jsonl line 2 lacks the fields seq, t, actor and kind",
    );
    expect(() => parseTraceLine('{"t":"2026-03-02T06:00:00.000Z","actor":"a","kind":"k"}', 3)).toThrow(
      "trace line 3 lacks the fields seq, t, actor and kind",
    );
  });

  it("instantOf refuses an unreadable instant", () => {
    expect(() => instantOf({ seq: 4, t: "later", actor: "a", kind: "k" })).toThrow(
      'trace line 4 (k): unreadable instant "later"',
    );
  });
});

describe("readTraceFile", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "prebuildsim-readtrace-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("streams every line in order with its number and text as written", async () => {
    const trace = new Trace(() => Date.UTC(2026, 2, 2, 6, 0, 0));
    trace.emit({ actor: "world", kind: "run.start", scenario: "s", seed: 1, start: "a", end: "b" });
    trace.emit({ actor: "world", kind: "run.end", tasksFailed: 0 });
    const path = join(dir, "trace.jsonl");
    await writeFile(path, trace.text());
    const seen: Array<[string, number, string]> = [];
    await readTraceFile(path, "test", (line: TraceLine, n, text) => seen.push([line.kind, n, text]));
    expect(seen).toEqual([
      ["run.start", 1, trace.lines()[0]],
      ["run.end", 2, trace.lines()[1]],
    ]);
  });

  it("names the reader and the file on a bad line or a missing file", async () => {
    const path = join(dir, "bad.jsonl");
    await writeFile(path, '{"seq":1,"t":"x","actor":"a","kind":"k"}\nnot json\n');
    await expect(readTraceFile(path, "report", () => {})).rejects.toThrow(
      `report: ${path} line 2 is not JSON`,
    );
    await expect(readTraceFile(join(dir, "none.jsonl"), "report", () => {})).rejects.toThrow(
      `report: cannot read ${join(dir, "none.jsonl")}: ENOENT`,
    );
  });

  it("quotes the wanted lines as written, and nothing from a missing file", async () => {
    const path = join(dir, "quoted.jsonl");
    await writeFile(path, "one\ntwo\nthree\nfour\n");
    expect(await quoteTraceLines(path, new Set([3, 1, 9]))).toEqual(
      new Map([
        [1, "one"],
        [3, "three"],
      ]),
    );
    expect(await quoteTraceLines(path, new Set())).toEqual(new Map());
    expect(await quoteTraceLines(join(dir, "none.jsonl"), new Set([1]))).toEqual(new Map());
  });
});
