import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/globalSetup.ts"],
    // PGlite start-up costs seconds and ~650 MB per instance: keep one instance per worker
    // process (see notes/TOOLCHAIN.md), and few workers on the 2-core machines.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
