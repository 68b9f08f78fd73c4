// The progress line on stderr: only on a terminal, redrawn in place within the terminal's width,
// cleared before the command's own output.
import { describe, expect, it } from "vitest";
import { Progress } from "../../src/cli/progress.ts";

function terminal(columns: number | undefined, isTTY = true) {
  const writes: string[] = [];
  const stream = { isTTY, columns, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe("Progress", () => {
  it("writes nothing when stderr is not a terminal", () => {
    const t = terminal(80, false);
    const p = new Progress(t.stream);
    p.update("explore x: 1/4 seeds", true);
    p.done();
    expect(t.writes).toEqual([]);
  });

  it("redraws the line one column short of the terminal's width, and clears it when done", () => {
    const t = terminal(30);
    const p = new Progress(t.stream);
    p.update("explore steady-state: 3/500 seeds, 0 failed", true);
    p.done();
    expect(t.writes).toEqual([
      `\r${"explore steady-state: 3/500 seeds, 0 failed".slice(0, 29)}`,
      `\r${" ".repeat(29)}\r`,
    ]);
  });

  it("uses 99 columns on a pseudo-terminal that reports no size (0 columns)", () => {
    const t = terminal(0);
    const p = new Progress(t.stream);
    p.update("explore steady-state: 3/500 seeds", true);
    expect(t.writes).toEqual([`\r${"explore steady-state: 3/500 seeds".padEnd(99)}`]);
  });

  it("skips a redraw right after the last one unless forced", () => {
    const t = terminal(40);
    const p = new Progress(t.stream);
    p.update("1/3", true);
    p.update("2/3");
    p.update("3/3", true);
    expect(t.writes.map((w) => w.trim())).toEqual(["1/3", "3/3"]);
  });
});
