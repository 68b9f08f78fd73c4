// `prebuildsim schema`: the JSON Schema of the scenario format, for editors' completion and checks.
import { scenarioJsonSchema } from "../../scenario/jsonSchema.ts";
import { ExitCode } from "../exitCodes.ts";
import type { CliIo } from "../main.ts";

export function schemaCommand(io: CliIo): ExitCode {
  io.out(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  return ExitCode.Ok;
}
