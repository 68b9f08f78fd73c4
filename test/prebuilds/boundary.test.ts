// The port's boundary (README "Layout"): src/prebuilds/ sees the simulation only through the hooks
// injected into it (src/prebuilds/simulationHooks.ts), and each hook call is marked at its line.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const PORT = join(import.meta.dirname, "../../src/prebuilds");
const files = readdirSync(PORT).filter((f) => f.endsWith(".ts"));

function importsOf(file: string): string[] {
  const text = readFileSync(join(PORT, file), "utf8");
  return [...text.matchAll(/^import[^;]*? from "([^"]+)";/gms)].map((m) => m[1] ?? "");
}

describe("the port's boundary", () => {
  it.each(files)("%s imports nothing from the simulation's layers", (file) => {
    const simulation = importsOf(file).filter((p) =>
      /^\.\.\/(trace|world|check|report|scenario|run|cli)\//.test(p),
    );
    expect(simulation).toEqual([]);
  });

  it("every hook the reconciler calls is marked `// simulation hook:` on its line or the line above", () => {
    const lines = readFileSync(join(PORT, "reconciler.ts"), "utf8").split("\n");
    const calls = lines.flatMap((line, i) => (line.includes("this.#hooks.") ? [i] : []));
    expect(calls.length).toBeGreaterThanOrEqual(6);
    const unmarked = calls.filter(
      (i) => !`${lines[i - 1] ?? ""}\n${lines[i]}`.includes("// simulation hook:"),
    );
    expect(unmarked.map((i) => `reconciler.ts:${i + 1}`)).toEqual([]);
  });
});
