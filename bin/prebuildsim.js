#!/usr/bin/env node
// The `prebuildsim` command: runs the TypeScript command line (src/cli/main.ts) through tsx, so the
// package needs no build step. Node ≥ 20.19.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv);
