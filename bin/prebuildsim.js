#!/usr/bin/env node
// The `prebuildsim` command. In the repository's checkout (src/ is there) it runs the TypeScript
// command line through tsx, so developing needs no build step; in an installed package (no src/,
// only the compiled dist/) it runs the compiled JavaScript, without tsx. Node ≥ 20.19.
import { existsSync } from "node:fs";

const source = new URL("../src/cli/main.ts", import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import("../dist/cli/main.js"));
}
process.exitCode = await main(process.argv);
