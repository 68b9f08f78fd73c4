import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { scenarioJsonSchema } from "../../src/scenario/jsonSchema.ts";
import { FAULT_KINDS } from "../../src/scenario/scenario.ts";

type JsonObject = Record<string, unknown>;
const schema = scenarioJsonSchema();
const properties = schema.properties as Record<string, JsonObject>;

describe("scenarioJsonSchema", () => {
  it("describes the file as written: a strict mapping with the required keys", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["name", "duration", "templates"]);
    expect(Object.keys(properties)).toEqual([
      "name",
      "description",
      "seed",
      "start",
      "duration",
      "sampleEvery",
      "settings",
      "database",
      "replicas",
      "provisioners",
      "organizations",
      "templates",
      "users",
      "workload",
      "events",
      "faults",
      "expect",
    ]);
  });

  it("shows defaults in the form people write them", () => {
    const settings = properties.settings?.properties as Record<string, JsonObject>;
    expect(settings.reconciliationInterval).toMatchObject({ type: "string", default: "PT1M" });
    expect(settings.failureHardLimit).toMatchObject({ type: "integer", default: 3 });
    expect(properties.start).toMatchObject({ type: "string", default: "2024-01-01T00:00:00Z" });
    expect(properties.replicas).toMatchObject({ default: { count: 1 } });
  });

  it("offers the name pattern and one branch per fault kind", () => {
    expect(properties.name).toMatchObject({ type: "string", pattern: "^[a-z0-9-]+$" });
    const faults = properties.faults?.items as { oneOf: JsonObject[] };
    const kinds = faults.oneOf.map((o) => (o.properties as Record<string, JsonObject>).kind?.const);
    expect(kinds).toEqual([...FAULT_KINDS]);
  });

  it("offers Coder's name rules, and a Coder-style scenario validates against it", async () => {
    const template = (properties.templates!.items as JsonObject).properties as Record<string, JsonObject>;
    expect(template.name).toMatchObject({ pattern: "^[a-zA-Z0-9]+(?:-[a-zA-Z0-9]+)*$", maxLength: 32 });
    const version = ((template.versions!.items as JsonObject).properties as Record<string, JsonObject>).name;
    expect(version).toMatchObject({ pattern: "^[a-zA-Z0-9]+(?:[_.-][a-zA-Z0-9]+)*$", maxLength: 64 });
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(schema);
    const text = await readFile(join(import.meta.dirname, "../../scenarios/coder-style-names.yaml"), "utf8");
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    const refused = parse(text.replace("name: ml-training", "name: ml_training"));
    expect(validate(refused)).toBe(false);
  });

  it("gives every field a description and examples, for editors' hover text", () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) {
        node.forEach((n, i) => {
          walk(n, `${path}[${i}]`);
        });
        return;
      }
      if (typeof node !== "object" || node === null) return;
      const o = node as JsonObject;
      if (o.properties !== undefined)
        for (const [key, field] of Object.entries(o.properties as Record<string, JsonObject>)) {
          if (typeof field.description !== "string" || !Array.isArray(field.examples))
            missing.push(`${path}.${key}`);
        }
      for (const [key, value] of Object.entries(o)) walk(value, `${path}/${key}`);
    };
    walk(schema, "");
    expect(missing).toEqual([]);
  });

  it("says the input forms the loader parses: patterns, the time zone list, exactly-one rules", () => {
    expect(properties.duration).toMatchObject({ type: "string", pattern: expect.stringMatching(/^\^/) });
    expect(properties.start).toMatchObject({ pattern: expect.any(String) });
    const claim = ((properties.workload as JsonObject).properties as Record<string, JsonObject>).claims
      ?.items as JsonObject;
    expect(claim.oneOf).toEqual([{ required: ["rate"] }, { required: ["every"] }, { required: ["at"] }]);
    expect(claim.dependentRequired).toEqual({ hours: ["rate"], weekend: ["rate"] });
    // timezone says whose hours or whose weekend: it needs one of them.
    expect(claim.dependentSchemas).toEqual({
      timezone: { anyOf: [{ required: ["hours"] }, { required: ["weekend"] }] },
    });
    const builds = ((properties.workload as JsonObject).properties as Record<string, JsonObject>).builds
      ?.items as JsonObject;
    expect(builds.oneOf).toEqual(claim.oneOf);
    expect(builds.dependentSchemas).toEqual(claim.dependentSchemas);
    const zone = (claim.properties as Record<string, JsonObject>).timezone;
    expect(zone?.enum).toEqual(expect.arrayContaining(["Europe/Berlin", "UTC"]));
    const event = properties.events?.items as JsonObject;
    expect((event.oneOf as unknown[]).length).toBe(6);
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
