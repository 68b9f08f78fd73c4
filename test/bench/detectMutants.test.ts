// The detection benchmark's mutants must keep applying to the tree as it is: each `find` text
// occurs exactly once in its file, and replacing it changes the file. (Whether a mutated tree
// still typechecks is left to the benchmark: 17 typechecks would make this test minutes long.)
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AREA_SCENARIOS } from "../../bench/detect/detectors.ts";
import {
  applyMutant,
  loadMutants,
  MutantNotApplicableError,
  mutate,
  type NamedMutant,
  occurrences,
} from "../../bench/detect/mutant.ts";
import { copyTree } from "../../bench/detect/scratchTree.ts";

const REPO = join(import.meta.dirname, "..", "..");
const mutants = await loadMutants();

describe("detection benchmark mutants", () => {
  it("has at least 12, spread over every area", () => {
    expect(mutants.length).toBeGreaterThanOrEqual(12);
    const areas = new Set(mutants.map((m) => m.area));
    expect([...areas].sort()).toEqual(Object.keys(AREA_SCENARIOS).sort());
  });

  it.each(mutants.map((m) => [m.name, m] as const))(
    "%s applies exactly once and changes its file",
    (_, m) => {
      const text = readFileSync(join(REPO, m.file), "utf8");
      expect(occurrences(text, m.find)).toBe(1);
      const mutated = mutate(m, text);
      expect(mutated).not.toBe(text);
      expect(mutated.length).toBe(text.length - m.find.length + m.replace.length);
      expect(m.description.length).toBeGreaterThan(10);
    },
  );

  it("explores only scenarios of the library", () => {
    for (const names of Object.values(AREA_SCENARIOS))
      for (const n of names) expect(existsSync(join(REPO, "scenarios", `${n}.yaml`)), n).toBe(true);
  });
});

describe("mutate", () => {
  const m: NamedMutant = {
    name: "m",
    file: "f.ts",
    find: "a > b",
    replace: "a < b",
    description: "d",
    area: "sql",
  };

  it("replaces the one occurrence", () => {
    expect(mutate(m, "if (a > b) x();")).toBe("if (a < b) x();");
  });

  it("fails loudly, naming the mutant, when the text is gone or ambiguous", () => {
    expect(() => mutate(m, "if (a >= b) x();")).toThrow(MutantNotApplicableError);
    expect(() => mutate(m, "if (a >= b) x();")).toThrow(/mutant m: .* occurs 0 times in f\.ts/);
    expect(() => mutate(m, "a > b; a > b")).toThrow(/occurs 2 times/);
  });

  it("counts non-overlapping occurrences", () => {
    expect(occurrences("aaaa", "aa")).toBe(2);
    expect(occurrences("abc", "")).toBe(0);
  });
});

describe("scratch tree", () => {
  it("copies the tree without tests, reports or git, links node_modules, and mutates only the copy", () => {
    const root = mkdtempSync(join(tmpdir(), "detect-tree-"));
    try {
      const from = join(root, "repo");
      mkdirSync(join(from, "src"), { recursive: true });
      mkdirSync(join(from, "test"));
      mkdirSync(join(from, "reports"));
      mkdirSync(join(root, "modules"));
      symlinkSync(join(root, "modules"), join(from, "node_modules"), "dir");
      writeFileSync(join(from, "src", "f.ts"), "if (a > b) x();\n");
      writeFileSync(join(from, "test", "t.ts"), "");
      const to = join(root, "copy");
      copyTree(from, to);
      expect(existsSync(join(to, "test"))).toBe(false);
      expect(existsSync(join(to, "reports"))).toBe(false);
      expect(existsSync(join(to, "node_modules"))).toBe(true);
      applyMutant(
        { name: "m", file: "src/f.ts", find: "a > b", replace: "a < b", description: "d", area: "sql" },
        to,
      );
      expect(readFileSync(join(to, "src", "f.ts"), "utf8")).toBe("if (a < b) x();\n");
      expect(readFileSync(join(from, "src", "f.ts"), "utf8")).toBe("if (a > b) x();\n");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
