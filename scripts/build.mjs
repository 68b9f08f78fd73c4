// `npm run build` (and `npm pack` through prepack): compiles src/ to dist/ (JavaScript, declaration
// files, source maps) and adds what the compiled code reads at run time or users point tools at:
// the SQL migrations beside dist/db/migrate.js, and dist/schema.json, the scenario format's JSON
// Schema (`prebuildsim/schema.json`). Plain JavaScript, so it runs wherever npm runs it.
import { execFileSync } from "node:child_process";
import { cpSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
cpSync(join(root, "src/db/migrations"), join(dist, "db/migrations"), { recursive: true });
const { scenarioJsonSchema } = await import(pathToFileURL(join(dist, "scenario/jsonSchema.js")).href);
writeFileSync(join(dist, "schema.json"), `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
