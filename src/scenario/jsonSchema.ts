// The JSON Schema of the scenario file format (`prebuildsim schema`), for editors: completion,
// documentation of defaults and red squiggles on unknown keys. It describes what people write
// (durations as ISO strings), not the normalised result.
import { z } from "zod";
import { scenarioFileSchema } from "./schema.ts";

export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioFileSchema, { io: "input", target: "draft-2020-12" });
  return { ...schema, title: "prebuildsim scenario" };
}
