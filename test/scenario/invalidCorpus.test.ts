// Issue #14 part 3: the published JSON Schema is as strict as the loader wherever JSON Schema can
// be. Every file of fixtures/invalid/ is refused by the loader with its line:col, and — unless its
// header says the rule is one only the loader can check (`# schema: loader-only: why`) — also by
// ajv's 2020-12 validator; every library scenario is valid under both. Each file's header names a
// fragment of the loader's message (`# loader: …`).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseTimeZone } from "../../src/scenario/isoTime.ts";
import { scenarioJsonSchema } from "../../src/scenario/jsonSchema.ts";
import { parseScenario } from "../../src/scenario/load.ts";
import { TIME_ZONE_NAMES } from "../../src/scenario/timeZoneNames.ts";

const INVALID = join(import.meta.dirname, "fixtures/invalid");
const LIBRARY = join(import.meta.dirname, "../../scenarios");

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(scenarioJsonSchema());

const corpus = readdirSync(INVALID)
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((file) => {
    const text = readFileSync(join(INVALID, file), "utf8");
    const loader = /^# loader: (.*)$/m.exec(text)?.[1] ?? "";
    const schema = /^# schema: (.*)$/m.exec(text)?.[1] ?? "";
    return {
      file,
      text,
      loader: loader === "(any problem)" ? "" : loader,
      loaderOnly: schema.startsWith("loader-only"),
    };
  });

describe("the invalid scenario corpus", () => {
  it("has at least 40 files, most of them refused by the schema too", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(corpus.filter((c) => !c.loaderOnly).length).toBeGreaterThanOrEqual(40);
  });

  it.each(corpus)("$file is refused by the loader with its line:col", ({ file, text, loader }) => {
    const result = parseScenario(text, file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.problems.map(String);
    expect(lines.every((l) => l.startsWith(`${file}:`))).toBe(true);
    expect(lines.some((l) => new RegExp(`^${file.replace(".", "\\.")}:\\d+:\\d+: `).test(l))).toBe(true);
    expect(lines.join("\n")).toContain(loader);
  });

  it.each(corpus.filter((c) => !c.loaderOnly))(
    "$file is refused by the JSON Schema (ajv 2020-12)",
    ({ text }) => {
      expect(validate(parse(text))).toBe(false);
    },
  );

  it.each(corpus.filter((c) => c.loaderOnly))(
    "$file breaks a rule only the loader checks: the schema accepts it",
    ({ text }) => {
      expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    },
  );
});

describe("the library scenarios", () => {
  const library = readdirSync(LIBRARY)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  it.each(library)("%s is valid under the loader and the JSON Schema", (file) => {
    const text = readFileSync(join(LIBRARY, file), "utf8");
    expect(parseScenario(text, file).ok).toBe(true);
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe("the time zones the schema lists", () => {
  it("are all accepted by the loader, under the same name", () => {
    const refused = TIME_ZONE_NAMES.filter((name) => !parseTimeZone(name).ok);
    expect(refused).toEqual([]);
    expect(TIME_ZONE_NAMES).toEqual(expect.arrayContaining(["UTC", "Europe/Berlin", "America/New_York"]));
  });
});
