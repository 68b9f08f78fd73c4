// The JSON Schema of the scenario file format (`prebuildsim schema`), for editors: completion,
// documentation of defaults and red squiggles on unknown keys. It describes what people write
// (durations as ISO strings), not the normalised result, and is generated from the loader's own
// zod definitions (schema.ts, fields.ts): their `.meta()` adds each field's description, examples
// and what JSON Schema can say about the input of a transform (patterns, enums, oneOf). What only
// the loader can check (across fields, references) is listed in the README.
import { z } from "zod";
import { scenarioFileSchema } from "./schema.ts";

export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioFileSchema, {
    io: "input",
    target: "draft-2020-12",
    // zod drops examples on the input side of a transform (they might be outputs); ours are all
    // written as a file writes them, so they are put back.
    override: (ctx) => {
      const meta = z.globalRegistry.get(ctx.zodSchema);
      if (meta?.examples !== undefined) ctx.jsonSchema.examples = meta.examples as unknown[];
    },
  });
  return { ...schema, title: "prebuildsim scenario" };
}
